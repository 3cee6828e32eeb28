package dev.servelens.runs;

import java.io.Serializable;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * Finds and reads the {@code YYYY-MM-DD HH:MM:SS} timestamps of log lines, at one-second
 * resolution: a fraction after the seconds is cut off, never rounded ({@code 10:30:53.735} is
 * {@code 10:30:53}). The timestamps carry no zone; they are read in the driver's zone. A hand
 * scan rather than a regex: it runs on every line and cannot backtrack.
 */
final class LogTimestamps implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Length of {@code YYYY-MM-DD HH:MM:SS}. */
  static final int LENGTH = 19;

  private final ZoneId zone;

  LogTimestamps(ZoneId zone) {
    this.zone = zone;
  }

  /** Epoch seconds of the first valid timestamp anywhere at or after {@code from}, or null. */
  Long first(String line, int from) {
    for (int i = Math.max(0, from); i + LENGTH <= line.length(); i++) {
      Long seconds = at(line, i);
      if (seconds != null) {
        return seconds;
      }
    }
    return null;
  }

  /** Epoch seconds of a valid timestamp starting exactly at {@code i}, or null. */
  Long at(String line, int i) {
    if (i < 0 || i + LENGTH > line.length() || !shape(line, i)) {
      return null;
    }
    try {
      LocalDateTime local = LocalDateTime.of(number(line, i, 4), number(line, i + 5, 2),
          number(line, i + 8, 2), number(line, i + 11, 2), number(line, i + 14, 2),
          number(line, i + 17, 2));
      return local.atZone(zone).toEpochSecond();
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static boolean shape(String line, int i) {
    for (int k = 0; k < LENGTH; k++) {
      char ch = line.charAt(i + k);
      boolean ok = switch (k) {
        case 4, 7 -> ch == '-';
        case 10 -> ch == ' ';
        case 13, 16 -> ch == ':';
        default -> ch >= '0' && ch <= '9';
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static int number(String line, int from, int digits) {
    int value = 0;
    for (int k = 0; k < digits; k++) {
      value = value * 10 + (line.charAt(from + k) - '0');
    }
    return value;
  }
}
