package dev.servelens.workload;

import java.io.Serializable;

/**
 * The relative request rate of a synthetic trace over time: a diurnal cycle (peak at 15:00 UTC,
 * trough at 03:00 UTC at a third of the peak), a weekly cycle (weekends lower) and a slow growth
 * over the span.
 *
 * <p>The rate is treated as constant within each minute of the epoch grid, so that its integral
 * over any interval is a cheap sum and can be inverted exactly inside a minute. The driver uses the
 * integral to give each slice its share of the rows; each executor walks the same minute bins to
 * place its arrivals.
 */
final class WorkloadRateModel implements Serializable {

  private static final long serialVersionUID = 1L;

  static final long MINUTE_MS = 60_000L;
  static final long HOUR_MS = 3_600_000L;
  static final long DAY_MS = 86_400_000L;

  private static final double PEAK_HOUR_UTC = 15.0;

  /** Monday first. Weekends carry about two thirds of a weekday's traffic. */
  private static final double[] WEEKDAY_FACTOR = {0.97, 1.0, 1.0, 1.0, 0.92, 0.62, 0.66};

  /** Traffic grows by this fraction from the first to the last day of the span. */
  private static final double GROWTH_OVER_SPAN = 0.15;

  private final long startMs;
  private final long endMs;

  WorkloadRateModel(long startMs, long endMs) {
    this.startMs = startMs;
    this.endMs = endMs;
  }

  long startMs() {
    return startMs;
  }

  long endMs() {
    return endMs;
  }

  /** The relative rate at an instant: between about 0.6 and 3.5, peak on weekday afternoons. */
  double rate(long epochMs) {
    double hour = Math.floorMod(epochMs, DAY_MS) / (double) HOUR_MS;
    double diurnal = 2.0 + StrictMath.cos(2.0 * Math.PI * (hour - PEAK_HOUR_UTC) / 24.0);
    long epochDay = Math.floorDiv(epochMs, DAY_MS);
    int mondayBasedWeekday = (int) Math.floorMod(epochDay + 3, 7L); // 1970-01-01 was a Thursday
    double growth = 1.0 + GROWTH_OVER_SPAN * (epochMs - startMs) / (double) (endMs - startMs);
    return diurnal * WEEKDAY_FACTOR[mondayBasedWeekday] * growth;
  }

  /** End of the minute bin that starts at {@code fromMs}, cut at {@code limitMs}. */
  static long binEnd(long fromMs, long limitMs) {
    return Math.min(limitMs, Math.floorDiv(fromMs, MINUTE_MS) * MINUTE_MS + MINUTE_MS);
  }

  /**
   * The integrated rate over {@code [fromMs, toMs)}, which must lie within one minute bin: the rate
   * at the middle of that minute times the covered fraction of it.
   */
  double binMass(long fromMs, long toMs) {
    long minuteStart = Math.floorDiv(fromMs, MINUTE_MS) * MINUTE_MS;
    return rate(minuteStart + MINUTE_MS / 2) * (toMs - fromMs) / (double) MINUTE_MS;
  }

  /** The integrated rate over {@code [fromMs, toMs)}, in rate-minutes. */
  double integrate(long fromMs, long toMs) {
    double total = 0.0;
    for (long t = fromMs; t < toMs; ) {
      long end = binEnd(t, toMs);
      total += binMass(t, end);
      t = end;
    }
    return total;
  }
}
