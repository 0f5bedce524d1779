/** One entry of a problem's `errors`: a JSON pointer into the request and what is wrong there. */
export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * Turns the API's field paths (`/body/address/city`, `/body/contacts/0/phone`) into form field names
 * (`['address', 'city']`, `['contacts', 0, 'phone']`). Paths outside the body have no field.
 */
export function fieldName(path: string): (string | number)[] | undefined {
  if (!path.startsWith('/body/')) return undefined;
  return path
    .slice('/body/'.length)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^[0-9]+$/.test(part) ? Number(part) : part));
}

/** Groups the problems by field, messages in the server's order; the rest stay for a general notice. */
export function problemsByField(errors: readonly FieldProblem[]): {
  fields: { name: (string | number)[]; errors: string[] }[];
  unplaced: FieldProblem[];
} {
  const byKey = new Map<string, { name: (string | number)[]; errors: string[] }>();
  const unplaced: FieldProblem[] = [];
  for (const problem of errors) {
    const name = fieldName(problem.path);
    if (name === undefined || name.length === 0) {
      unplaced.push(problem);
      continue;
    }
    const key = JSON.stringify(name);
    const entry = byKey.get(key) ?? { name, errors: [] };
    entry.errors.push(problem.message);
    byKey.set(key, entry);
  }
  return { fields: [...byKey.values()], unplaced };
}
