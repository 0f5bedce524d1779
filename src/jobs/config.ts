/** Bounds of the end-of-day batch. Each has a name; the CLI and the API may override the first three. */
export const EOD_BOUNDS = {
  /** Loans closed per transaction. */
  batchSize_default: 2_000,
  batchSize_max: 50_000,
  /** Partitions a run is split into (ranges of the 1,024 partition keys). */
  partitions_default: 64,
  /** loans.partition_key takes values 0 … partitionKeys_count − 1. */
  partitionKeys_count: 1_024,
  /** A claim not renewed for this long (a batch commit renews it) is taken over by another worker. */
  lease_ms_default: 60_000,
  lease_ms_min: 1_000,
  /** Errors kept per partition (the newest). */
  errorsKept_max: 20,
  /** Characters kept of one error message. */
  errorMessage_chars_max: 2_000,
  /** How often a watcher or an idle worker looks at the partitions again. */
  poll_ms: 250,
  /** Worker processes one machine may start. */
  workers_max: 64,
  /**
   * Partitions one worker process closes at once on a PostgreSQL server, each on its own connection
   * (decision 0237); an embedded database has one connection, so 1 there.
   */
  partitionsInFlight_default: 2,
  partitionsInFlight_max: 8,
} as const;

export interface EodOptions {
  batchSize: number;
  partitions: number;
  lease_ms: number;
}

export const EOD_OPTIONS_DEFAULT: EodOptions = Object.freeze({
  batchSize: EOD_BOUNDS.batchSize_default,
  partitions: EOD_BOUNDS.partitions_default,
  lease_ms: EOD_BOUNDS.lease_ms_default,
});
