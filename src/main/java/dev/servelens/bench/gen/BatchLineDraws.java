package dev.servelens.bench.gen;

/**
 * Draws the values of the batch lines one rank logs during a benchmark segment, around the
 * segment's steady state: the decode ranks together generate the segment's output tokens per
 * second and the prefill ranks together process its input tokens per second, so the logs agree
 * with the result file and a prefill-versus-decode rate match is meaningful. The first tenth of
 * a segment ramps up.
 */
final class BatchLineDraws {

  private final BenchRunPlan plan;
  private final PerformanceModel model;
  private final BenchRandom random;

  BatchLineDraws(BenchRunPlan plan, PerformanceModel model, BenchRandom random) {
    this.plan = plan;
    this.model = model;
    this.random = random;
  }

  /** A decode line of a rank of {@code group} at {@code millis} within {@code segment}. */
  BatchLine decode(Segment segment, WorkerGroup group, long millis, long iteration) {
    OperatingPoint point = segment.point();
    double ramp = ramp(segment, millis);
    long kvTokens = model.kvTokensPerRank(group);
    int running = (int) Math.max(1, Math.round(point.runningPerDecodeRank() * ramp
        * random.jitter(1, 0.05)));
    long tokens = Math.round(running * (plan.isl + plan.osl * random.between(0.3, 0.7)));
    double usage = Math.min(0.99, (double) tokens / kvTokens);
    int waiting = (int) Math.round(point.queuedPerDecodeRank() * ramp * random.jitter(1, 0.2));
    boolean disaggregated = plan.deployment.disaggregated;
    double perRankRate = segment.requestRate() / group.batchRanks();
    int transfer = disaggregated ? (int) Math.round(perRankRate * random.between(0.01, 0.08)) : 0;
    int retracted = disaggregated && usage > 0.93 && random.chance(0.3) ? random.inclusive(1, 3) : 0;
    double preallocatedUsage = disaggregated
        ? Math.min(0.99, waiting * (double) plan.isl / kvTokens) : 0;
    double throughput = segment.outputTokensPerSecond() / group.batchRanks() * ramp
        * random.jitter(1, 0.06);
    return new BatchLine(true, iteration, running, tokens, 0, usage, secondaryUsage(usage, running),
        0, disaggregated ? 0 : waiting, disaggregated ? waiting : 0, transfer, retracted,
        preallocatedUsage, point.acceptLength() * random.jitter(1, 0.04), throughput);
  }

  /** A prefill line of a rank of {@code group} at {@code millis}, {@code seconds} after the last. */
  BatchLine prefill(
      Segment segment, WorkerGroup group, long millis, long iteration, double seconds) {
    OperatingPoint point = segment.point();
    double ramp = ramp(segment, millis);
    double perRankRate = segment.requestRate() / group.batchRanks();
    int chunk = ServerArgs.CHUNKED_PREFILL_SIZE;
    int sequences = (int) Math.max(1, Math.min(Math.max(1, chunk / plan.isl),
        Math.round(perRankRate * seconds * random.between(0.05, 0.3))));
    long newTokens = Math.min(chunk, Math.round(sequences * plan.isl
        * (plan.inputRangeRatio >= 1 ? 1 : random.between(plan.inputRangeRatio, 1))));
    boolean disaggregated = plan.deployment.disaggregated;
    double usage = disaggregated ? random.between(0, 0.05)
        : Math.min(0.99, point.runningPerDecodeRank() * (plan.isl + plan.osl / 2.0)
            / model.kvTokensPerRank(group));
    int running = disaggregated ? random.below(2)
        : (int) Math.round(point.runningPerDecodeRank() * ramp);
    int queued = (int) Math.round(point.queuedPerPrefillRank() * ramp * random.jitter(1, 0.2));
    int inflight = (int) Math.round(perRankRate * random.between(0.1, 0.4));
    double throughput = segment.inputTokensPerSecond() / group.batchRanks() * ramp
        * random.jitter(1, 0.1);
    return new BatchLine(false, iteration, sequences, newTokens, 0, usage,
        secondaryUsage(usage, running), running, queued, disaggregated ? random.below(3) : 0,
        inflight, 0, 0, 1, throughput);
  }

  /** A health-check or warm-up line before the benchmark: one short request. */
  BatchLine warmUp(boolean decode, long iteration) {
    return new BatchLine(decode, iteration, 1, decode ? 8 : 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        decode ? random.between(5, 60) : 0);
  }

  private double secondaryUsage(double usage, int running) {
    return switch (plan.deployment.hybrid) {
      case SWA -> Math.min(0.99, usage * random.between(0.2, 0.5));
      case MAMBA -> Math.min(0.99, running / 512.0);
      case NONE -> 0;
    };
  }

  private static double ramp(Segment segment, long millis) {
    double rampMillis = Math.max(1, (segment.endMillis() - segment.startMillis()) * 0.1);
    return Math.min(1, Math.max(0.05, (millis - segment.startMillis()) / rampMillis));
  }
}
