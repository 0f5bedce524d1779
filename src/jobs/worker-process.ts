/**
 * Entry of a worker process started by `lendguard eod --workers N`: joins one run on a PostgreSQL
 * server, closes partitions until none is left, and exits. It dies with its parent: when the IPC channel
 * closes (the parent was killed), it exits at once, and its claim is freed or expires.
 */
import { openPostgres } from '../store/index.js';
import { ledgerEod } from './ledger-eod.js';
import { runWorker } from './worker.js';

const url = process.env.LENDGUARD_EOD_DB;
const runId = process.env.LENDGUARD_EOD_RUN;
const lease_ms = Number(process.env.LENDGUARD_EOD_LEASE_MS);
const partitionsInFlight = Number(process.env.LENDGUARD_EOD_PARTITIONS_IN_FLIGHT ?? 1);
if (
  url === undefined ||
  runId === undefined ||
  !Number.isFinite(lease_ms) ||
  !Number.isInteger(partitionsInFlight) ||
  partitionsInFlight < 1
) {
  process.stderr.write('lendguard eod worker process: started without its run (LENDGUARD_EOD_*)\n');
  process.exit(2);
}
process.on('disconnect', () => process.exit(1));
// A connection per partition in flight, and one for the claims between them.
const db = await openPostgres({ url, poolSize_max: partitionsInFlight + 1 });
try {
  await runWorker(db, ledgerEod, runId, { lease_ms, partitionsInFlight });
} catch (error) {
  process.stderr.write(
    `lendguard eod worker ${process.pid}: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exitCode = 1;
} finally {
  await db.close();
  process.disconnect?.();
}
