/**
 * Fills a message template: `{name}` takes the parameter, and `{name|one|other}` the word for its count —
 * `one` when the parameter is 1 (or −1), else `other` — so English says "1 loan" and "2 loans" from one
 * template ('{n} {n|loan|loans}'). Counts may come already formatted ("1,234"). Chinese needs no such token.
 */
export function fillMessage(template: string, params?: Record<string, string | number>): string {
  return template.replace(
    /\{([a-zA-Z]+)(?:\|([^|{}]*)\|([^|{}]*))?\}/g,
    (whole, name: string, one?: string, other?: string) => {
      const value = params?.[name];
      if (value === undefined) return whole;
      if (one === undefined || other === undefined) return String(value);
      return Math.abs(Number(String(value).replace(/[,\s]/g, ''))) === 1 ? one : other;
    },
  );
}
