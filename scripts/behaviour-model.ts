/**
 * Trains the shipped behaviour scorecard (行为评分, B卡) on the synthetic book, byte for byte from the seed:
 * `npm run model:behaviour` writes models/behaviour-scorecard.json and its reference document
 * (development score bands for PSI, and AUC/KS on a held-out as-of day later in time).
 *
 * The book is written into an embedded database and read back as a lender's own book is read
 * (`buildBehaviourTable`), so the shipped model goes through the same path as a lender's retraining.
 */
import { writeFileSync } from 'node:fs';
import {
  buildBehaviourTable,
  SHIPPED_BEHAVIOUR_MODEL,
  SHIPPED_BEHAVIOUR_REFERENCE,
  writeBook,
} from '../src/jobs/index.js';
import { addDays, formatDate, parseDate } from '../src/money/index.js';
import {
  BEHAVIOUR_REFERENCE_FORMAT,
  type BehaviourReference,
  type BehaviourRow,
  behaviourDataset,
  referenceBands,
  scoreBehaviour,
} from '../src/monitoring/index.js';
import { auc, DEFAULT_TRAINING_SEED, gini, ks, serialiseModel, trainModel } from '../src/scoring/index.js';
import { migrate, openPglite, setBusinessDay } from '../src/store/index.js';

export const BEHAVIOUR_BOOK = {
  seed: 20_260_101,
  customers: 4_000,
  loansPerCustomer_max: 4,
  drawFrom: parseDate('2024-07-01'),
  drawTo: parseDate('2026-03-31'),
  historyThrough: parseDate('2026-06-30'),
};
/** Development as-of days (month ends, split by time from the held-out one). */
export const DEVELOPMENT_AS_OF = ['2024-12-31', '2025-03-31', '2025-06-30'];
/** Held out: the outcome windows of the development days end on or before it. */
export const HOLD_OUT_AS_OF = '2025-12-31';

function targetOf(rows: readonly BehaviourRow[]): Uint8Array {
  return Uint8Array.from(rows, (r) => (r.bad ? 1 : 0));
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

async function main(): Promise<void> {
  const db = await openPglite();
  try {
    await migrate(db);
    await writeBook(db, BEHAVIOUR_BOOK);
    await setBusinessDay(db, addDays(BEHAVIOUR_BOOK.historyThrough, 1));
    const development: BehaviourRow[] = [];
    for (const day of DEVELOPMENT_AS_OF) development.push(...(await buildBehaviourTable(db, parseDate(day))));
    const holdOut = await buildBehaviourTable(db, parseDate(HOLD_OUT_AS_OF));
    const target = targetOf(development);
    const model = trainModel(behaviourDataset(development.map((r) => r.features)), target, {
      kind: 'scorecard',
      target: { column: 'bad', badValue: '1' },
      excluded: ['customer_id', 'line_id', 'as_of'],
      seed: DEFAULT_TRAINING_SEED,
    });
    const devScores = Float64Array.from(
      scoreBehaviour(
        model,
        development.map((r) => r.features),
      ),
      (s) => s.score,
    );
    const held = scoreBehaviour(
      model,
      holdOut.map((r) => r.features),
    );
    const heldTarget = targetOf(holdOut);
    const heldP = Float64Array.from(held, (s) => s.probabilityBad);
    const heldAuc = auc(heldP, heldTarget);
    const bands = referenceBands(devScores);
    const reference: BehaviourReference = {
      format: BEHAVIOUR_REFERENCE_FORMAT,
      developmentAsOf: DEVELOPMENT_AS_OF,
      holdOutAsOf: HOLD_OUT_AS_OF,
      rows: development.length,
      bads: target.reduce((a, b) => a + b, 0),
      cuts: bands.cuts,
      counts: bands.counts,
      holdOut: {
        rows: holdOut.length,
        bads: heldTarget.reduce((a, b) => a + b, 0),
        auc: round4(heldAuc),
        ks: round4(ks(heldP, heldTarget)),
        gini: round4(gini(heldAuc)),
      },
    };
    writeFileSync(SHIPPED_BEHAVIOUR_MODEL, serialiseModel(model));
    writeFileSync(SHIPPED_BEHAVIOUR_REFERENCE, `${JSON.stringify(reference, null, 1)}\n`);
    process.stdout.write(
      `behaviour scorecard: ${model.scorecard?.features.length} features; development ${reference.rows} rows (${reference.bads} bad) as of ${DEVELOPMENT_AS_OF.join(', ')}; held out as of ${HOLD_OUT_AS_OF}: ${reference.holdOut.rows} rows (${reference.holdOut.bads} bad), AUC ${reference.holdOut.auc}, KS ${reference.holdOut.ks}; book closed through ${formatDate(BEHAVIOUR_BOOK.historyThrough)}\n`,
    );
  } finally {
    await db.close();
  }
}

await main();
