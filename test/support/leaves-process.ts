/**
 * The files a test worker runs share its process (`isolate: false`, vitest.config.ts), so a file must leave
 * the process as it found it. This checks the environment variables and the working folder: a file that
 * sets one and does not put it back fails, naming it (for a variable that was unset, put it back with
 * `delete process.env.X`; `process.env.X = undefined` sets the text "undefined").
 */
import { afterAll, beforeAll } from 'vitest';

let envBefore: Record<string, string | undefined> = {};
let cwdBefore = '';

beforeAll(() => {
  envBefore = { ...process.env };
  cwdBefore = process.cwd();
});

afterAll(() => {
  const changed: string[] = [];
  for (const key of new Set([...Object.keys(envBefore), ...Object.keys(process.env)])) {
    if (process.env[key] !== envBefore[key]) {
      changed.push(
        `${key}: ${JSON.stringify(envBefore[key] ?? null)} → ${JSON.stringify(process.env[key] ?? null)}`,
      );
    }
  }
  if (process.cwd() !== cwdBefore) changed.push(`working folder: ${cwdBefore} → ${process.cwd()}`);
  if (changed.length > 0) {
    throw new Error(
      `this test file changed the process it shares with the worker's other files and did not put it back: ${changed.join('; ')}`,
    );
  }
});
