import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EarlyWarningDocument, parseEarlyWarningDocument } from '../../monitoring/index.js';
import { publishedEarlyWarning, type Queryable } from '../../store/index.js';

/** The package root: three folders above this file in both src/jobs/monitoring and dist/jobs/monitoring. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The shipped early-warning document: it applies until a lender publishes one of its own. */
export const SHIPPED_EARLY_WARNING_FILE = join(PACKAGE_ROOT, 'policies', 'early-warning', 'default.json');
export const SHIPPED_EARLY_WARNING_VERSION = 'shipped';

let shipped: EarlyWarningDocument | undefined;

export function shippedEarlyWarning(): EarlyWarningDocument {
  if (shipped === undefined) {
    const parsed = parseEarlyWarningDocument(JSON.parse(readFileSync(SHIPPED_EARLY_WARNING_FILE, 'utf8')));
    if (!parsed.ok)
      throw new Error(
        `assertion: the shipped early-warning document does not validate: ${JSON.stringify(parsed.issues)}`,
      );
    shipped = parsed.document;
  }
  return shipped;
}

/** The document in force: the published version, else the shipped one. */
export async function earlyWarningInForce(
  q: Queryable,
): Promise<{ version: string; document: EarlyWarningDocument }> {
  return (
    (await publishedEarlyWarning(q)) ?? {
      version: SHIPPED_EARLY_WARNING_VERSION,
      document: shippedEarlyWarning(),
    }
  );
}
