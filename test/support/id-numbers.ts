/** A valid resident ID number (check character computed) for test person `n`. */
export function testIdNumber(n: number): string {
  const body = `110101199001${String(1 + (n % 28)).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += weights[i]! * Number(body[i]);
  return `${body}${'10X98765432'[sum % 11]}`;
}
