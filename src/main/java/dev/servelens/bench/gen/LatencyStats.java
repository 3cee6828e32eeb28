package dev.servelens.bench.gen;

import java.util.Arrays;

/**
 * Mean, median, population standard deviation and percentiles of a set of latencies, computed
 * as numpy does ({@code np.percentile}: linear interpolation between closest ranks), which is
 * what the benchmark tools write.
 */
final class LatencyStats {

  /** The percentiles written for every metric. */
  static final int[] PERCENTILES = {90, 95, 99};

  final double mean;
  final double median;
  final double std;
  final double[] percentiles = new double[PERCENTILES.length];

  /** Statistics of the first {@code count} values of {@code values} (which are reordered). */
  LatencyStats(double[] values, int count) {
    if (count == 0) {
      mean = 0;
      median = 0;
      std = 0;
      return;
    }
    Arrays.sort(values, 0, count);
    double sum = 0;
    for (int i = 0; i < count; i++) {
      sum += values[i];
    }
    mean = sum / count;
    double squares = 0;
    for (int i = 0; i < count; i++) {
      squares += (values[i] - mean) * (values[i] - mean);
    }
    std = Math.sqrt(squares / count);
    median = percentile(values, count, 50);
    for (int p = 0; p < PERCENTILES.length; p++) {
      percentiles[p] = percentile(values, count, PERCENTILES[p]);
    }
  }

  private static double percentile(double[] sorted, int count, double q) {
    double rank = q / 100.0 * (count - 1);
    int low = (int) Math.floor(rank);
    int high = Math.min(count - 1, low + 1);
    return sorted[low] + (rank - low) * (sorted[high] - sorted[low]);
  }
}
