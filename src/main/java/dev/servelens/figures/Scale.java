package dev.servelens.figures;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps data values of one axis to [0, 1] and says where its ticks go: linear with "nice" steps
 * (1, 2, 2.5, 5 times a power of ten), logarithmic with ticks at powers of ten labelled
 * 10<sup>k</sup>, time (epoch seconds, labelled in UTC) or categories (one slot per label).
 */
final class Scale {
  /** A tick at {@code value}; a minor tick has no label. */
  record Tick(double value, String label) {
    boolean major() {
      return label != null;
    }
  }

  private static final long HOUR = 3600;
  private static final long DAY = 24 * HOUR;
  private static final long[] TIME_STEPS =
      {HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY};
  private static final int MAX_TICKS = 8;
  private static final String SUPERSCRIPTS = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079";

  private final double min;
  private final double max;
  private final boolean log;
  private final List<Tick> ticks;

  private Scale(double min, double max, boolean log, List<Tick> ticks) {
    this.min = min;
    this.max = max;
    this.log = log;
    this.ticks = ticks;
  }

  /** A logarithmic scale when every value is positive and they span over three decades. */
  static Scale auto(double min, double max) {
    return min > 0 && max / min > 1000 ? log(min, max) : linear(min, max);
  }

  static Scale linear(double min, double max) {
    double low = min;
    double high = max;
    if (!(high > low)) {
      double pad = low == 0 ? 1 : Math.abs(low) * 0.1;
      low -= pad;
      high += pad;
    }
    double step = niceStep((high - low) / 5);
    double first = Math.floor(low / step) * step;
    double last = Math.ceil(high / step) * step;
    List<Tick> ticks = new ArrayList<>();
    for (int i = 0; first + i * step <= last + step * 1e-9; i++) {
      double value = first + i * step;
      ticks.add(new Tick(value, decimal(value, step)));
    }
    return new Scale(first, last, false, ticks);
  }

  /** Spans whole decades around [min, max] (both must be positive). */
  static Scale log(double min, double max) {
    int low = (int) Math.floor(Math.log10(min) + 1e-9);
    int high = (int) Math.ceil(Math.log10(max) - 1e-9);
    if (high <= low) {
      high = low + 1;
    }
    int every = (high - low + MAX_TICKS - 1) / MAX_TICKS;
    List<Tick> ticks = new ArrayList<>();
    for (int decade = low; decade <= high; decade++) {
      double power = Math.pow(10, decade);
      ticks.add(new Tick(power, (decade - low) % every == 0 ? powerOfTen(decade) : null));
      if (high - low <= 6 && decade < high) {
        for (int m = 2; m <= 9; m++) {
          ticks.add(new Tick(m * power, null));
        }
      }
    }
    return new Scale(Math.pow(10, low), Math.pow(10, high), true, ticks);
  }

  /** Epoch seconds, ticks on whole hours or days (UTC). */
  static Scale time(double minSeconds, double maxSeconds) {
    double span = Math.max(maxSeconds - minSeconds, HOUR);
    long step = TIME_STEPS[TIME_STEPS.length - 1];
    for (long candidate : TIME_STEPS) {
      if (span / candidate <= MAX_TICKS) {
        step = candidate;
        break;
      }
    }
    DateTimeFormatter format = DateTimeFormatter.ofPattern(step < DAY ? "MM-dd HH:mm" : "MM-dd")
        .withZone(ZoneOffset.UTC);
    List<Tick> ticks = new ArrayList<>();
    long first = (long) Math.ceil(minSeconds / step) * step;
    for (long t = first; t <= maxSeconds; t += step) {
      ticks.add(new Tick(t, format.format(Instant.ofEpochSecond(t))));
    }
    return new Scale(minSeconds, Math.max(maxSeconds, minSeconds + 1), false, ticks);
  }

  /** One slot per label at 0, 1, ...; at most about {@code maxLabels} labels shown. */
  static Scale categories(List<String> labels, int maxLabels) {
    int every = Math.max(1, (int) Math.ceil(labels.size() / (double) maxLabels));
    List<Tick> ticks = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      ticks.add(new Tick(i, i % every == 0 ? labels.get(i) : null));
    }
    return new Scale(-0.5, labels.size() - 0.5, false, ticks);
  }

  /** The lowest value the axis shows. */
  double low() {
    return min;
  }

  /** The highest value the axis shows. */
  double high() {
    return max;
  }

  boolean isLog() {
    return log;
  }

  /** Whether {@code value} can be placed on this scale (a log scale takes positive values). */
  boolean accepts(double value) {
    return Double.isFinite(value) && (!log || value > 0);
  }

  /** The position of {@code value} in [0, 1] (outside it when the value is out of range). */
  double unit(double value) {
    if (log) {
      return (Math.log10(value) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
    }
    return (value - min) / (max - min);
  }

  List<Tick> ticks() {
    return ticks;
  }

  /** 10 followed by the exponent in Unicode superscript digits, e.g. 10⁻³. */
  static String powerOfTen(int exponent) {
    StringBuilder label = new StringBuilder("10");
    if (exponent < 0) {
      label.append('\u207b');
    }
    for (char digit : Integer.toString(Math.abs(exponent)).toCharArray()) {
      label.append(SUPERSCRIPTS.charAt(digit - '0'));
    }
    return label.toString();
  }

  private static double niceStep(double rough) {
    double power = Math.pow(10, Math.floor(Math.log10(rough)));
    for (double factor : new double[] {1, 2, 2.5, 5}) {
      if (factor * power >= rough) {
        return factor * power;
      }
    }
    return 10 * power;
  }

  /** {@code value} with the decimals its step needs; large and tiny magnitudes in e-notation. */
  private static String decimal(double value, double step) {
    if (Math.abs(value) < step * 1e-9) {
      return "0";
    }
    if (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-3) {
      return new BigDecimal(value, new MathContext(3)).stripTrailingZeros().toString()
          .replace("E+", "e").replace("E", "e");
    }
    int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9) + 1);
    return new BigDecimal(value).setScale(decimals, java.math.RoundingMode.HALF_EVEN)
        .stripTrailingZeros().toPlainString();
  }
}
