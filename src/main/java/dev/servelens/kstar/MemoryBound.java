package dev.servelens.kstar;

/**
 * The memory-constrained batch size N*: the largest N whose probability of exceeding the KV
 * budget is at most epsilon.
 *
 * <p>Each running request holds at most {@code input + output} tokens of KV cache (its footprint
 * at completion); footprints are taken as independent with mean {@code mu} and standard deviation
 * {@code sigma} (from the workload trace). The worst case has all N requests at their full
 * footprint at once, {@code S = X_1 + ... + X_N}. Cantelli's one-sided inequality, {@code P(S -
 * N*mu >= t) <= N*sigma^2 / (N*sigma^2 + t^2)}, is at most epsilon for {@code t = sigma *
 * sqrt(N * (1 - eps) / eps)}, so
 *
 * <pre>N* = max { N : N*mu + sigma*sqrt(N*(1-eps)/eps) <= B }</pre>
 *
 * is distribution-free (no normal approximation) and conservative.
 */
public final class MemoryBound {
  private MemoryBound() {}

  /** The bound as written next to each result. */
  public static final String FORMULA =
      "Cantelli: N*mu + sigma*sqrt(N*(1-eps)/eps) <= B, mu/sigma = mean/sd of input+output"
          + " tokens per request";

  /** @return N* (0 when not even one request fits) */
  public static int nStar(double mu, double sigma, double budgetTokens, double epsilon) {
    if (!(epsilon > 0 && epsilon < 1)) {
      throw new IllegalArgumentException("epsilon must be in (0, 1), got " + epsilon);
    }
    if (!(mu > 0) || !(sigma >= 0) || !(budgetTokens > 0)) {
      throw new IllegalArgumentException(
          "memory bound needs mu > 0, sigma >= 0, budget > 0; got " + mu + ", " + sigma + ", "
              + budgetTokens);
    }
    // The left side grows with N, so binary search the largest N that fits.
    long low = 0;
    long high = (long) Math.min(Integer.MAX_VALUE, Math.floor(budgetTokens / mu));
    while (low < high) {
      long mid = (low + high + 1) >>> 1;
      if (fits(mid, mu, sigma, budgetTokens, epsilon)) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return (int) low;
  }

  static boolean fits(long n, double mu, double sigma, double budgetTokens, double epsilon) {
    return n * mu + sigma * Math.sqrt(n * (1 - epsilon) / epsilon) <= budgetTokens;
  }
}
