package dev.servelens.testing;

import java.util.Arrays;

/**
 * Textbook statistics on plain arrays, written independently of the Spark code under test so
 * that tests compare two methods: Pearson correlation, Spearman with average ranks for ties,
 * population standard deviation.
 */
public final class ReferenceStats {
  private ReferenceStats() {}

  public static double mean(double[] values) {
    return Arrays.stream(values).average().orElseThrow();
  }

  public static double populationStd(double[] values) {
    double mean = mean(values);
    double sum = 0;
    for (double v : values) {
      sum += (v - mean) * (v - mean);
    }
    return Math.sqrt(sum / values.length);
  }

  public static double pearson(double[] x, double[] y) {
    double mx = mean(x);
    double my = mean(y);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  public static double spearman(double[] x, double[] y) {
    return pearson(averageRanks(x), averageRanks(y));
  }

  /** 1-based ranks; tied values share the mean of the ranks they span. */
  public static double[] averageRanks(double[] values) {
    double[] ranks = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      int less = 0;
      int equal = 0;
      for (double other : values) {
        if (other < values[i]) {
          less++;
        } else if (other == values[i]) {
          equal++;
        }
      }
      ranks[i] = less + (equal + 1) / 2.0;
    }
    return ranks;
  }
}
