import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ParsedCadenceDocument, parseCadenceDocument } from '../../monitoring/index.js';
import { publishedCadence, type Queryable } from '../../store/index.js';

/** The package root: three folders above this file in both src/jobs/reminders and dist/jobs/reminders. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The shipped cadence: it applies until a lender publishes one of its own (as the shipped policy does). */
export const SHIPPED_CADENCE_FILE = join(PACKAGE_ROOT, 'policies', 'reminders', 'default-cadence.json');
export const SHIPPED_CADENCE_VERSION = 'shipped';

let shipped: ParsedCadenceDocument | undefined;

export function shippedCadence(): ParsedCadenceDocument {
  if (shipped === undefined) {
    const parsed = parseCadenceDocument(JSON.parse(readFileSync(SHIPPED_CADENCE_FILE, 'utf8')));
    if (!parsed.ok)
      throw new Error(`assertion: the shipped cadence does not validate: ${JSON.stringify(parsed.issues)}`);
    shipped = parsed.document;
  }
  return shipped;
}

/** The cadence in force: the published version, else the shipped one. */
export async function cadenceInForce(
  q: Queryable,
): Promise<{ version: string; document: ParsedCadenceDocument }> {
  return (await publishedCadence(q)) ?? { version: SHIPPED_CADENCE_VERSION, document: shippedCadence() };
}
