import { Command, CommanderError } from 'commander';
import { InputFileError } from '../jobs/index.js';
import { registerAudit } from './commands/audit.js';
import { registerMonitoring } from './commands/behaviour.js';
import { registerCadences } from './commands/cadences.js';
import { registerCollections } from './commands/collections.js';
import { registerCreditReport } from './commands/credit-report.js';
import { registerDb } from './commands/db.js';
import { registerDemo } from './commands/demo.js';
import { registerDispatch } from './commands/dispatch.js';
import { registerEcl } from './commands/ecl.js';
import { registerEod } from './commands/eod.js';
import { registerFunding } from './commands/funding.js';
import { registerImpact } from './commands/impact.js';
import { registerImport } from './commands/import.js';
import { registerDecide, registerPolicy } from './commands/origination.js';
import { registerReport } from './commands/report.js';
import { registerRestructure } from './commands/restructure.js';
import { registerSchedule } from './commands/schedule.js';
import { registerScore } from './commands/score.js';
import { registerServe } from './commands/serve.js';
import { registerSimulate } from './commands/simulate.js';
import { registerUsers } from './commands/users.js';
import { registerWriteOff } from './commands/writeoff.js';
import { type CliIo, CommandFailedError, EXIT_FAILURE, EXIT_USAGE, UsageError, writeLine } from './io.js';
import type { RegisterCommand } from './register.js';

const registrations: RegisterCommand[] = [
  registerSchedule,
  registerImpact,
  registerRestructure,
  registerScore,
  registerServe,
  registerDb,
  registerAudit,
  registerUsers,
  registerEod,
  registerWriteOff,
  registerCreditReport,
  registerCollections,
  registerDispatch,
  registerDemo,
  registerDecide,
  registerPolicy,
  registerImport,
  registerSimulate,
  registerReport,
  registerEcl,
  registerFunding,
  registerMonitoring,
  registerCadences,
];

export function buildProgram(io: CliIo): Command {
  const program = new Command('lendguard')
    .description('Lendguard: credit risk across the whole life of internet consumer loans')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  for (const register of registrations) register(program, io);
  return program;
}

/** Runs the command line with the given arguments; resolves to the process exit status. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    return exitCodeFor(error, io);
  }
}

function exitCodeFor(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) return 0;
    // commander has already printed its message; wrong options are the user's to fix.
    return EXIT_USAGE;
  }
  if (error instanceof CommandFailedError) {
    if (error.message !== '') writeLine(io.stderr, `error: ${error.message}`);
    return EXIT_FAILURE;
  }
  if (error instanceof UsageError || error instanceof InputFileError) {
    writeLine(io.stderr, `error: ${error.message}`);
    return EXIT_USAGE;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  writeLine(io.stderr, `lendguard: unexpected failure: ${message}`);
  return EXIT_FAILURE;
}
