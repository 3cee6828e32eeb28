package dev.servelens.bench.gen;

/**
 * The values of one SGLang batch log line, prefill or decode; fields a line kind does not print
 * are ignored when formatting it.
 *
 * @param decode true for a {@code Decode batch} line, false for {@code Prefill batch}
 * @param iteration the scheduler iteration, printed as {@code [n]} by newer releases
 * @param requests {@code #new-seq} (prefill) or {@code #running-req} (decode)
 * @param newTokens {@code #new-token} (prefill) or {@code #token} / {@code #full token} (decode)
 * @param cachedTokens {@code #cached-token} (prefill)
 * @param usage {@code token usage} or {@code full token usage}
 * @param secondaryUsage {@code swa token usage} or {@code mamba usage} (hybrid models)
 * @param running {@code #running-req} of a prefill line
 * @param queued {@code #queue-req}
 * @param preallocated {@code #prealloc-req} (disaggregated)
 * @param inflightOrTransfer {@code #inflight-req} (prefill) or {@code #transfer-req} (decode)
 * @param retracted {@code #retracted-req} (disaggregated decode)
 * @param preallocatedUsage {@code pre-allocated usage} (disaggregated decode)
 * @param acceptLength {@code accept len} (speculative decode)
 * @param throughput {@code input throughput} or {@code gen throughput}, tokens/s
 */
record BatchLine(
    boolean decode,
    long iteration,
    int requests,
    long newTokens,
    long cachedTokens,
    double usage,
    double secondaryUsage,
    int running,
    int queued,
    int preallocated,
    int inflightOrTransfer,
    int retracted,
    double preallocatedUsage,
    double acceptLength,
    double throughput) {}
