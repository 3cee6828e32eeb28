package dev.servelens.bench.gen;

/**
 * One benchmark (one concurrency) on a run's timeline, with the rates the worker logs must show
 * while it runs: the same rates its result file reports.
 *
 * @param concurrency clients
 * @param startMillis first request, epoch milliseconds
 * @param endMillis last completion, epoch milliseconds
 * @param point the model's steady state
 * @param requestRate completed requests per second
 * @param inputTokensPerSecond prompt tokens processed per second, all prefill ranks together
 * @param outputTokensPerSecond tokens generated per second, all decode ranks together
 */
record Segment(
    int concurrency,
    long startMillis,
    long endMillis,
    OperatingPoint point,
    double requestRate,
    double inputTokensPerSecond,
    double outputTokensPerSecond) {

  double durationSeconds() {
    return (endMillis - startMillis) / 1000.0;
  }
}
