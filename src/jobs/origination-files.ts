import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadedModel, ModelSet, PolicyDocument } from '../origination/index.js';
import { isOriginationError, loadModel, parsePolicy } from '../origination/index.js';
import { parseModel, ScoringError } from '../scoring/index.js';
import { InputFileError } from './input-file-error.js';

/** The package root: two levels above this file in both src/cli and dist/cli. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_POLICY_DIR = join(PACKAGE_ROOT, 'policies', 'default');
export const DEFAULT_CHAMPION_MODEL = join(PACKAGE_ROOT, 'models', 'application-scorecard.json');
export const DEFAULT_CHALLENGER_MODEL = join(PACKAGE_ROOT, 'models', 'application-gbm.json');
/** The shipped behaviour scorecard (行为评分), as the monthly behaviour job scores with it. */
export const DEFAULT_BEHAVIOUR_MODEL = join(PACKAGE_ROOT, 'models', 'behaviour-scorecard.json');

export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputFileError(`cannot read ${what} "${path}"; check the path`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputFileError(`${what} "${path}" is not JSON: ${(error as Error).message}`);
  }
}

function issuesText(error: unknown): string {
  if (!isOriginationError(error)) return '';
  return error.issues.map((i) => `\n  ${i.path}: ${i.message}`).join('');
}

/**
 * Reads a policy: a folder holding policy.json whose `graphs` name a JSON file per graph (the form an analyst
 * edits), or one JSON file holding the whole document with the graphs inline (the form the store keeps).
 */
export function readPolicy(path: string): PolicyDocument {
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    throw new InputFileError(`cannot read policy "${path}": no such file or folder; check the path`);
  }
  const file = isFolder ? join(path, 'policy.json') : path;
  const raw = readJsonFile(file, 'policy file') as Record<string, unknown>;
  if (
    isFolder &&
    typeof raw === 'object' &&
    raw !== null &&
    typeof raw.graphs === 'object' &&
    raw.graphs !== null
  ) {
    const graphs: Record<string, unknown> = {};
    for (const [name, ref] of Object.entries(raw.graphs as Record<string, unknown>))
      graphs[name] = typeof ref === 'string' ? readJsonFile(join(path, ref), `${name} graph`) : ref;
    raw.graphs = graphs;
  }
  try {
    return parsePolicy(raw);
  } catch (error) {
    if (isOriginationError(error)) throw new InputFileError(`${file}: ${error.message}${issuesText(error)}`);
    throw error;
  }
}

export function readModel(path: string, modelId: string): LoadedModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputFileError(`cannot read model file "${path}"; check the path`);
  }
  try {
    return loadModel(parseModel(text), modelId);
  } catch (error) {
    if (error instanceof ScoringError || isOriginationError(error))
      throw new InputFileError(`${path}: ${error.message}`);
    throw error;
  }
}

/** The champion (the shipped scorecard unless given) and, when a file is given or shipped, the challenger. */
export function readModels(championPath?: string, challengerPath?: string | false): ModelSet {
  const champion = readModel(
    championPath ?? DEFAULT_CHAMPION_MODEL,
    championPath ? 'champion' : 'application-scorecard',
  );
  if (challengerPath === false) return { champion };
  const challenger = readModel(
    challengerPath ?? DEFAULT_CHALLENGER_MODEL,
    challengerPath ? 'challenger' : 'application-gbm',
  );
  return { champion, challenger };
}

export { issuesText };
