import type { LoanWrittenOff, RecoveredAfterWriteOff } from '../loan/index.js';

/**
 * Write-off and recovery are decisions of the books (财金〔2017〕90号: written off only with documented
 * evidence; the claim stays open and recovery goes on), so the books of `books.ts` keep them in a list of their own
 * (the seeded simulation's path); the store's path keeps them in the loan's own log (loan/write-off.ts). They share the shape of the loan engine's events (loan id, per-loan sequence, effective day,
 * client id) so that one log can hold both.
 */

export type { LoanWrittenOff, RecoveredAfterWriteOff };

export type BookEvent = LoanWrittenOff | RecoveredAfterWriteOff;
