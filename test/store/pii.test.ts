import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generatePiiKey, loadPiiKeys, PiiCipher, PiiKeyError } from '../../src/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'lendguard-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('PII cipher', () => {
  const cipher = new PiiCipher(generatePiiKey());

  it('round-trips text and never repeats a ciphertext', () => {
    const a = cipher.encrypt('13812345678', 'customers.c1.phone');
    const b = cipher.encrypt('13812345678', 'customers.c1.phone');
    expect(a).not.toBe(b);
    expect(a).not.toContain('13812345678');
    expect(cipher.decrypt(a, 'customers.c1.phone')).toBe('13812345678');
    expect(PiiCipher.keyIdOf(a)).toBe(cipher.activeKeyId);
  });

  it('refuses a ciphertext moved to another row or field, or tampered with', () => {
    const sealed = cipher.encrypt('张三', 'customers.c1.name');
    expect(() => cipher.decrypt(sealed, 'customers.c2.name')).toThrow();
    expect(() => cipher.decrypt(sealed, 'customers.c1.phone')).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), 'customers.c1.name')).toThrow();
  });

  it('makes blind indexes that depend on the key and not only on the value', () => {
    const other = new PiiCipher(generatePiiKey());
    expect(cipher.blindIndex('phone', '13812345678')).toBe(cipher.blindIndex('phone', '13812345678'));
    expect(cipher.blindIndex('phone', '13812345678')).not.toBe(other.blindIndex('phone', '13812345678'));
    expect(cipher.blindIndex('phone', '13812345678')).not.toBe(cipher.blindIndex('id_number', '13812345678'));
  });
});

describe('loading PII keys', () => {
  const key = generatePiiKey().toString('base64');
  const embedded = { kind: 'pglite' as const, dataDir: join(dir, 'data') };

  it('takes LENDGUARD_PII_KEY with retired keys', () => {
    const retired = generatePiiKey();
    const loaded = loadPiiKeys(embedded, {
      LENDGUARD_PII_KEY: key,
      LENDGUARD_PII_RETIRED_KEYS: retired.toString('base64'),
    });
    expect(loaded.source).toBe('LENDGUARD_PII_KEY');
    expect(loaded.cipher.keyIds).toHaveLength(2);
  });

  it('says how to make a key when one is malformed', () => {
    expect(() => loadPiiKeys(embedded, { LENDGUARD_PII_KEY: 'c2hvcnQ=' })).toThrow(
      /must be 32.*openssl rand -base64 32/,
    );
    expect(() => loadPiiKeys(embedded, { LENDGUARD_PII_KEY: 'not base64!' })).toThrow(PiiKeyError);
  });

  it('reads a key file, first line active, and refuses one others can read', () => {
    const file = join(dir, 'keys');
    const retired = generatePiiKey().toString('base64');
    writeFileSync(file, `# rotated\n${key}\n${retired}\n`, { mode: 0o600 });
    const loaded = loadPiiKeys(embedded, { LENDGUARD_PII_KEY_FILE: file });
    expect(loaded.cipher.activeKeyId).toBe(new PiiCipher(Buffer.from(key, 'base64')).activeKeyId);
    expect(loaded.cipher.keyIds).toHaveLength(2);
    chmodSync(file, 0o644);
    expect(() => loadPiiKeys(embedded, { LENDGUARD_PII_KEY_FILE: file })).toThrow(/chmod 600/);
  });

  it('refuses a PostgreSQL server without a configured key', () => {
    expect(() => loadPiiKeys({ kind: 'postgres', url: 'postgres://x@127.0.0.1/db' }, {})).toThrow(
      /needs a PII key: set LENDGUARD_PII_KEY/,
    );
  });

  it('generates a key file with mode 0600 in an embedded data folder once, and reuses it', () => {
    const first = loadPiiKeys(embedded, {});
    const path = join(embedded.dataDir, 'pii.key');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, 'utf8');
    const second = loadPiiKeys(embedded, {});
    expect(second.cipher.activeKeyId).toBe(first.cipher.activeKeyId);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });
});
