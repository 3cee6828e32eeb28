package dev.servelens.bench.gen;

/**
 * What one written result file says, as the exact text written for the values the analysis
 * derives from, plus what the worker logs of the same benchmark must agree with.
 *
 * @param concurrency the file's {@code max_concurrency}
 * @param outputThroughput {@code output_throughput} as written
 * @param totalTokenThroughput {@code total_token_throughput} as written
 * @param meanTpotMs {@code mean_tpot_ms} as written, or null when the file leaves it out
 * @param durationSeconds {@code duration}
 * @param requestRate completed requests per second
 * @param outputTokensPerSecond {@code output_throughput} as a number
 * @param inputTokensPerSecond input tokens processed per second
 */
record ResultSummary(
    int concurrency,
    String outputThroughput,
    String totalTokenThroughput,
    String meanTpotMs,
    double durationSeconds,
    double requestRate,
    double outputTokensPerSecond,
    double inputTokensPerSecond) {}
