/**
 * Policy versions as the API shows them (GET /policies, docs/api.md "Origination"), and the pure helpers the
 * Policies pages use: a readable summary of a policy document and the assembly of an uploaded policy pack.
 */

import type { ResponseOf } from './api-types.js';

/** The statuses the server gives a version (src/origination/types.ts, PolicyVersionStatus). */
export const POLICY_STATUSES = ['draft', 'approved', 'published', 'retired', 'rejected'] as const;
export type PolicyStatus = (typeof POLICY_STATUSES)[number];
export const POLICY_STATUS_COLORS: Record<PolicyStatus, string> = {
  draft: 'blue',
  approved: 'cyan',
  published: 'green',
  retired: 'default',
  rejected: 'red',
};

/** The steps of a version's maker-checker trail (src/store/origination/policies.ts, PolicyAction). */
export const POLICY_ACTIONS = ['draft', 'approve', 'reject', 'publish', 'retire', 'rollback'] as const;

/** The five graphs of a policy in the order they are evaluated (src/origination, POLICY_GRAPH_NAMES). */
export const POLICY_GRAPH_NAMES = ['knockout', 'cutoffs', 'limits', 'pricing', 'referral'] as const;

/** Longest note kept with an approval, publication or roll back (src/server/origination/policies.ts). */
export const POLICY_NOTE_LENGTH_MAX = 500;
/** Largest policy document the server accepts, in bytes (POLICY_BODY_LIMIT_BYTES). */
export const POLICY_BODY_LIMIT_BYTES = 1024 * 1024;

export type PolicyVersion = ResponseOf<'/policies/{version}'>;
export type PolicyTrailEntry = NonNullable<PolicyVersion['trail']>[number];

/** What a user may do to a version in its status; the server checks both again. */
export function policyActions(status: PolicyStatus): ('approve' | 'publish' | 'rollback')[] {
  if (status === 'draft') return ['approve'];
  if (status === 'approved') return ['publish'];
  if (status === 'published') return ['rollback'];
  return [];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));

/** One decision table of a graph: its columns and one row per rule, each cell as the analyst wrote it. */
export interface TableSummary {
  name: string;
  hitPolicy: string;
  inputs: { id: string; name: string; field: string }[];
  outputs: { id: string; name: string; field: string }[];
  rules: { id: string; cells: Record<string, string> }[];
}

export interface GraphSummary {
  name: string;
  nodes: number;
  edges: number;
  tables: TableSummary[];
}

export interface PolicySummary {
  policyId: string;
  version: string;
  description: string;
  /** Settings other than the fraud thresholds and the challenger, as given. */
  settings: Obj;
  fraud: Obj;
  challenger: Obj;
  graphs: GraphSummary[];
}

function columns(v: unknown): TableSummary['inputs'] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObj).map((c) => ({ id: text(c.id), name: text(c.name), field: text(c.field) }));
}

function summarizeGraph(name: string, graph: unknown): GraphSummary {
  const nodes = isObj(graph) && Array.isArray(graph.nodes) ? graph.nodes.filter(isObj) : [];
  const edges = isObj(graph) && Array.isArray(graph.edges) ? graph.edges.length : 0;
  const tables = nodes
    .filter((n) => n.type === 'decisionTableNode' && isObj(n.content))
    .map((n) => {
      const content = n.content as Obj;
      const inputs = columns(content.inputs);
      const outputs = columns(content.outputs);
      const rules = (Array.isArray(content.rules) ? content.rules.filter(isObj) : []).map((r, i) => {
        const cells: Record<string, string> = {};
        for (const c of [...inputs, ...outputs]) cells[c.id] = text(r[c.id]);
        return { id: typeof r._id === 'string' ? r._id : String(i + 1), cells };
      });
      return { name: text(n.name), hitPolicy: text(content.hitPolicy), inputs, outputs, rules };
    });
  return { name, nodes: nodes.length, edges, tables };
}

/**
 * A readable summary of a policy document (format lendguard.policy 1): its settings and, per graph in
 * evaluation order, each decision table with its rules. Only reads: the server is the judge of validity.
 */
