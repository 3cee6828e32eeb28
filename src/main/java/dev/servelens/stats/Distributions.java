package dev.servelens.stats;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;

import org.apache.spark.sql.Column;

/**
 * The rules of the bounded-size distributions every analysis writes, in one place: which points
 * of an exact CDF a figure keeps (a point when the CDF enters a new 1/{@link #CDF_POINTS}
 * step, and the first), where an exact quantile is reached (the smallest value v with CDF(v)
 * >= q), which ranks a rank plot keeps (about {@link #RANKS_PER_DECADE} a decade, the first
 * and the last), and approximate percentiles. Column names of CDF tables: {@code series,
 * value, count, cumulative, total, cdf}.
 */
public final class Distributions {
  private Distributions() {}

  public static final String SERIES = "series";
  public static final String VALUE = "value";
  public static final String COUNT = "count";
  public static final String TOTAL = "total";
  public static final String CDF = "cdf";
  /** The running count of a CDF: observations at or below the value. */
  public static final String CUMULATIVE = "cumulative";

  /** Points kept per series by the thinning: one per 1/POINTS step of probability. */
  public static final int CDF_POINTS = 1000;
  /** Ranks kept per decade by the rank plots. */
  public static final int RANKS_PER_DECADE = 100;
  /** Rank accuracy of approximate percentiles (relative rank error 1 / this). */
  public static final int PERCENTILE_ACCURACY = 10_000;

  /**
   * Whether a thinned CDF keeps the point of a value whose count is {@code count} and whose
   * running count is {@code cumulative}, of {@code total} observations: the same arithmetic.
   */
  public static boolean keepsPoint(long cumulative, long count, long total) {
    double step = Math.floor((double) cumulative / (double) total * CDF_POINTS);
    double previousStep = Math.floor((double) (cumulative - count) / (double) total * CDF_POINTS);
    return step != previousStep || cumulative == count;
  }

  /** Whether a running count of {@code cumulative} reaches quantile q of {@code total}. */
  public static boolean reaches(long cumulative, long total, double q) {
    return (double) cumulative >= (double) total * q;
  }

  /**
   * Whether a CDF point is one the thinning keeps ({@link #keepsPoint}) or one where the
   * running count first reaches some q of the total (an exact quantile, {@link #reaches}).
   */
  public static boolean thinnedOrQuantile(long cumulative, long count, long total,
      double... qs) {
    if (keepsPoint(cumulative, count, total)) {
      return true;
    }
    for (double q : qs) {
      if (reaches(cumulative, total, q) && !reaches(cumulative - count, total, q)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a rank plot keeps {@code rank} of {@code lastRank} ranks: the first, the last, and
   * each rank whose floor(log10(rank) * {@link #RANKS_PER_DECADE}) differs from the rank's
   * before.
   */
  public static boolean keepsRank(long rank, long lastRank) {
    if (rank == 1 || rank == lastRank) {
      return true;
    }
    return Math.floor(StrictMath.log10(rank) * RANKS_PER_DECADE)
        != Math.floor(StrictMath.log10(rank - 1) * RANKS_PER_DECADE);
  }

  /**
   * A rank after {@code rank} and no later than the next rank {@link #keepsRank} keeps on
   * account of its log bucket (a little before the bucket boundary, so rounding cannot skip it).
   */
  static long nextRankCandidate(long rank) {
    double bucket = Math.floor(StrictMath.log10(rank) * RANKS_PER_DECADE);
    long boundary = (long) Math.floor(StrictMath.pow(10, (bucket + 1) / RANKS_PER_DECADE));
    return Math.max(rank + 1, boundary - 2);
  }

  /**
   * Approximate percentiles at {@link #PERCENTILE_ACCURACY} as one array column: one sketch
   * serves every q, which is much cheaper than one aggregate per q.
   */
  public static Column percentiles(Column value, double... qs) {
    Column[] levels = new Column[qs.length];
    for (int i = 0; i < qs.length; i++) {
      levels[i] = lit(qs[i]);
    }
    return percentile_approx(value, array(levels), lit(PERCENTILE_ACCURACY));
  }
}
