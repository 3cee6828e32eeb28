package dev.servelens.kstar;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An empirical distribution of token counts as sorted distinct values with their counts, bounded
 * in size (the analysis bins a model's lengths when it has more distinct values than {@link
 * KstarColumns#HISTOGRAM_MAX_VALUES}), so it can be broadcast to every simulation task.
 */
public final class TokenHistogram implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Counts per bin of a binned geometric: out of a billion. */
  private static final long BINNED_SCALE = 1_000_000_000L;

  private final long[] values;
  private final long[] cumulative;

  /** @param values distinct values, ascending; @param counts their counts, each positive */
  public TokenHistogram(long[] values, long[] counts) {
    if (values.length == 0 || values.length != counts.length) {
      throw new IllegalArgumentException("a histogram needs values with one count each");
    }
    this.values = values.clone();
    this.cumulative = new long[counts.length];
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] <= 0 || (i > 0 && values[i] <= values[i - 1])) {
        throw new IllegalArgumentException("values must ascend with positive counts");
      }
      total += counts[i];
      cumulative[i] = total;
    }
  }

  /** Every draw is {@code value}. */
  public static TokenHistogram constant(long value) {
    return new TokenHistogram(new long[] {value}, new long[] {1});
  }

  /**
   * The geometric distribution on 1, 2, ... with mean {@code 1/p}, truncated where less than one
   * draw in a million would fall, in integer counts out of a million. When that takes more than
   * {@link KstarColumns#HISTOGRAM_MAX_VALUES} values (a mean above about 720), the values are
   * binned as a trace's lengths are: equal-width bins, each at the rounded mean of its values,
   * so that no mass is cut off; their counts are out of a billion, so that the many small bins
   * of the tail are not rounded away.
   */
  public static TokenHistogram geometric(double p) {
    int scale = 1_000_000;
    long last = (long) Math.ceil(Math.log(1.0 / scale) / Math.log1p(-p));
    long width = p >= 1 ? 1 : Math.max(1, (last + KstarColumns.HISTOGRAM_MAX_VALUES - 1)
        / KstarColumns.HISTOGRAM_MAX_VALUES);
    if (width == 1) {
      return geometricByValue(p, scale);
    }
    long[] values = new long[0];
    long[] counts = new long[0];
    double survive = 1.0;
    for (long low = 1; survive * scale >= 1.0; low += width) {
      double mass = 0;
      double weighted = 0;
      for (long v = low; v < low + width; v++) {
        double probability = survive * p;
        mass += probability;
        weighted += probability * v;
        survive *= 1 - p;
      }
      long count = Math.round(mass * BINNED_SCALE);
      if (count > 0) {
        values = Arrays.copyOf(values, values.length + 1);
        counts = Arrays.copyOf(counts, counts.length + 1);
        values[values.length - 1] = Math.round(weighted / mass);
        counts[counts.length - 1] = count;
      }
    }
    return new TokenHistogram(values, counts);
  }

  private static TokenHistogram geometricByValue(double p, int scale) {
    long[] values = new long[0];
    long[] counts = new long[0];
    double survive = 1.0;
    for (long v = 1; survive * scale >= 1.0 && values.length < KstarColumns.HISTOGRAM_MAX_VALUES;
        v++) {
      long count = Math.round(survive * p * scale);
      survive *= 1 - p;
      if (count > 0) {
        values = Arrays.copyOf(values, values.length + 1);
        counts = Arrays.copyOf(counts, counts.length + 1);
        values[values.length - 1] = v;
        counts[counts.length - 1] = count;
      }
    }
    return new TokenHistogram(values, counts);
  }

  /** One draw. */
  public long sample(SplittableRandom random) {
    long u = random.nextLong(cumulative[cumulative.length - 1]);
    int index = Arrays.binarySearch(cumulative, u + 1);
    return values[index < 0 ? -index - 1 : index];
  }

  public double mean() {
    double sum = 0;
    long previous = 0;
    for (int i = 0; i < values.length; i++) {
      sum += (double) values[i] * (cumulative[i] - previous);
      previous = cumulative[i];
    }
    return sum / cumulative[cumulative.length - 1];
  }

  public int size() {
    return values.length;
  }

  long value(int index) {
    return values[index];
  }

  /** Fraction of draws at or below {@code values[index]}. */
  double cdf(int index) {
    return (double) cumulative[index] / cumulative[cumulative.length - 1];
  }
}
