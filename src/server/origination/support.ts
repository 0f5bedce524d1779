import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatMinor } from '../../money/index.js';
import {
  type Application,
  type CompiledPolicy,
  compilePolicy,
  type FieldIssue,
  isOriginationError,
  loadModel,
  type ModelSet,
  type PolicyDocument,
  type PolicySettings,
  parsePolicy,
  policyRef,
} from '../../origination/index.js';
import { parseModel } from '../../scoring/index.js';
import {
  findPublishedPolicy,
  originationKeyCandidates,
  originationKeyOf,
  type PiiCipher,
  policyDocument,
  type Queryable,
} from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { maskIdNumber, maskName, maskPhone } from '../http/masking.js';
import { say } from '../http/messages.js';
import { type FieldProblem, fieldMessage, fieldsProblem, ProblemError } from '../http/problem.js';
import { Gate } from '../ledger/index.js';
import { issueText } from './field-issues.js';
import { ORIGINATION_MESSAGES } from './messages.js';

/** The package root: two folders above this file in both src/server and dist/server. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The shipped default policy pack (policy.json naming one JSON file per graph). */
export const SHIPPED_POLICY_DIR = join(PACKAGE_ROOT, 'policies', 'default');
export const SHIPPED_CHAMPION_MODEL = join(PACKAGE_ROOT, 'models', 'application-scorecard.json');
export const SHIPPED_CHALLENGER_MODEL = join(PACKAGE_ROOT, 'models', 'application-gbm.json');

/**
 * Application writes (read history, decide, store) one server process runs at once on PostgreSQL; the rest
 * wait in arrival order instead of queueing for a pooled connection (whose wait is bounded and ends in an
 * error under a burst). Below the pool's 10 connections so that reads still find one. PGlite has one.
 */
export const APPLICATION_WRITES_IN_FLIGHT_MAX = 6;
/** Application writes allowed to wait; past this the server answers 503 server_busy with Retry-After. */
export const APPLICATION_WRITES_WAITING_MAX = 10_000;

const applicationGates = new WeakMap<object, Gate>();

/** Runs an application write when its turn comes (see APPLICATION_WRITES_IN_FLIGHT_MAX). */
export function applicationTurn<T>(deps: ServerDeps, work: () => Promise<T>): Promise<T> {
  let gate = applicationGates.get(deps.db);
  if (gate === undefined) {
    gate = new Gate(
      deps.db.kind === 'pglite' ? 1 : APPLICATION_WRITES_IN_FLIGHT_MAX,
      APPLICATION_WRITES_WAITING_MAX,
      'application writes',
    );
    applicationGates.set(deps.db, gate);
  }
  return gate.run(work);
}

/** Earlier applications read per history key: the detectors' thresholds are far below it. */
export const HISTORY_ROWS_PER_KEY_MAX = 200;

/** The shipped policy pack as one document (graphs inline), checked by the core. */
export function readShippedPolicy(dir: string = SHIPPED_POLICY_DIR): PolicyDocument {
  const raw = JSON.parse(readFileSync(join(dir, 'policy.json'), 'utf8')) as Record<string, unknown>;
  const graphs: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries((raw.graphs ?? {}) as Record<string, unknown>)) {
    graphs[name] = typeof ref === 'string' ? JSON.parse(readFileSync(join(dir, ref), 'utf8')) : ref;
  }
  return parsePolicy({ ...raw, graphs });
}

export function readShippedModels(): ModelSet {
  const champion = loadModel(
    parseModel(readFileSync(SHIPPED_CHAMPION_MODEL, 'utf8')),
    'application-scorecard',
  );
  const challenger = loadModel(parseModel(readFileSync(SHIPPED_CHALLENGER_MODEL, 'utf8')), 'application-gbm');
  return { champion, challenger };
}

interface Assets {
  models: ModelSet;
  shippedPolicy: CompiledPolicy;
  compiled: Map<string, CompiledPolicy>;
}

const assetsByDeps = new WeakMap<object, Assets>();

/** The shipped models and default policy, read once per server on first use. */
export function originationAssets(deps: ServerDeps): Assets {
  let assets = assetsByDeps.get(deps.db);
  if (assets === undefined) {
    const shippedPolicy = compilePolicy(readShippedPolicy());
    assets = {
      models: readShippedModels(),
      shippedPolicy,
      compiled: new Map([[shippedPolicy.ref.documentHash, shippedPolicy]]),
    };
    assetsByDeps.set(deps.db, assets);
  }
  return assets;
}

/**
 * The policy in force for a product: its published version, else the shipped default pack when that pack is
 * for this product (decision 0520). Compiled policies are cached by document hash.
 */
export async function policyInForce(
  q: Queryable,
  deps: ServerDeps,
  productId: string,
): Promise<CompiledPolicy | undefined> {
  return policyOfPublished(q, deps, productId, await findPublishedPolicy(q, productId));
}

/** The compiled policy for a product whose published version (if any) has been read already. */
export async function policyOfPublished(
  q: Queryable,
  deps: ServerDeps,
  productId: string,
  published: { version: string; documentHash: string } | undefined,
): Promise<CompiledPolicy | undefined> {
  const assets = originationAssets(deps);
  if (published === undefined) {
    return assets.shippedPolicy.document.settings.productId === productId ? assets.shippedPolicy : undefined;
  }
  const cached = assets.compiled.get(published.documentHash);
  if (cached !== undefined) return cached;
  const document = await policyDocument(q, published.version);
  if (document === undefined) throw new Error(`assertion: policy ${published.version} vanished`);
  const compiled = compilePolicy(document);
  assets.compiled.set(published.documentHash, compiled);
  return compiled;
}

