import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DbTarget } from './open.js';
import { generatePiiKey, PiiCipher, PiiKeyError, parsePiiKey } from './pii-cipher.js';

/** Name of the key file generated inside an embedded data folder on first start. */
export const GENERATED_KEY_FILE = 'pii.key';

/**
 * Key file format: one base64 key per line; the first is active, the others are retired keys kept
 * to read data written before a rotation. Blank lines and lines starting with # are ignored.
 */
export function parseKeyFile(text: string, source: string): PiiCipher {
  const keys = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line, i) => parsePiiKey(line, `${source} line ${i + 1}`));
  const [active, ...retired] = keys;
  if (active === undefined) throw new PiiKeyError(`${source} holds no key; put one base64 key per line`);
  return new PiiCipher(active, retired);
}

function readKeyFile(path: string): PiiCipher {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new PiiKeyError(
      `key file ${path} can be read by other users (mode ${mode.toString(8)}); run: chmod 600 ${path}`,
    );
  }
  return parseKeyFile(readFileSync(path, 'utf8'), `key file ${path}`);
}

export interface LoadedKeys {
  cipher: PiiCipher;
  /** Where the keys came from, for the start-up message (never the key itself). */
  source: string;
}

/**
 * Finds the PII keys: `LENDGUARD_PII_KEY` (base64; retired keys in `LENDGUARD_PII_RETIRED_KEYS`,
 * comma-separated), else the file named by `LENDGUARD_PII_KEY_FILE`, else — for an embedded data
 * folder only — `<folder>/pii.key`, created with mode 0600 on first start. A server database with no
 * configured key is refused: a key generated on one machine would strand the data on the others.
 */
export function loadPiiKeys(target: DbTarget, env: NodeJS.ProcessEnv = process.env): LoadedKeys {
  const inline = env.LENDGUARD_PII_KEY;
  if (inline !== undefined && inline.trim() !== '') {
    const retired = (env.LENDGUARD_PII_RETIRED_KEYS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((s, i) => parsePiiKey(s, `LENDGUARD_PII_RETIRED_KEYS item ${i + 1}`));
    return {
      cipher: new PiiCipher(parsePiiKey(inline, 'LENDGUARD_PII_KEY'), retired),
      source: 'LENDGUARD_PII_KEY',
    };
  }
  const file = env.LENDGUARD_PII_KEY_FILE;
  if (file !== undefined && file.trim() !== '') {
    if (!existsSync(file))
      throw new PiiKeyError(`LENDGUARD_PII_KEY_FILE names ${file}, which does not exist`);
    return { cipher: readKeyFile(file), source: `key file ${file}` };
  }
  if (target.kind === 'postgres') {
    throw new PiiKeyError(
      'a PostgreSQL server needs a PII key: set LENDGUARD_PII_KEY (base64 of 32 bytes, e.g. openssl rand -base64 32) or LENDGUARD_PII_KEY_FILE',
    );
  }
  mkdirSync(target.dataDir, { recursive: true });
  const path = join(target.dataDir, GENERATED_KEY_FILE);
  if (!existsSync(path)) {
    writeFileSync(
      path,
      `# Lendguard PII key, generated on first start. Keep a copy: without it the personal data cannot be read.\n${generatePiiKey().toString('base64')}\n`,
      { mode: 0o600, flag: 'wx' },
    );
  }
  return { cipher: readKeyFile(path), source: `key file ${path}` };
}
