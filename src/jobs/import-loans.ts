import {
  type CreditLineState,
  type ImportedLoan,
  type ImportFault,
  type ImportLineInput,
  type ImportLoan,
  type ImportProblem,
  importDayFaults,
  type Product,
  replayImportLine,
} from '../ledger/index.js';
import { addDays, counted, type Day } from '../money/index.js';
import {
  appendAudit,
  appendLoanHistories,
  findCustomerIdsByIdNumbers,
  findProduct,
  getBusinessDay,
  insertCustomersInBulk,
  insertLineRows,
  insertLoanRows,
  insertProductVersion,
  type NewCustomer,
  newId,
  normaliseIdNumber,
  type PiiCipher,
  type Queryable,
} from '../store/index.js';

/**
 * 存量导入, the shell's part: loads what the file names (products, customers, loans imported before),
 * has the core replay each credit line's loans to the day before the business day and reconcile them,
 * and writes the lines that agree with COPY (src/store/ledger/bulk.ts), as the demo book is written.
 * See docs/import.md and decision 0380.
 */

/** Loans replayed and written per transaction (whole lines: a line's loans are never split). */
export const IMPORT_LOANS_PER_TRANSACTION_DEFAULT = 2_000;

/** The file cannot be imported as it is: every fault found, with its place; nothing was written. */
export class ImportFileError extends Error {
  constructor(readonly faults: readonly ImportFault[]) {
    super(`the file cannot be imported: ${counted(faults.length, 'fault')}`);
    this.name = 'ImportFileError';
  }
}

export interface ImportLoansOptions {
  /** Write nothing unless every loan of the file agrees (one transaction for the whole file). */
  allOrNothing?: boolean;
  loansPerTransaction?: number;
  /** Who is recorded as having created the customers, products and audit entries. */
  createdBy?: string;
  onProgress?: (loansDone: number, loansTotal: number) => void;
}

export interface ImportLoansReport {
  businessDay: Day;
  loansRead: number;
  loansImported: number;
  linesImported: number;
  customersCreated: number;
  /** Customers found by ID number and given the imported loans. */
  customersFound: number;
  productsCreated: string[];
  /** One per line that was not written: the first loan that disagrees or is refused. */
  problems: ImportProblem[];
  /** Loans not written because another loan on their credit line has a problem. */
  heldBack: string[];
  /** True when nothing was written because of --all-or-nothing. */
  nothingWritten: boolean;
}

interface LinePlan {
  lineRef: string;
  customerRef: string;
  input: ImportLineInput;
}

interface ProductUse {
  product: Product;
  /** Stored version, or null when the import creates it. */
  version: number | null;
  where: string;
}

async function resolveProducts(q: Queryable, loans: readonly ImportLoan[], faults: ImportFault[]) {
  const uses = new Map<string, ProductUse>();
  for (const loan of loans) {
    const code = loan.product.code;
    if (uses.has(code)) continue;
    const stored = await findProduct(q, code);
    const terms = loan.product.terms;
    if (stored === undefined) {
      if (terms === null) {
        faults.push({
          where: loan.where,
          message: `unknown product ${code}: no product of that code is stored; give its terms in the file, or create it first`,
        });
      } else {
        uses.set(code, { product: terms, version: null, where: loan.where });
      }
      continue;
    }
    if (terms !== null && JSON.stringify(terms) !== JSON.stringify(stored.product)) {
      faults.push({
        where: loan.where,
        message: `product ${code} is stored (version ${stored.version}) with other terms than the file gives; leave the terms out to use it, or give the file's terms another code`,
      });
      continue;
    }
    uses.set(code, { product: stored.product, version: stored.version, where: loan.where });
  }
  return uses;
}

async function importedBefore(q: Queryable, loans: readonly ImportLoan[]): Promise<Set<string>> {
  const { rows } = await q.query<{ client_id: string }>(
    `select client_id from loan_events where seq = 1 and type = 'LoanOpened' and client_id = any($1::text[])`,
    [loans.map((l) => `import:${l.loanRef}`)],
  );
  return new Set(rows.map((r) => r.client_id.slice('import:'.length)));
}

