package dev.servelens.bench.gen;

/**
 * Plain decimal text of a double with a fixed number of fraction digits ({@code 1234.50}, never
 * {@code 1.2345E3}), written the same on every JVM. The generator formats each number once and
 * writes that text both into a file and into the truth table, so the two agree to the digit.
 */
final class Decimals {

  private static final long[] POWERS = {1, 10, 100, 1000, 10_000, 100_000, 1_000_000};

  private Decimals() {}

  /** {@code value} rounded half up to {@code digits} (0 to 6) fraction digits. */
  static String fixed(double value, int digits) {
    StringBuilder text = new StringBuilder(24);
    append(text, value, digits);
    return text.toString();
  }

  /** Appends {@code value} rounded half up to {@code digits} (0 to 6) fraction digits. */
  static void append(StringBuilder text, double value, int digits) {
    if (!Double.isFinite(value) || Math.abs(value) >= 1e12) {
      throw new IllegalArgumentException("cannot write " + value + " as a plain decimal");
    }
    long scale = POWERS[digits];
    long scaled = Math.round(Math.abs(value) * scale);
    if (value < 0 && scaled != 0) {
      text.append('-');
    }
    text.append(scaled / scale);
    if (digits == 0) {
      return;
    }
    text.append('.');
    String fraction = Long.toString(scaled % scale);
    for (int pad = fraction.length(); pad < digits; pad++) {
      text.append('0');
    }
    text.append(fraction);
  }
}