export function documentHashOf(document: PolicyDocument): string {
  return policyRef(document).documentHash;
}

/** How far back the detectors look under these settings, as an instant before `at`. */
export function historySince(settings: PolicySettings, at: string): string {
  const f = settings.fraud;
  const ms = Math.max(
    f.sharedWindow_days * 86_400_000,
    f.retryWindow_days * 86_400_000,
    f.velocityWindow_hours * 3_600_000,
    f.burstWindow_minutes * 60_000,
  );
  return new Date(Date.parse(at) - ms).toISOString();
}

/** `income.evidence[0].kind` → `/body/income/evidence/0/kind`. */
export function bodyPointer(corePath: string, prefix = '/body'): string {
  if (corePath === '' || corePath === '(body)') return prefix;
  return `${prefix}/${corePath
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .join('/')}`;
}

export function issuesToProblems(issues: readonly FieldIssue[], prefix = '/body'): FieldProblem[] {
  return issues.map((i) => {
    const text = issueText(i);
    const path = bodyPointer(i.path, prefix);
    return text === undefined ? { path, message: i.message } : { path, message: i.message, text };
  });
}

/** The field problems as one list, `path: message; …`, in each language. */
function problemList(errors: readonly FieldProblem[], fallback: string): { en: string; zh: string } {
  if (errors.length === 0) return { en: fallback, zh: fallback };
  return {
    en: errors.map((e) => `${e.path}: ${fieldMessage(e, 'en')}`).join('; '),
    zh: errors.map((e) => `${e.path}：${fieldMessage(e, 'zh-CN')}`).join('；'),
  };
}

/** Expected failures of the core as problems; anything else is rethrown as it is. */
export function originationProblem(error: unknown, prefix = '/body'): unknown {
  if (!isOriginationError(error)) return error;
  const errors = issuesToProblems(error.issues, prefix);
  switch (error.code) {
    case 'application_invalid':
      return fieldsProblem('application_invalid', 'fix_fields', errors);
    case 'policy_invalid':
      return new ProblemError(
        'policy_invalid',
        (() => {
          const list = problemList(errors, error.message);
          return say(ORIGINATION_MESSAGES, 'policy_fix_and_resend', { en_list: list.en, zh_list: list.zh });
        })(),
        errors,
      );
    case 'reassessment_invalid':
      return new ProblemError(
        'reassessment_invalid',
        (() => {
          const list = problemList(errors, '');
          return say(ORIGINATION_MESSAGES, 'reassessment_cannot_be_made', {
            reason: error.message,
            en_list: list.en === '' ? '' : ` (${list.en})`,
            zh_list: list.zh === '' ? '' : `（${list.zh}）`,
          });
        })(),
        errors,
      );
    default:
      return new ProblemError(
        'decision_failed',
        say(ORIGINATION_MESSAGES, 'decision_failed', { code: error.code, reason: error.message }),
      );
  }
}

// ---------------------------------------------------------------------------------------------------------
// API shapes: amounts as decimal strings of yuan, personal data masked

/** Core shapes to API shapes: every `x_fen` number becomes `x` as a yuan string; everything else as it is. */
export function apiShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(apiShape);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k.endsWith('_fen') && typeof v === 'number') out[k.slice(0, -4)] = formatMinor(v);
      else out[k] = apiShape(v);
    }
    return out;
  }
  return value;
}

/** Keeps the first 3 and last 4 characters of an opaque identifier (device id, IP, SIM). */
export const maskOpaque = maskPhone;

/** An application in its API shape, its personal data masked (PERSONAL_DATA_FIELDS). */
export function maskApplication(a: Application): Record<string, unknown> {
  const shaped = apiShape(a) as Record<string, unknown>;
  return {
    ...shaped,
    identity: {
      name: maskName(a.identity.name),
      idNumber: maskIdNumber(a.identity.idNumber),
      phone: maskPhone(a.identity.phone),
      birthDate: a.identity.birthDate,
    },
    address: { province: a.address.province, city: a.address.city },
    contacts: a.contacts.map((c) => ({
      name: maskName(c.name),
      relation: c.relation,
      phone: maskPhone(c.phone),
    })),
    device: {
      ...(shaped.device as Record<string, unknown>),
      deviceId: maskOpaque(a.device.deviceId),
      ip: maskOpaque(a.device.ip),
      sim: maskOpaque(a.device.sim),
    },
  };
}

/** The blacklist subjects of an application with their keys under the active and every retired key. */
export function blacklistKeysOf(cipher: PiiCipher, a: Application) {
  const keyOf = originationKeyOf(cipher);
  const subjects = [
    ['id-number', a.identity.idNumber],
    ['phone', a.identity.phone],
    ['device', a.device.deviceId],
    ['ip', a.device.ip],
    ['sim', a.device.sim],
  ] as const;
  return subjects.map(([subject, value]) => ({
    subject,
    key: keyOf(subject, value),
    candidates: originationKeyCandidates(cipher, subject, value),
  }));
}

export function applicantKeyOf(cipher: PiiCipher, idNumber: string): string {
  return cipher.blindIndex('id_number', idNumber.trim().toUpperCase());
}
