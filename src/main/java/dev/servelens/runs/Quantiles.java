package dev.servelens.runs;

/** Quantiles by linear interpolation between order statistics (numpy's default method). */
final class Quantiles {
  private Quantiles() {}

  /** @param sorted ascending values, at least one */
  static double linear(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(below + 1, sorted.length - 1);
    double fraction = position - below;
    return sorted[below] + fraction * (sorted[above] - sorted[below]);
  }
}
