/**
 * A count and its noun in English, singular for one and plural otherwise: `counted(1, 'loan')` is "1 loan",
 * `counted(0, 'loan')` "0 loans"; an irregular plural is given (`counted(n, 'breach', 'breaches')`). The one
 * way English text counts things (never "1 loans" or "loan(s)"), as the dashboard's `{n|loan|loans}`
 * templates are its. It lives here, beside the amounts, because every folder may import money/; Chinese
 * text has no plural and writes the number alone.
 */
export function counted(n: number, one: string, other = `${one}s`): string {
  return `${n} ${Math.abs(n) === 1 ? one : other}`;
}
