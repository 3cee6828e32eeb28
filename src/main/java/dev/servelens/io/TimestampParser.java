package dev.servelens.io;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * Parses the timestamp forms found in request traces into epoch microseconds (UTC).
 *
 * <p>Accepted: ISO-8601 with {@code T} or a space between date and time, seconds optional,
 * a fraction of up to nine digits, and an optional zone ({@code Z}, {@code +08:00}, {@code
 * +0800}); without a zone the configured default offset applies. Plain numbers are epoch
 * seconds, milliseconds or microseconds, told apart by magnitude. The parser is hand-written
 * rather than regex- or formatter-based because it runs once per input row.
 */
public final class TimestampParser implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** Numbers below this are seconds (up to the year 5138). */
  private static final double SECONDS_LIMIT = 1e11;
  /** Numbers below this (and above {@link #SECONDS_LIMIT}) are milliseconds. */
  private static final double MILLIS_LIMIT = 1e14;
  /** Numbers below this are microseconds. */
  private static final double MICROS_LIMIT = 1e17;

  private final long defaultOffsetSeconds;

  /** @param defaultOffsetSeconds the zone offset assumed for timestamps without a zone */
  public TimestampParser(long defaultOffsetSeconds) {
    this.defaultOffsetSeconds = defaultOffsetSeconds;
  }

  /** A parser that reads zone-less timestamps as UTC. */
  public static TimestampParser utc() {
    return new TimestampParser(0);
  }

  /**
   * Parses {@code text} (already trimmed of surrounding spaces by the caller or not).
   *
   * @return epoch microseconds
   * @throws IllegalArgumentException with a short reason when the text is not a timestamp
   */
  public long toEpochMicros(String text) {
    String s = text.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty timestamp");
    }
    if (looksNumeric(s)) {
      return numberToEpochMicros(s);
    }
    return isoToEpochMicros(s);
  }

  /** Epoch micros of a number of seconds, milliseconds or microseconds, by magnitude. */
  public static long numberToEpochMicros(String s) {
    double value;
    try {
      value = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number");
    }
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("not a finite number");
    }
    double magnitude = Math.abs(value);
    if (magnitude < SECONDS_LIMIT) {
      return Math.round(value * 1_000_000d);
    }
    if (magnitude < MILLIS_LIMIT) {
      return Math.round(value * 1_000d);
    }
    if (magnitude < MICROS_LIMIT) {
      return Math.round(value);
    }
    throw new IllegalArgumentException("number too large for an epoch timestamp");
  }

  /** An ISO date starts {@code YYYY-MM-DD}; anything else is read as a number. */
  private static boolean looksNumeric(String s) {
    return !(s.length() >= 10 && s.charAt(4) == '-' && s.charAt(7) == '-');
  }

  private long isoToEpochMicros(String s) {
    Cursor c = new Cursor(s);
    int year = c.digits(4, "year");
    c.expect('-');
    int month = c.digits(2, "month");
    c.expect('-');
    int day = c.digits(2, "day");
    int hour = 0;
    int minute = 0;
    int second = 0;
    long nanos = 0;
    if (c.more()) {
      char sep = c.next();
      if (sep != 'T' && sep != ' ' && sep != 't') {
        throw new IllegalArgumentException("expected 'T' or space after the date");
      }
      hour = c.digits(2, "hour");
      c.expect(':');
      minute = c.digits(2, "minute");
      if (c.peek() == ':') {
        c.next();
        second = c.digits(2, "second");
        if (c.peek() == '.' || c.peek() == ',') {
          c.next();
          nanos = c.fraction();
        }
      }
    }
    long offset = defaultOffsetSeconds;
    if (c.more()) {
      offset = c.zoneOffsetSeconds();
    }
    if (c.more()) {
      throw new IllegalArgumentException("unexpected text after the timestamp");
    }
    if (hour > 23 || minute > 59 || second > 60) {
      throw new IllegalArgumentException("time of day out of range");
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("invalid date");
    }
    long seconds = epochDay * 86_400L + hour * 3_600L + minute * 60L + second - offset;
    return seconds * 1_000_000L + nanos / 1_000L;
  }

  /** A position in the text being parsed. */
  private static final class Cursor {
    private final String s;
    private int i;

    Cursor(String s) {
      this.s = s;
    }

    boolean more() {
      return i < s.length();
    }

    char peek() {
      return more() ? s.charAt(i) : '\0';
    }

    char next() {
      return s.charAt(i++);
    }

    void expect(char expected) {
      if (!more() || s.charAt(i) != expected) {
        throw new IllegalArgumentException("expected '" + expected + "' at position " + (i + 1));
      }
      i++;
    }

    int digits(int count, String what) {
      int value = 0;
      for (int k = 0; k < count; k++) {
        if (!more() || !Character.isDigit(s.charAt(i))) {
          throw new IllegalArgumentException(what + ": expected " + count + " digits");
        }
        value = value * 10 + (s.charAt(i++) - '0');
      }
      return value;
    }

    long fraction() {
      long nanos = 0;
      int count = 0;
      while (more() && Character.isDigit(s.charAt(i))) {
        if (count == 9) {
          throw new IllegalArgumentException("fraction longer than 9 digits");
        }
        nanos = nanos * 10 + (s.charAt(i++) - '0');
        count++;
      }
      if (count == 0) {
        throw new IllegalArgumentException("empty fraction");
      }
      for (int k = count; k < 9; k++) {
        nanos *= 10;
      }
      return nanos;
    }

    long zoneOffsetSeconds() {
      char sign = next();
      if (sign == 'Z' || sign == 'z') {
        return 0;
      }
      if (sign != '+' && sign != '-') {
        throw new IllegalArgumentException("bad zone");
      }
      int hours = digits(2, "zone hours");
      if (peek() == ':') {
        next();
      }
      int minutes = more() ? digits(2, "zone minutes") : 0;
      long offset = hours * 3_600L + minutes * 60L;
      return sign == '-' ? -offset : offset;
    }
  }
}
