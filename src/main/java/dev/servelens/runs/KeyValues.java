package dev.servelens.runs;

import java.util.Map;

/** The {@code key=value} fields of a profiling or evaluation log line, bounded in number. */
final class KeyValues {
  private KeyValues() {}

  /** Adds the {@code key=value} tokens from {@code from} on (space separated) to {@code out}. */
  static void read(String line, int from, Map<String, String> out) {
    int i = from;
    int n = line.length();
    while (i < n && out.size() < LogLineToEvent.MAX_FIELDS) {
      while (i < n && line.charAt(i) == ' ') {
        i++;
      }
      int start = i;
      while (i < n && line.charAt(i) != ' ') {
        i++;
      }
      int equals = line.indexOf('=', start);
      if (equals > start && equals < i && isKey(line, start, equals)) {
        out.putIfAbsent(line.substring(start, equals),
            LogLineToEvent.bounded(line.substring(equals + 1, i)));
      }
    }
  }

  private static boolean isKey(String line, int start, int end) {
    for (int k = start; k < end; k++) {
      char ch = line.charAt(k);
      if (!(ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
          || (ch >= '0' && ch <= '9'))) {
        return false;
      }
    }
    return true;
  }

  static double number(String name, String value) {
    try {
      double parsed = Double.parseDouble(value);
      if (!Double.isFinite(parsed)) {
        throw new IllegalArgumentException(name + ": not a finite number");
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": not a number '"
          + (value.length() <= 32 ? value : value.substring(0, 32) + "...") + "'");
    }
  }

  static long wholeNumber(String name, String value) {
    double parsed = number(name, value);
    if (parsed != Math.rint(parsed) || Math.abs(parsed) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + ": not a whole number '" + value + "'");
    }
    return (long) parsed;
  }
}
