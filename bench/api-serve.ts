// `lendguard` run from the TypeScript sources, for bench/api.ts (the server under load is the real
// `lendguard serve`, in its own process or processes).
import { main } from '../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
