#!/usr/bin/env node
// The command line runs the compiled code in dist/ (built by `npm ci` through the prepare script,
// or by `npm run build`).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
