/**
 * monitoring/ (贷后监控): the watch over loans once they are on the book — early-warning signals, score and
 * population drift, vintage and roll-rate views (pure core). Empty so far: the measures it will use (PSI, KS,
 * AUC) live in scoring/, the delinquency buckets in ledger/. It may import money/, ledger/, scoring/ and
 * origination/ (decision 0011).
 */
export {};
