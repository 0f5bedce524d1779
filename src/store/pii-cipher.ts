import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for personal data at rest, with the key id inside each ciphertext so that keys can be
 * rotated: the active key encrypts, every known key decrypts. The same master key also derives (by
 * HKDF) the blind-index key and the idempotency MAC key, each tagged with its key id.
 *
 * Ciphertext form: `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts). The associated data binds a
 * value to its row and column, so a ciphertext copied into another customer or field fails to open.
 */

export const PII_KEY_BYTES = 32;
const IV_BYTES = 12;
const FORMAT = 'v1';

export class PiiKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PiiKeyError';
  }
}

interface KeyMaterial {
  id: string;
  encryption: Buffer;
  blindIndex: Buffer;
  mac: Buffer;
}

function derive(master: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, PII_KEY_BYTES));
}

function material(master: Buffer): KeyMaterial {
  if (master.length !== PII_KEY_BYTES) {
    throw new PiiKeyError(
      `a PII key must be ${PII_KEY_BYTES} bytes (base64 of 32 random bytes); got ${master.length}`,
    );
  }
  return {
    // The id names the key without revealing it: a hash of a derived value, not of the key.
    id: createHash('sha256').update(derive(master, 'lendguard key id')).digest('hex').slice(0, 8),
    encryption: derive(master, 'lendguard pii aes-256-gcm'),
    blindIndex: derive(master, 'lendguard pii blind index'),
    mac: derive(master, 'lendguard idempotency mac'),
  };
}

/** Parses one base64 key, saying what is wrong in terms a person can fix. */
export function parsePiiKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) {
    throw new PiiKeyError(`${source} is not base64; create a key with: openssl rand -base64 32`);
  }
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== PII_KEY_BYTES) {
    throw new PiiKeyError(
      `${source} decodes to ${key.length} bytes but must be ${PII_KEY_BYTES}; create a key with: openssl rand -base64 32`,
    );
  }
  return key;
}

export function generatePiiKey(): Buffer {
  return randomBytes(PII_KEY_BYTES);
}

export class PiiCipher {
  private readonly active: KeyMaterial;
  private readonly byId: ReadonlyMap<string, KeyMaterial>;

  /** `activeKey` encrypts; `retiredKeys` only decrypt data written before a rotation. */
  constructor(activeKey: Buffer, retiredKeys: readonly Buffer[] = []) {
    this.active = material(activeKey);
    const all = [this.active, ...retiredKeys.map(material)];
    this.byId = new Map(all.map((k) => [k.id, k]));
    Object.freeze(this);
  }

  get activeKeyId(): string {
    return this.active.id;
  }

  get keyIds(): readonly string[] {
    return [...this.byId.keys()];
  }

  encrypt(plain: string, associatedData: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.active.encryption, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      FORMAT,
      this.active.id,
      iv.toString('base64url'),
      body.toString('base64url'),
      tag.toString('base64url'),
    ].join('.');
  }

  /** The key id a ciphertext was written with (for re-encryption after a rotation). */
  static keyIdOf(ciphertext: string): string {
    const parts = ciphertext.split('.');
    if (parts.length !== 5 || parts[0] !== FORMAT) throw new PiiKeyError('not a PII ciphertext of format v1');
    return parts[1]!;
  }

  decrypt(ciphertext: string, associatedData: string): string {
    const parts = ciphertext.split('.');
    if (parts.length !== 5 || parts[0] !== FORMAT) throw new PiiKeyError('not a PII ciphertext of format v1');
    const [, keyId, iv, body, tag] = parts as [string, string, string, string, string];
    const key = this.byId.get(keyId);
    if (key === undefined) {
      throw new PiiKeyError(
        `personal data was encrypted with key ${keyId}, which is not configured; add it to the retired keys (docs/security.md)`,
      );
    }
    const decipher = createDecipheriv('aes-256-gcm', key.encryption, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }

  /** Blind index under the active key: `<keyId>:<hex HMAC>`. */
  blindIndex(kind: string, normalisedValue: string): string {
    return this.blindIndexWith(this.active, kind, normalisedValue);
  }

  /** Blind indexes under every known key, to find rows written before a rotation. */
  blindIndexCandidates(kind: string, normalisedValue: string): string[] {
    return [...this.byId.values()].map((k) => this.blindIndexWith(k, kind, normalisedValue));
  }

  private blindIndexWith(key: KeyMaterial, kind: string, value: string): string {
    return `${key.id}:${createHmac('sha256', key.blindIndex).update(`${kind}\u0000${value}`).digest('hex')}`;
  }

  /** Keyed MAC for idempotency fingerprints; undefined when the key id is no longer configured. */
  mac(keyId: string, data: string): string | undefined {
    const key = this.byId.get(keyId);
    if (key === undefined) return undefined;
    return createHmac('sha256', key.mac).update(data).digest('base64url');
  }
}
