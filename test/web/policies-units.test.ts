import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  POLICY_GRAPH_NAMES as CORE_GRAPH_NAMES,
  REVIEW_REASON_CODES as CORE_REVIEW_REASONS,
  type PolicyVersionStatus,
} from '../../src/origination/index.js';
import {
  readShippedPolicy,
  POLICY_BODY_LIMIT_BYTES as SERVER_POLICY_BODY_LIMIT,
  NOTE_LENGTH_MAX as SERVER_POLICY_NOTE_MAX,
  REVIEW_NOTE_LENGTH_MAX as SERVER_REVIEW_NOTE_MAX,
  SHIPPED_POLICY_DIR,
} from '../../src/server/index.js';
import type { PolicyAction } from '../../src/store/index.js';
import { WriteKeys } from '../../web/src/api.js';
import { REVIEW_NOTE_LENGTH_MAX, REVIEW_REASON_CODES, reviewable } from '../../web/src/decisions.js';
import { en, zhCN } from '../../web/src/messages.js';
import {
  assemblePolicy,
  documentPath,
  fenToYuan,
  POLICY_ACTIONS,
  POLICY_BODY_LIMIT_BYTES,
  POLICY_GRAPH_NAMES,
  POLICY_NOTE_LENGTH_MAX,
  POLICY_STATUSES,
  type PolicyStatus,
  policyActions,
  summarizePolicy,
} from '../../web/src/policies.js';

