/**
 * Property tests run with one fixed seed, so that a run never fails by chance; another seed only when
 * asked. LENDGUARD_PROPERTY_SEED=<integer> replays a seed (fast-check prints `seed` and `path` when a
 * property fails); LENDGUARD_PROPERTY_SEED=random (or `npm run test:explore`) draws a new one and prints it.
 */
import fc from 'fast-check';

/** The seed of every ordinary run. */
export const PROPERTY_SEED_DEFAULT = 20_261_206;

export function propertySeedFrom(raw: string | undefined): number | 'random' {
  if (raw === undefined || raw.trim() === '') return PROPERTY_SEED_DEFAULT;
  if (raw.trim() === 'random') return 'random';
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) {
    throw new Error(`LENDGUARD_PROPERTY_SEED must be a whole number or "random", got "${raw}"`);
  }
  return seed;
}

const wanted = propertySeedFrom(process.env.LENDGUARD_PROPERTY_SEED);
const seed = wanted === 'random' ? (Date.now() ^ Math.floor(Math.random() * 0x1_0000_0000)) | 0 : wanted;
if (wanted === 'random') {
  console.info(`property tests: seed ${seed} (replay with LENDGUARD_PROPERTY_SEED=${seed})`);
}
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
