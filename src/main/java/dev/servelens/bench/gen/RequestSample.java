package dev.servelens.bench.gen;

/**
 * The per-request measurements of one benchmark at one concurrency, drawn around an {@link
 * OperatingPoint}: lengths, time to first token, time per output token, and a bounded sample of
 * inter-token latencies per request (at most {@link #MAX_ITLS_PER_REQUEST}, where the real tool
 * keeps one per token). A failed request has no output and no latencies.
 */
final class RequestSample {

  static final int MAX_ITLS_PER_REQUEST = 64;
  private static final double TTFT_SIGMA = 0.35;
  private static final double TPOT_SIGMA = 0.06;
  private static final double ITL_SIGMA = 0.12;

  final int[] inputLengths;
  final int[] outputLengths;
  final boolean[] failed;
  /** Seconds. */
  final double[] ttfts;
  /** Seconds. */
  final double[] tpots;
  /** Seconds. */
  final double[][] itls;
  final int completed;

  RequestSample(BenchRunPlan plan, int requests, int osl, OperatingPoint point, BenchRandom random,
      double failureRate) {
    inputLengths = new int[requests];
    outputLengths = new int[requests];
    failed = new boolean[requests];
    ttfts = new double[requests];
    tpots = new double[requests];
    itls = new double[requests][];
    int done = 0;
    for (int i = 0; i < requests; i++) {
      inputLengths[i] = plan.inputRangeRatio >= 1 ? plan.isl
          : (int) Math.round(random.between(plan.inputRangeRatio * plan.isl, plan.isl));
      failed[i] = random.chance(failureRate);
      if (failed[i]) {
        itls[i] = new double[0];
        continue;
      }
      done++;
      outputLengths[i] = osl;
      ttfts[i] = random.jitter(point.ttftMs() / 1000.0, TTFT_SIGMA)
          * Math.exp(-TTFT_SIGMA * TTFT_SIGMA / 2);
      tpots[i] = random.jitter(point.tpotMs() / 1000.0, TPOT_SIGMA);
      itls[i] = interTokenLatencies(tpots[i], osl, point.acceptLength(), random);
    }
    completed = done;
  }

  /** Gaps between streamed chunks: one token each, or accept-length tokens when speculating. */
  private static double[] interTokenLatencies(
      double tpot, int osl, double acceptLength, BenchRandom random) {
    int chunks = (int) Math.max(1, Math.round((osl - 1) / acceptLength));
    double[] gaps = new double[Math.min(chunks, MAX_ITLS_PER_REQUEST)];
    for (int j = 0; j < gaps.length; j++) {
      double gap = random.jitter(tpot * acceptLength, ITL_SIGMA);
      gaps[j] = random.chance(0.015) ? gap * random.between(3, 8) : gap;
    }
    return gaps;
  }

  /** End-to-end latency of request {@code i}, seconds. */
  double e2el(int i) {
    return ttfts[i] + tpots[i] * (outputLengths[i] - 1);
  }

  int size() {
    return failed.length;
  }
}
