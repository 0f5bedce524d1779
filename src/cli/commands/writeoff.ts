import {
  decideWriteOffAs,
  proposeWriteOffAs,
  WriteOffUserError,
  writeOffCandidatesNow,
} from '../../jobs/index.js';
import { formatDate, formatMinor } from '../../money/index.js';
import { type StoredWriteOffProposal, WRITE_OFF_CANDIDATES_MAX, WriteOffError } from '../../store/index.js';
import {
  type CliIo,
  CommandFailedError,
  counted,
  renderTable,
  UsageError,
  writeJson,
  writeLine,
} from '../io.js';
import type { RegisterCommand } from '../register.js';
import { addDbOption, explained, withMigratedDb } from './db-options.js';
import { parsePositiveInt } from './parse.js';

interface CommonOptions {
  db?: string;
  json?: boolean;
}

/** A refusal of the store or of the acting user, as a message with the fix (exit 1). */
async function refusals<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof WriteOffError || error instanceof WriteOffUserError) {
      throw new CommandFailedError(error.message);
    }
    throw error;
  }
}

function printProposal(io: CliIo, p: StoredWriteOffProposal, json: boolean | undefined): void {
  if (json) {
    writeJson(io, p);
    return;
  }
  writeLine(
    io.stdout,
    `proposal ${p.proposalId}: ${p.status}, ${counted(p.loans.length, 'loan')}, proposed by ${p.proposedBy} on ${formatDate(p.proposedDay)}${p.decidedBy === null ? '' : `, ${p.status} by ${p.decidedBy}`}`,
  );
}

function parseLoans(values: readonly string[]): { loanId: string; evidenceRef: string }[] {
  return values.map((v) => {
    const at = v.indexOf('=');
    if (at <= 0 || at === v.length - 1) {
      throw new UsageError(`--loan "${v}" must be LOAN_ID=EVIDENCE_REF, e.g. --loan ln_0192…=CASE-2026-0413`);
    }
    return { loanId: v.slice(0, at), evidenceRef: v.slice(at + 1).trim() };
  });
}

/** `lendguard writeoff candidates|propose|approve|reject`: 核销 by the lender's rule, with maker-checker. */
export const registerWriteOff: RegisterCommand = (program, io) => {
  const writeoff = program
    .command('writeoff')
    .description('Write-off (核销): candidates, proposals and approval');
  addDbOption(
    writeoff
      .command('candidates')
      .description("Loans the lender's rule makes write-off candidates on the business day")
      .option('--limit <n>', `at most this many (1 to ${WRITE_OFF_CANDIDATES_MAX})`, '200')
      .option('--json', 'print as JSON'),
  ).action((o: CommonOptions & { limit: string }) =>
    explained(async () => {
      const limit = parsePositiveInt(o.limit, '--limit', WRITE_OFF_CANDIDATES_MAX);
      const r = await withMigratedDb(o.db, (db) => writeOffCandidatesNow(db, limit));
      if (o.json) {
        writeJson(io, {
          businessDay: formatDate(r.day),
          ruleVersion: r.ruleVersion,
          candidates: r.candidates,
        });
        return;
      }
      writeLine(
        io.stdout,
        `${counted(r.candidates.length, 'candidate')} on ${formatDate(r.day)} (rule version ${r.ruleVersion})`,
      );
      if (r.candidates.length === 0) return;
      writeLine(
        io.stdout,
        renderTable(
          [
            { header: 'loan' },
            { header: 'DPD', align: 'right' },
            { header: 'class' },
            { header: 'principal', align: 'right' },
            { header: 'total', align: 'right' },
          ],
          r.candidates.map((c) => [
            c.loanId,
            String(c.daysPastDue),
            c.assetClass,
            formatMinor(c.principalMinor),
            formatMinor(c.totalMinor),
          ]),
        ),
      );
    }),
  );
  addDbOption(
    writeoff
      .command('propose')
      .description('Propose loans for write-off, each with its evidence reference; another user approves')
      .requiredOption('--as <username>', 'the proposing user (admin, risk_analyst or finance)')
      .requiredOption(
        '--loan <id=evidence>',
        'a loan and the reference of its case file; repeat for several',
        (v: string, all: string[] = []) => [...all, v],
      )
      .option('--note <text>', 'why')
      .option('--json', 'print as JSON'),
  ).action((o: CommonOptions & { as: string; loan: string[]; note?: string }) =>
    explained(async () => {
      const loans = parseLoans(o.loan);
      const p = await withMigratedDb(o.db, (db) =>
        refusals(() => proposeWriteOffAs(db, o.as, loans, o.note ?? null)),
      );
      printProposal(io, p, o.json);
    }),
  );
  for (const decision of ['approve', 'reject'] as const) {
    addDbOption(
      writeoff
        .command(`${decision} <proposalId>`)
        .description(
          decision === 'approve'
            ? 'Approve a proposal (never your own): its loans are written off on the business day'
            : 'Reject a proposal (never your own): nothing is written off',
        )
        .requiredOption('--as <username>', 'the deciding user, not the proposer')
        .option('--note <text>', 'why')
        .option('--json', 'print as JSON'),
    ).action((proposalId: string, o: CommonOptions & { as: string; note?: string }) =>
      explained(async () => {
        const p = await withMigratedDb(o.db, (db) =>
          refusals(() => decideWriteOffAs(db, o.as, proposalId, decision, o.note ?? null)),
        );
        printProposal(io, p, o.json);
      }),
    );
  }
};
