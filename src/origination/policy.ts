import type { CompiledPolicyHandle, PolicyDocument, PolicyRef } from './types.js';

/** A policy checked and loaded into the rules engine, ready to evaluate. */
export interface CompiledPolicy extends CompiledPolicyHandle {}

/** Checks a policy document (format, settings ranges, the five graphs present); issues name each bad field. */
export function parsePolicy(_raw: unknown): PolicyDocument {
  throw new Error('not implemented yet');
}

/** Loads the graphs into the rules engine once; the result is reused for every decision. */
export function compilePolicy(_document: PolicyDocument): CompiledPolicy {
  throw new Error('not implemented yet');
}

/** Id, version and sha256 of the canonical JSON of a policy document. */
export function policyRef(_document: PolicyDocument): PolicyRef {
  throw new Error('not implemented yet');
}