/** True only when the two types have exactly the same members. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const statusesMatch: Same<PolicyStatus, PolicyVersionStatus> = true;
const actionsMatch: Same<(typeof POLICY_ACTIONS)[number], PolicyAction> = true;

const packFile = (name: string) => ({ name, text: readFileSync(join(SHIPPED_POLICY_DIR, name), 'utf8') });
const PACK = [
  'policy.json',
  'knockout.json',
  'cutoffs.json',
  'limits.json',
  'pricing.json',
  'referral.json',
  'linecontrols.json',
];

describe('the Policies pages’ helpers', () => {
  it('know what the server knows: statuses, steps, graphs, reasons and bounds', () => {
    expect(statusesMatch && actionsMatch).toBe(true);
    expect([...POLICY_GRAPH_NAMES]).toEqual([...CORE_GRAPH_NAMES]);
    expect([...REVIEW_REASON_CODES]).toEqual([...CORE_REVIEW_REASONS]);
    expect(REVIEW_NOTE_LENGTH_MAX).toBe(SERVER_REVIEW_NOTE_MAX);
    expect(POLICY_NOTE_LENGTH_MAX).toBe(SERVER_POLICY_NOTE_MAX);
    expect(POLICY_BODY_LIMIT_BYTES).toBe(SERVER_POLICY_BODY_LIMIT);
  });

  it('names every status, step, graph and review reason in both languages', () => {
    const keys = [
      ...POLICY_STATUSES.map((s) => `policyStatus.${s}`),
      ...POLICY_ACTIONS.map((a) => `policyAction.${a}`),
      ...POLICY_GRAPH_NAMES.map((g) => `graph.${g}`),
      ...REVIEW_REASON_CODES.map((c) => `reviewReason.${c}`),
    ];
    for (const key of keys) {
      expect(en[key as keyof typeof en], key).toBeTruthy();
      expect(zhCN[key as keyof typeof en], key).toBeTruthy();
    }
  });

  it('offers each status only the step the server allows next', () => {
    expect(policyActions('draft')).toEqual(['approve']);
    expect(policyActions('approved')).toEqual(['publish']);
    expect(policyActions('published')).toEqual(['rollback']);
    expect(policyActions('retired')).toEqual([]);
    expect(policyActions('rejected')).toEqual([]);
  });

  it('summarizes the shipped pack: every graph in order, each table with all its rules', () => {
    const document = readShippedPolicy();
    const summary = summarizePolicy(document);
    // The five graphs of a decision, then the optional line controls (docs/monitoring.md).
    expect(summary.graphs.map((g) => g.name)).toEqual([...CORE_GRAPH_NAMES, 'lineControls']);
    for (const g of summary.graphs) {
      const graph = document.graphs[g.name as keyof typeof document.graphs]!;
      const tables = graph.nodes.filter((n) => n.type === 'decisionTableNode');
      expect(g.tables.length).toBe(tables.length);
      expect(g.edges).toBe(graph.edges.length);
      for (const [i, table] of g.tables.entries()) {
        const rules = (tables[i]!.content as { rules: unknown[] }).rules;
        expect(table.rules.length).toBe(rules.length);
        expect(table.inputs.length).toBeGreaterThan(0);
        expect(table.outputs.length).toBeGreaterThan(0);
      }
    }
    const knockout = summary.graphs[0]!.tables[0]!;
    expect(knockout.hitPolicy).toBe('collect');
    expect(knockout.rules[0]!.cells.in1).toBe('< 18');
    expect(summary.settings.aprCap).toBe('0.24');
    expect(summary.settings).not.toHaveProperty('fraud');
    expect(summary.fraud.sharedWindow_days).toBe(30);
    expect(summary.challenger.mode).toBe('shadow');
  });

  it('summarizes whatever it is given without throwing: the server judges validity', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const s = summarizePolicy(value);
        expect(Array.isArray(s.graphs)).toBe(true);
      }),
    );
    expect(summarizePolicy({ graphs: { knockout: { nodes: 'x' } } }).graphs[0]!.tables).toEqual([]);
  });

  it('puts the graphs of a policy pack uploaded as several files inline, as the server reads the folder', () => {
    const assembled = assemblePolicy(PACK.map(packFile));
    expect(assembled.ok).toBe(true);
    if (!assembled.ok) return;
    // The same document the server's own reader makes from the folder.
    expect(JSON.parse(assembled.text)).toEqual(JSON.parse(JSON.stringify(readShippedPolicy())));
    // Files in any order, and a document pasted whole, give the same.
    const shuffled = assemblePolicy([...PACK].reverse().map(packFile));
    expect(shuffled.ok && shuffled.text).toBe(assembled.text);
    const pasted = assemblePolicy([{ name: 'pasted', text: assembled.text }]);
    expect(pasted.ok && pasted.text).toBe(assembled.text);
  });

  it('says what is missing or wrong in an upload before anything is sent', () => {
    expect(assemblePolicy([])).toEqual({ ok: false, problem: { kind: 'empty' } });
    expect(assemblePolicy([{ name: 'a', text: '  ' }])).toEqual({ ok: false, problem: { kind: 'empty' } });
    const broken = assemblePolicy([{ name: 'policy.json', text: '{"format": ' }]);
    expect(broken.ok === false && broken.problem.kind === 'json' && broken.problem.file).toBe('policy.json');
    const without = assemblePolicy(PACK.filter((f) => f !== 'limits.json').map(packFile));
    expect(without).toEqual({
      ok: false,
      problem: { kind: 'graph-missing', graph: 'limits', file: 'limits.json' },
    });
    const two = assemblePolicy([packFile('policy.json'), { ...packFile('policy.json'), name: 'copy.json' }]);
    expect(two).toEqual({
      ok: false,
      problem: { kind: 'several-policies', files: ['policy.json', 'copy.json'] },
    });
    expect(assemblePolicy([packFile('limits.json'), packFile('pricing.json')])).toEqual({
      ok: false,
      problem: { kind: 'no-policy' },
    });
    const huge = assemblePolicy([
      {
        name: 'p',
        text: JSON.stringify({ format: 'lendguard.policy', description: 'x'.repeat(1024 * 1024) }),
      },
    ]);
    expect(huge.ok === false && huge.problem.kind).toBe('too-large');
    // One document that is not a policy is still sent: the server says what is wrong with it, field by field.
    expect(assemblePolicy([{ name: 'p', text: '{"version": "x"}' }]).ok).toBe(true);
  });

  it('writes fen as yuan by integer arithmetic, exactly', () => {
    expect(fenToYuan(0)).toBe('0.00');
    expect(fenToYuan(5)).toBe('0.05');
    expect(fenToYuan(7_200_000)).toBe('72000.00');
    expect(fenToYuan(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
    for (const bad of [-1, 1.5, Number.NaN, '100', null, undefined, 2 ** 53])
      expect(fenToYuan(bad)).toBeUndefined();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (fen) => {
        const [whole, fraction] = fenToYuan(fen)!.split('.');
        expect(BigInt(whole!) * 100n + BigInt(fraction!)).toBe(BigInt(fen));
        expect(fraction).toHaveLength(2);
      }),
    );
  });

  it('names a policy problem by the document’s own dotted path', () => {
    expect(documentPath('/body/settings/aprCap')).toBe('settings.aprCap');
    expect(documentPath('/body/graphs/limits')).toBe('graphs.limits');
    expect(documentPath('/body')).toBe('(document)');
    expect(documentPath('/path/version')).toBe('/path/version');
  });

  it('lets a person decide only what the server would review', () => {
    const overturned = [{ kind: 'objection' as const, objectionResult: 'overturned' as const }];
    const upheld = [{ kind: 'objection' as const, objectionResult: 'upheld' as const }];
    const automated = { decidedBy: null, supersededBy: null };
    expect(reviewable({ ...automated, outcome: 'refer' }, [])).toBe('refer');
    expect(reviewable({ ...automated, outcome: 'decline' }, [])).toBe('needs-objection');
    expect(reviewable({ ...automated, outcome: 'decline' }, upheld)).toBe('needs-objection');
    expect(reviewable({ ...automated, outcome: 'decline' }, overturned)).toBe('decline');
    expect(reviewable({ ...automated, outcome: 'approve' }, overturned)).toBe('no');
    expect(reviewable({ ...automated, outcome: 'refer', supersededBy: 'dec_2' }, [])).toBe('no');
    expect(reviewable({ outcome: 'decline', decidedBy: 'usr_1', supersededBy: null }, overturned)).toBe('no');
  });

  it('keeps one idempotency key per request, so a request sent again is not acted on twice', () => {
    const keys = new WriteKeys();
    const first = keys.keyFor('/policies/v1/approve', { note: 'ok' });
    expect(keys.keyFor('/policies/v1/approve', { note: 'ok' })).toBe(first);
    const other = keys.keyFor('/policies/v1/approve', { note: 'checked' });
    expect(other).not.toBe(first);
    expect(keys.keyFor('/policies/v2/approve', { note: 'checked' })).not.toBe(other);
    expect(first).toMatch(/^web-[0-9a-f]{32}$/);
  });
});
