package dev.servelens.runs.gen;

import java.time.LocalDate;

/**
 * Formats epoch milliseconds (UTC) the ways the benchmark's loggers print them, without the cost
 * of a {@code DateTimeFormatter} per line: the big logs format millions of timestamps.
 */
final class LogTime {

  private static final long MILLIS_PER_DAY = 86_400_000L;

  private LogTime() {}

  /** {@code 2026-01-05 10:14:23}, then {@code separator} and milliseconds unless it is 0. */
  static StringBuilder append(StringBuilder out, long epochMillis, char separator) {
    long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
    long millisOfDay = epochMillis - day * MILLIS_PER_DAY;
    appendDate(out, LocalDate.ofEpochDay(day), '-').append(' ');
    long secondOfDay = millisOfDay / 1000;
    pad2(out, secondOfDay / 3600).append(':');
    pad2(out, secondOfDay / 60 % 60).append(':');
    pad2(out, secondOfDay % 60);
    if (separator != 0) {
      long millis = millisOfDay % 1000;
      out.append(separator).append((char) ('0' + millis / 100));
      pad2(out, millis % 100);
    }
    return out;
  }

  /** {@code 2026-01-05 10:14:23}. */
  static String seconds(long epochMillis) {
    return append(new StringBuilder(19), epochMillis, (char) 0).toString();
  }

  /** {@code 2026-01-05T10:14:23Z} for an epoch second. */
  static String iso(long epochSecond) {
    StringBuilder out = append(new StringBuilder(20), epochSecond * 1000, (char) 0);
    out.setCharAt(10, 'T');
    return out.append('Z').toString();
  }

  /** {@code 20260105_101158}: the suffix of run directory names. */
  static String compact(long epochSecond) {
    String text = seconds(epochSecond * 1000);
    return text.substring(0, 4) + text.substring(5, 7) + text.substring(8, 10) + '_'
        + text.substring(11, 13) + text.substring(14, 16) + text.substring(17, 19);
  }

  /** {@code 2026-01-05}: the date folders of large run sets. */
  static String date(long epochSecond) {
    return seconds(epochSecond * 1000).substring(0, 10);
  }

  /** {@code value} with exactly {@code decimals} digits after the point, rounded half up. */
  static StringBuilder fixed(StringBuilder out, double value, int decimals) {
    long scale = 1;
    for (int i = 0; i < decimals; i++) {
      scale *= 10;
    }
    long scaled = Math.round(Math.abs(value) * scale);
    if (value < 0 && scaled != 0) {
      out.append('-');
    }
    out.append(scaled / scale);
    if (decimals > 0) {
      out.append('.');
      String fraction = Long.toString(scaled % scale);
      for (int i = fraction.length(); i < decimals; i++) {
        out.append('0');
      }
      out.append(fraction);
    }
    return out;
  }

  private static StringBuilder appendDate(StringBuilder out, LocalDate date, char separator) {
    out.append(date.getYear()).append(separator);
    return pad2(pad2(out, date.getMonthValue()).append(separator), date.getDayOfMonth());
  }

  private static StringBuilder pad2(StringBuilder out, long value) {
    if (value < 10) {
      out.append('0');
    }
    return out.append(value);
  }
}
