package dev.servelens.runs;

/**
 * Classifies error lines of a run's logs by what went wrong, from fixed phrases (no regex).
 * Kinds: {@code expert_call_failed}, {@code call_failed_permanently}, {@code
 * context_length_exceeded}, {@code too_many_open_files}, {@code traceback}, {@code error} (any
 * other line logged at ERROR level).
 */
final class ErrorKinds {
  private ErrorKinds() {}

  /** Every kind {@link #of} gives, sorted. */
  static final String[] KINDS = {"call_failed_permanently", "context_length_exceeded", "error",
      "expert_call_failed", "too_many_open_files", "traceback"};

  /** The line's error kind, or null when it is not an error line. */
  static String of(String line) {
    if (line.contains("failed permanently")) {
      return line.contains("Expert") || line.contains("expert") ? "expert_call_failed"
          : "call_failed_permanently";
    }
    if (containsIgnoreCase(line, "context length")) {
      return "context_length_exceeded";
    }
    if (line.contains("Too many open files")) {
      return "too_many_open_files";
    }
    if (line.contains("Traceback (most recent call last)")) {
      return "traceback";
    }
    if (line.contains(" ERROR ") || line.contains("[ERROR]") || line.contains("ERROR:")
        || line.startsWith("ERROR ")) {
      return "error";
    }
    return null;
  }

  private static boolean containsIgnoreCase(String line, String phrase) {
    for (int i = 0; i + phrase.length() <= line.length(); i++) {
      if (line.regionMatches(true, i, phrase, 0, phrase.length())) {
        return true;
      }
    }
    return false;
  }
}
