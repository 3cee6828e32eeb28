package dev.servelens.bench.gen;

/**
 * The steady state of a run at one concurrency, from {@link PerformanceModel}: what every
 * request experiences and what every logging rank sees.
 *
 * @param tpotMs mean time per output token after the first
 * @param ttftMs mean time to first token, queueing included
 * @param requestRate completed requests per second
 * @param runningPerDecodeRank requests decoding on each decode (or aggregated) batch rank
 * @param queuedPerDecodeRank requests waiting for KV memory on each such rank
 * @param queuedPerPrefillRank requests waiting for prefill on each prefill batch rank
 * @param kvTokensPerRank KV cache capacity of one batch rank, in tokens
 * @param acceptLength mean tokens accepted per speculative step (1 without speculation)
 */
record OperatingPoint(
    double tpotMs,
    double ttftMs,
    double requestRate,
    double runningPerDecodeRank,
    double queuedPerDecodeRank,
    double queuedPerPrefillRank,
    long kvTokensPerRank,
    double acceptLength) {}
