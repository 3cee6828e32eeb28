package dev.servelens.kstar;

/**
 * The analytical switching threshold of the prefill/decode competition scheduler (SPEC 2.K).
 *
 * <p>With termination probability {@code p} per request and decode step, {@code tau(j) = (alpha_d
 * + beta_d * j) / (1 - (1 - p)^j)} is the expected time until the next completion when {@code j}
 * requests run ({@code tau(j) = infinity} for {@code j <= 0}). {@code k*} is the smallest {@code
 * k} in {@code 1..N} with {@code k * tau(N - k) >= sum_{j = N-k+1..N} tau(j) + alpha_p}; at
 * {@code k = N} the left side is infinite, so {@code k* <= N} always.
 */
public final class KstarFormula {
  private KstarFormula() {}

  /**
   * Expected seconds until the next completion at batch size {@code j}.
   *
   * @param p termination probability per decode step, in (0, 1]
   */
  public static double tau(int j, double p, ServiceProfile profile) {
    checkP(p);
    if (j <= 0) {
      return Double.POSITIVE_INFINITY;
    }
    // 1 - (1 - p)^j computed without cancellation when p is tiny.
    double anyCompletes = p >= 1.0 ? 1.0 : -Math.expm1(j * Math.log1p(-p));
    return profile.decodeStepSeconds(j) / anyCompletes;
  }

  /** The smallest qualifying k in {@code 1..n}. */
  public static int kstar(int n, double p, ServiceProfile profile) {
    if (n < 1) {
      throw new IllegalArgumentException("batch size N must be at least 1, got " + n);
    }
    checkP(p);
    double tail = 0.0; // sum of tau(j) for j = n-k+1..n
    for (int k = 1; k <= n; k++) {
      tail += tau(n - k + 1, p, profile);
      if (k * tau(n - k, p, profile) >= tail + profile.alphaP()) {
        return k;
      }
    }
    throw new IllegalStateException("unreachable: k = N always qualifies");
  }

  private static void checkP(double p) {
    if (!(p > 0.0 && p <= 1.0)) {
      throw new IllegalArgumentException("termination probability p must be in (0, 1], got " + p);
    }
  }
}