export function summarizePolicy(document: unknown): PolicySummary {
  const d = isObj(document) ? document : {};
  const settings = isObj(d.settings) ? { ...d.settings } : {};
  const fraud = isObj(settings.fraud) ? settings.fraud : {};
  const challenger = isObj(settings.challenger) ? settings.challenger : {};
  delete settings.fraud;
  delete settings.challenger;
  const graphs = isObj(d.graphs) ? d.graphs : {};
  const names = [
    ...POLICY_GRAPH_NAMES.filter((n) => n in graphs),
    ...Object.keys(graphs).filter((n) => !(POLICY_GRAPH_NAMES as readonly string[]).includes(n)),
  ];
  return {
    policyId: text(d.policyId),
    version: text(d.version),
    description: text(d.description),
    settings,
    fraud,
    challenger,
    graphs: names.map((n) => summarizeGraph(n, graphs[n])),
  };
}

/** Why an uploaded or pasted policy cannot be sent; the server's own checks come after. */
export type AssemblyProblem =
  | { kind: 'empty' }
  | { kind: 'json'; file: string; message: string }
  | { kind: 'no-policy' }
  | { kind: 'several-policies'; files: string[] }
  | { kind: 'graph-missing'; graph: string; file: string }
  | { kind: 'too-large'; bytes: number };

export type Assembly = { ok: true; document: Obj; text: string } | { ok: false; problem: AssemblyProblem };

/**
 * One policy document from what was uploaded or pasted: either one document with its graphs inline, or a
 * policy pack as kept in a folder (policies/default: policy.json naming one JSON file per graph) given as
 * several files, whose graphs are put inline by file name. The result is what POST /policies takes.
 */
export function assemblePolicy(files: readonly { name: string; text: string }[]): Assembly {
  const parsed: { name: string; value: unknown }[] = [];
  for (const f of files) {
    if (f.text.trim() === '') continue;
    try {
      parsed.push({ name: f.name, value: JSON.parse(f.text) });
    } catch (error) {
      return { ok: false, problem: { kind: 'json', file: f.name, message: (error as Error).message } };
    }
  }
  if (parsed.length === 0) return { ok: false, problem: { kind: 'empty' } };
  const policies = parsed.filter((p) => isObj(p.value) && p.value.format === 'lendguard.policy');
  if (policies.length > 1)
    return { ok: false, problem: { kind: 'several-policies', files: policies.map((p) => p.name) } };
  const policy = policies[0] ?? (parsed.length === 1 ? parsed[0] : undefined);
  if (policy === undefined || !isObj(policy.value)) return { ok: false, problem: { kind: 'no-policy' } };
  const document: Obj = { ...policy.value };
  if (isObj(document.graphs)) {
    const graphs: Obj = {};
    for (const [graph, ref] of Object.entries(document.graphs)) {
      if (typeof ref !== 'string') {
        graphs[graph] = ref;
        continue;
      }
      const base = (n: string) => n.split(/[\\/]/).pop() ?? n;
      const file = parsed.find((p) => p !== policy && base(p.name) === base(ref));
      if (file === undefined) return { ok: false, problem: { kind: 'graph-missing', graph, file: ref } };
      graphs[graph] = file.value;
    }
    document.graphs = graphs;
  }
  const body = JSON.stringify(document);
  const bytes = new TextEncoder().encode(body).length;
  if (bytes > POLICY_BODY_LIMIT_BYTES) return { ok: false, problem: { kind: 'too-large', bytes } };
  return { ok: true, document, text: JSON.stringify(document, null, 2) };
}

/**
 * An amount in fen (a safe integer from a sealed record) as a decimal string of yuan, by integer
 * arithmetic on the digits: what the money formatter takes. Anything else gives undefined.
 */
export function fenToYuan(fen: unknown): string | undefined {
  if (typeof fen !== 'number' || !Number.isSafeInteger(fen) || fen < 0) return undefined;
  const digits = String(fen).padStart(3, '0');
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/**
 * Turns the API's body paths of a policy problem (`/body/settings/aprCap`, `/body/graphs/limits`) into the
 * document's own dotted names (`settings.aprCap`), which an analyst finds in the JSON.
 */
export function documentPath(path: string): string {
  if (!path.startsWith('/body')) return path;
  const inside = path
    .slice('/body'.length)
    .split('/')
    .filter((p) => p !== '')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return inside.length === 0 ? '(document)' : inside.join('.');
}
