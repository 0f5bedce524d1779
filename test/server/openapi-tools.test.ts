import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRoutes } from '../../src/server/index.js';
import type { Db } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { startApi, type TestApi } from './helpers.js';

const require = createRequire(import.meta.url);
const REDOCLY = join(require.resolve('@redocly/cli/package.json'), '..', 'bin', 'cli.js');

/** The document as client tools read it: linted by Redocly CLI, turned into a typed client by openapi-typescript. */
describe('the OpenAPI document in standard tools', () => {
  let db: Db;
  let api: TestApi;
  let document: Record<string, unknown>;
  const dir = mkdtempSync(join(tmpdir(), 'lg-openapi-'));
  beforeAll(async () => {
    db = await openMigrated(backends[0]!);
    api = await startApi(db);
    document = api.app.swagger() as unknown as Record<string, unknown>;
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives every operation a unique operationId and a security statement', () => {
    const paths = document.paths as Record<
      string,
      Record<string, { operationId?: string; security?: unknown }>
    >;
    const ids: string[] = [];
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z0-9]+$/);
        expect(operation.security, `${method} ${path}`).toBeDefined();
        ids.push(operation.operationId!);
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(listRoutes(api.app).filter((r) => !r.hidden).length);
    expect(ids).toContain('getCustomersByCustomerId');
    expect(ids).toContain('postEodRuns');
  });

  it('passes Redocly CLI with its recommended rules: no error, no warning', () => {
    const lint = spawnSync(
      process.execPath,
      [REDOCLY, 'lint', join(dir, 'openapi.json'), '--extends=recommended', '--format=json'],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', CI: 'true' },
        timeout: 120_000,
      },
    );
    const report = JSON.parse(lint.stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
    };
    const found = report.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    expect(found).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 120_000);

  it('generates a typed client that type-checks against calls by operation', async () => {
    const types = astToString(await openapiTS(JSON.parse(readFileSync(join(dir, 'openapi.json'), 'utf8'))));
    writeFileSync(join(dir, 'api.d.ts'), types);
    writeFileSync(
      join(dir, 'client.ts'),
      `import type { operations, paths } from './api.js';
type Customer = operations['getCustomersByCustomerId']['responses'][200]['content']['application/json'];
type Started = operations['postEodRuns']['responses'][202]['content']['application/json'];
export const days = (run: Started): number => run.daysToClose;
export const city = (c: Customer): string => c.address.city;
export type LoanPath = paths['/loans/{loanId}']['get'];
`,
    );
    const program = ts.createProgram([join(dir, 'client.ts')], {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      skipLibCheck: true,
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  }, 60_000);
});