/** Groups loans by credit line, giving new ids to lines, loans and new customers. */
function planLines(
  loans: readonly ImportLoan[],
  customerIds: ReadonlyMap<string, string>,
  products: ReadonlyMap<string, ProductUse>,
): LinePlan[] {
  const lines = new Map<string, LinePlan>();
  for (const loan of loans) {
    let plan = lines.get(loan.lineRef);
    if (plan === undefined) {
      plan = {
        lineRef: loan.lineRef,
        customerRef: loan.customer.ref,
        input: { lineId: newId('cl'), customerId: customerIds.get(loan.customer.ref)!, loans: [] },
      };
      lines.set(loan.lineRef, plan);
    }
    (plan.input.loans as ImportLineInput['loans'][number][]).push({
      loanId: newId('ln'),
      loan,
      product: products.get(loan.product.code)!.product,
    });
  }
  return [...lines.values()];
}

interface ReplayedChunk {
  lines: { plan: LinePlan; line: CreditLineState; loans: readonly ImportedLoan[] }[];
  problems: ImportProblem[];
  heldBack: string[];
  loans: number;
}

function replayChunk(plans: readonly LinePlan[], closeThrough: Day): ReplayedChunk {
  const chunk: ReplayedChunk = { lines: [], problems: [], heldBack: [], loans: 0 };
  for (const plan of plans) {
    chunk.loans += plan.input.loans.length;
    const r = replayImportLine(plan.input, closeThrough);
    if (r.ok) chunk.lines.push({ plan, line: r.line, loans: r.loans });
    else {
      chunk.problems.push(r.problem);
      for (const ref of r.loanRefs) if (ref !== r.problem.loanRef) chunk.heldBack.push(ref);
    }
  }
  return chunk;
}

/**
 * Imports loans read from a file (`readImportCsv` / `readImportJson`). Faults of the file as a whole
 * (days after the book's last closed day, an unknown product, terms that clash with a stored product,
 * a loan imported before) throw `ImportFileError` before anything is written. Lines whose loans
 * disagree with their stated balances are reported and not written; with `allOrNothing`, one such line
 * means nothing is written.
 */
