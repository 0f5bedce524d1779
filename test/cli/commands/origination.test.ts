import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { capture } from '../capture.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../fixtures/origination/${name}`, import.meta.url));
const policyDir = fileURLToPath(new URL('../../../policies/default', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lendguard-origination-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const c = capture();
  const status = await main(args, c.io);
  return { status, out: c.out(), err: c.err() };
}

describe('lendguard decide', () => {
  it('prints the decision with its terms, reasons and content hash', async () => {
    const r = await run(['decide', '--input', fixture('salaried.json')]);
    expect(r.status, r.err).toBe(0);
    expect(r.out).toMatch(/application app-salaried-1: APPROVE/);
    expect(r.out).toMatch(/limit 30,000\.00 yuan, risk grade A, daily rate 0\.0002, APR 7\.30%/);
    expect(r.out).toMatch(/CAP_REQUESTED/);
    expect(r.out).toMatch(/challenger \(shadow\) application-gbm/);
    expect(r.out).toMatch(/content hash [0-9a-f]{64}/);
  });

  it('prints the record as JSON, the same bytes on every run', async () => {
    const a = await run(['decide', '--input', fixture('salaried.json'), '--json', '--no-challenger']);
    const b = await run(['decide', '--input', fixture('salaried.json'), '--json', '--no-challenger']);
    expect(a.status, a.err).toBe(0);
    expect(b.out).toBe(a.out);
    const d = JSON.parse(a.out);
    expect(d).toMatchObject({ outcome: 'approve', limit_fen: 3_000_000, policy: { policyId: 'default' } });
    expect(d.challenger).toBeUndefined();
  });

  it('decides a bare application with no invitation: declined as outside the whitelist', async () => {
    const input = JSON.parse(readFileSync(fixture('salaried.json'), 'utf8'));
    const path = join(dir, 'bare.json');
    writeFileSync(path, JSON.stringify(input.application));
    const r = await run(['decide', '--input', path, '--json', '--policy', policyDir]);
    expect(r.status, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ outcome: 'decline', flags: [{ kind: 'outside-invitation' }] });
  });

  it('exits 2 naming each invalid field and how to fix it', async () => {
    const input = JSON.parse(readFileSync(fixture('salaried.json'), 'utf8'));
    input.application.requestedLimit = 30000;
    input.application.identity.phone = '12345';
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify(input));
    const r = await run(['decide', '--input', path]);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/requestedLimit: must be an amount in yuan as a string/);
    expect(r.err).toMatch(/identity\.phone: must be an 11-digit/);
    expect(r.out).toBe('');
  });

  it('counts one invalid field in the singular, two in the plural', async () => {
    const refusal = async (name: string, spoil: (application: Record<string, unknown>) => void) => {
      const input = JSON.parse(readFileSync(fixture('salaried.json'), 'utf8'));
      spoil(input.application);
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify(input));
      const r = await run(['decide', '--input', path]);
      expect(r.status).toBe(2);
      return r.err.split('\n')[0];
    };
    const one = await refusal('one-bad.json', (a) => {
      a.requestedLimit = 30000;
    });
    expect(one).toBe(`error: ${join(dir, 'one-bad.json')}: 1 invalid field in the application:`);
    const two = await refusal('two-bad.json', (a) => {
      a.requestedLimit = 30000;
      (a.identity as Record<string, unknown>).phone = '12345';
    });
    expect(two).toBe(`error: ${join(dir, 'two-bad.json')}: 2 invalid fields in the application:`);
  });

  it('exits 2 on a missing input file or a broken policy', async () => {
    expect((await run(['decide', '--input', join(dir, 'none.json')])).err).toMatch(/cannot read input file/);
    const policy = JSON.parse(readFileSync(join(policyDir, 'policy.json'), 'utf8'));
    policy.settings.aprCap = '0.5';
    const broken = join(dir, 'broken-policy.json');
    writeFileSync(broken, JSON.stringify({ ...policy, graphs: {} }));
    const r = await run(['decide', '--input', fixture('salaried.json'), '--policy', broken]);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/settings\.aprCap/);
  });
});

describe('lendguard policy backtest', () => {
  it('reports a policy against another, by segment', async () => {
    const r = await run([
      'policy',
      'backtest',
      '--policy',
      policyDir,
      '--against',
      policyDir,
      '--cases',
      fixture('cases.csv'),
      '--json',
    ]);
    expect(r.status, r.err).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.cases).toBe(3);
    expect(report.changed).toEqual([]);
    expect(report.policy.total).toEqual(report.against.total);
  });

  it('prints a table', async () => {
    const r = await run(['policy', 'backtest', '--policy', policyDir, '--cases', fixture('cases.csv')]);
    expect(r.status, r.err).toBe(0);
    expect(r.out).toMatch(/3 cases/);
    expect(r.out).toMatch(/approval rate/);
  });

  it('counts one case in the singular, two in the plural', async () => {
    const [header, ...rows] = readFileSync(fixture('cases.csv'), 'utf8').trimEnd().split('\n');
    const firstLine = async (n: number) => {
      const path = join(dir, `cases-${n}.csv`);
      writeFileSync(path, `${[header, ...rows.slice(0, n)].join('\n')}\n`);
      const r = await run(['policy', 'backtest', '--policy', policyDir, '--cases', path]);
      expect(r.status, r.err).toBe(0);
      return r.out.split('\n')[0];
    };
    expect(await firstLine(1)).toBe('1 case');
    expect(await firstLine(2)).toBe('2 cases');
  });

  it('counts one case that changes outcome in the singular, two in the plural', async () => {
    // Against a policy whose smallest line is its largest, the approved cases are declined.
    const high = join(dir, 'high-minimum');
    cpSync(policyDir, high, { recursive: true });
    const doc = JSON.parse(readFileSync(join(high, 'policy.json'), 'utf8'));
    doc.settings.limitMin_fen = doc.settings.limitMax_fen;
    writeFileSync(join(high, 'policy.json'), JSON.stringify(doc));
    const [header, ...rows] = readFileSync(fixture('cases.csv'), 'utf8').trimEnd().split('\n');
    const changed = async (cases: string[]) => {
      const path = join(dir, `changed-${cases.length}.csv`);
      writeFileSync(path, `${[header, ...cases].join('\n')}\n`);
      const r = await run(['policy', 'backtest', '--policy', policyDir, '--against', high, '--cases', path]);
      expect(r.status, r.err).toBe(0);
      return r.out.split('\n').filter((l) => l.startsWith('from '));
    };
    expect(await changed(rows.slice(0, 1))).toEqual(['from decline to approve: 1 case']);
    expect(await changed(rows)).toEqual(['from decline to approve: 2 cases']);
  });

  it('exits 2 naming a bad cell', async () => {
    const path = join(dir, 'bad-cases.csv');
    writeFileSync(path, 'case_id,age,declared_monthly_income,requested_limit\nx,thirty,1000,100\n');
    const r = await run(['policy', 'backtest', '--policy', policyDir, '--cases', path]);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/row 1, column age/);
  });
});
