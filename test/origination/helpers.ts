import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readModels, readPolicy } from '../../src/jobs/index.js';
import {
  type Application,
  type CompiledPolicy,
  compilePolicy,
  type DecisionContext,
  type Invitation,
  idNumberCheckCharacter,
  type ModelSet,
  type PolicyDocument,
  validateApplication,
} from '../../src/origination/index.js';

export const fixture = (name: string) =>
  fileURLToPath(new URL(`../fixtures/origination/${name}`, import.meta.url));
export const DEFAULT_POLICY_DIR = fileURLToPath(new URL('../../policies/default', import.meta.url));

export const BUSINESS_TIME = '2026-11-28T10:00:00+08:00';

type Json = Record<string, unknown>;

/** The salaried applicant of test/fixtures/origination/salaried.json, as received (wire form). */
export function salariedWire(): Json {
  const input = JSON.parse(readFileSync(fixture('salaried.json'), 'utf8')) as { application: Json };
  return input.application;
}

export function salariedInvitation(): Invitation {
  const input = JSON.parse(readFileSync(fixture('salaried.json'), 'utf8')) as { invitations: Invitation[] };
  return input.invitations[0]!;
}

/** Deep merge of plain objects; arrays and scalars in `patch` replace; `undefined` deletes a key. */
export function merge(base: Json, patch: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete out[k];
    else if (
      typeof v === 'object' &&
      v !== null &&
      !Array.isArray(v) &&
      typeof out[k] === 'object' &&
      out[k] !== null &&
      !Array.isArray(out[k])
    )
      out[k] = merge(out[k] as Json, v as Json);
    else out[k] = v;
  }
  return out;
}

/** A valid resident ID number for a birth date (YYYYMMDD) and a sequence. */
export function idNumberFor(birth: string, sequence: number): string {
  const first17 = `310104${birth}${String(sequence).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}

export function application(patch: Json = {}): Application {
  return validateApplication(merge(salariedWire(), patch));
}

let defaults: { policy: CompiledPolicy; models: ModelSet; document: PolicyDocument } | undefined;

export function defaultPolicyAndModels() {
  if (!defaults) {
    const document = readPolicy(DEFAULT_POLICY_DIR);
    defaults = { document, policy: compilePolicy(document), models: readModels() };
  }
  return defaults;
}

/** An invitation for an application's applicant (identity keys), with the given terms. */
export function invitationFor(app: Application, patch: Partial<Invitation> = {}): Invitation {
  return {
    ...salariedInvitation(),
    invitationId: `inv-${app.applicationId}`,
    code: app.invitationCode ?? `code-${app.applicationId}`,
    applicantKey: app.identity.idNumber,
    ...patch,
  };
}

export function contextFor(app: Application, patch: Partial<DecisionContext> = {}): DecisionContext {
  const { policy, models } = defaultPolicyAndModels();
  return {
    businessTime: BUSINESS_TIME,
    policy,
    models,
    invitations: [invitationFor(app)],
    blacklist: [],
    history: { recentApplications: [] },
    ...patch,
  };
}

/** A policy document with some settings or graph cells changed, compiled. */
export function policyWith(change: (doc: PolicyDocument) => PolicyDocument): CompiledPolicy {
  const { document } = defaultPolicyAndModels();
  return compilePolicy(change(structuredClone(document) as PolicyDocument));
}

/**
 * The default champion scorecard alone (no challenger), its points changed so that every bin below a
 * feature's best costs exactly `points` against it: each score reason then reads that many points lost.
 */
export function championLosing(points: number): ModelSet {
  const { champion } = defaultPolicyAndModels().models;
  const card = champion.artifact.scorecard!;
  const features = card.features.map((f) => {
    const best = Math.max(...f.points);
    return { ...f, points: f.points.map((p) => (p === best ? 0 : -points)) };
  });
  return { champion: { ...champion, artifact: { ...champion.artifact, scorecard: { ...card, features } } } };
}