export async function importLoans(
  db: { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> } & Queryable,
  cipher: PiiCipher,
  loans: readonly ImportLoan[],
  options: ImportLoansOptions = {},
): Promise<ImportLoansReport> {
  const createdBy = options.createdBy ?? 'import';
  const businessDay = await getBusinessDay(db);
  const closeThrough = addDays(businessDay, -1);
  const faults: ImportFault[] = importDayFaults(loans, closeThrough);
  const products = await resolveProducts(db, loans, faults);
  const before = await importedBefore(db, loans);
  for (const loan of loans) {
    if (before.has(loan.loanRef)) {
      faults.push({
        where: loan.where,
        message: `loan ${loan.loanRef} was imported before; take it out of the file (a loan is imported once)`,
      });
    }
  }
  if (faults.length > 0) throw new ImportFileError(faults);

  const found = await findCustomerIdsByIdNumbers(
    db,
    cipher,
    loans.map((l) => l.customer.idNumber),
  );
  const customerIds = new Map<string, string>();
  const newCustomers = new Map<string, { customerId: string; input: NewCustomer }>();
  for (const loan of loans) {
    const c = loan.customer;
    if (customerIds.has(c.ref)) continue;
    const existing = found.get(normaliseIdNumber(c.idNumber));
    const customerId = existing ?? newId('cus');
    customerIds.set(c.ref, customerId);
    if (existing === undefined) {
      newCustomers.set(customerId, {
        customerId,
        input: {
          name: c.name,
          idNumber: c.idNumber,
          phone: c.phone,
          address: { province: '', city: '', detail: '' },
          contacts: [],
          declaredMonthlyIncome_fen: 0,
          externalRef: c.ref,
        },
      });
    }
  }
  const plans = planLines(loans, customerIds, products);
  const report: ImportLoansReport = {
    businessDay,
    loansRead: loans.length,
    loansImported: 0,
    linesImported: 0,
    customersCreated: 0,
    customersFound: [...customerIds.values()].filter((id) => !newCustomers.has(id)).length,
    productsCreated: [],
    problems: [],
    heldBack: [],
    nothingWritten: false,
  };
  const versions = new Map<string, number>();
  for (const [code, use] of products) if (use.version !== null) versions.set(code, use.version);
  const customersWritten = new Set<string>();

  const write = async (
    tx: Queryable,
    chunk: ReplayedChunk,
  ): Promise<{ customers: number; products: string[] }> => {
    // The business day must not move under the import: the loans are closed through its eve.
    const day = await getBusinessDay(tx);
    if (day !== businessDay) {
      throw new Error(`the business day moved from ${businessDay} to ${day} during the import; run it again`);
    }
    const created: string[] = [];
    const customers: { customerId: string; input: NewCustomer }[] = [];
    for (const { loans: imported } of chunk.lines) {
      for (const l of imported) {
        const code = l.state.product.id;
        if (!versions.has(code)) {
          const stored = await insertProductVersion(tx, products.get(code)!.product, createdBy);
          versions.set(code, stored.version);
          created.push(code);
        }
        const c = newCustomers.get(l.state.customerId);
        if (c !== undefined && !customersWritten.has(c.customerId)) {
          customersWritten.add(c.customerId);
          customers.push(c);
        }
      }
    }
    if (customers.length > 0) await insertCustomersInBulk(tx, cipher, customers, createdBy);
    await insertLineRows(
      tx,
      chunk.lines.map((l) => l.line),
    );
    const rows = chunk.lines.flatMap((l) => l.loans);
    await insertLoanRows(
      tx,
      rows.map((l) => ({ state: l.state, productVersion: versions.get(l.state.product.id)! })),
    );
    await appendLoanHistories(
      tx,
      rows.map((l) => ({
        customerId: l.state.customerId,
        loanId: l.state.loanId,
        events: l.events,
        postings: l.postings,
        snapshots: l.snapshots,
      })),
    );
    await appendAudit(tx, {
      actorUserId: null,
      actorRole: 'system',
      requestId: null,
      customerId: null,
      action: 'loan.import',
      resourceType: 'loan',
      resourceId: null,
      details: {
        loans: rows.length,
        lines: chunk.lines.length,
        customersCreated: customers.length,
        productsCreated: created,
        via: createdBy,
      },
    });
    return { customers: customers.length, products: created };
  };

  const tally = (chunk: ReplayedChunk, written: { customers: number; products: string[] }) => {
    report.loansImported += chunk.lines.reduce((n, l) => n + l.loans.length, 0);
    report.linesImported += chunk.lines.length;
    report.customersCreated += written.customers;
    report.productsCreated.push(...written.products);
  };

  const total = loans.length;
  const perTx = Math.max(1, options.loansPerTransaction ?? IMPORT_LOANS_PER_TRANSACTION_DEFAULT);
  if (options.allOrNothing === true) {
    const all = replayChunk(plans, closeThrough);
    report.problems.push(...all.problems);
    report.heldBack.push(...all.heldBack);
    options.onProgress?.(total, total);
    if (all.problems.length > 0) {
      report.nothingWritten = true;
      return report;
    }
    tally(all, await db.transaction((tx) => write(tx, all)));
    return report;
  }
  let done = 0;
  let start = 0;
  while (start < plans.length) {
    let end = start;
    let count = 0;
    while (end < plans.length && (count === 0 || count + plans[end]!.input.loans.length <= perTx)) {
      count += plans[end]!.input.loans.length;
      end += 1;
    }
    const chunk = replayChunk(plans.slice(start, end), closeThrough);
    report.problems.push(...chunk.problems);
    report.heldBack.push(...chunk.heldBack);
    if (chunk.lines.length > 0) tally(chunk, await db.transaction((tx) => write(tx, chunk)));
    done += chunk.loans;
    options.onProgress?.(done, total);
    start = end;
  }
  return report;
}
