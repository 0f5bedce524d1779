import { expect } from 'vitest';

interface Response {
  statusCode: number;
  body: string;
  headers: Record<string, unknown>;
  json: () => unknown;
}

export interface ExpectedProblem {
  status: number;
  code: string;
  /** What the message (detail or a field's message) must say, so that a person knows what to fix. */
  says: RegExp;
  /** The JSON pointer of the field at fault, when there is one. */
  path?: string;
}

/** Asserts an RFC 9457 problem+json answer with the expected status, code, message and field path. */
export function expectProblem(res: Response, c: ExpectedProblem): void {
  expect(res.statusCode, res.body).toBe(c.status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const problem = res.json() as {
    type: string;
    title: string;
    status: number;
    detail: string;
    code: string;
    errors?: { path: string; message: string }[];
  };
  expect(problem.code).toBe(c.code);
  expect(problem.status).toBe(c.status);
  expect(problem.type).toMatch(new RegExp(`/${c.code}$`));
  expect(problem.title.length).toBeGreaterThan(0);
  const said = [problem.detail, ...(problem.errors ?? []).map((e) => e.message)].join(' | ');
  expect(said).toMatch(c.says);
  if (c.path !== undefined) expect((problem.errors ?? []).map((e) => e.path)).toContain(c.path);
}
