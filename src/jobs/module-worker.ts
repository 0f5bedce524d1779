import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running one module of this package, given the URL of its compiled JavaScript
 * (`new URL('./x-worker.js', import.meta.url)`): that file when the package is built, the TypeScript source
 * beside it through tsx otherwise (tests and `--import tsx` runs).
 */
export function moduleWorker(js: URL, options: WorkerOptions = {}): Worker {
  if (existsSync(fileURLToPath(js))) return new Worker(js, options);
  const ts = new URL(js.href.replace(/\.js$/, '.ts'));
  const boot = `(async () => { const { register } = await import('tsx/esm/api'); register(); await import(${JSON.stringify(ts.href)}); })()`;
  return new Worker(boot, { ...options, eval: true });
}
