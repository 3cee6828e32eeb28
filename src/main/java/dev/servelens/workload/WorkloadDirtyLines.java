package dev.servelens.workload;

import java.util.Arrays;

/**
 * Turns a clean data line into one of the malformed lines that real metric dumps contain, so that
 * ingest jobs can be tested against them: each kind breaks exactly one rule a parser must check.
 */
final class WorkloadDirtyLines {

  /** The kinds of malformed line, each a reason an ingest would reject the line for. */
  enum Kind {
    /** One column too few or one too many. */
    WRONG_COLUMN_COUNT,
    /** {@code abc} in a token column. */
    NON_NUMERIC_TOKENS,
    /** A negative token count. */
    NEGATIVE_TOKENS,
    /** {@code completed_at} one second to an hour before {@code started_at}. */
    COMPLETED_BEFORE_STARTED,
    /** {@code 2025-13-45 99:00:00} in a timestamp column. */
    BAD_TIMESTAMP,
    /** Every field empty ({@code ,,,,,,,}); a blank line would be no row at all. */
    EMPTY_FIELDS,
    /** The line cut in the middle of a field; used for the last line of a file. */
    TRUNCATED
  }

  /** The kinds drawn for rows inside a file (all but {@link Kind#TRUNCATED}). */
  private static final Kind[] INNER_KINDS = {
    Kind.WRONG_COLUMN_COUNT,
    Kind.NON_NUMERIC_TOKENS,
    Kind.NEGATIVE_TOKENS,
    Kind.COMPLETED_BEFORE_STARTED,
    Kind.BAD_TIMESTAMP,
    Kind.EMPTY_FIELDS
  };

  static final String BAD_TIMESTAMP = "2025-13-45 99:00:00";

  private static final int INPUT_TOKENS = 2;
  private static final int STARTED_AT = 4;
  private static final int COMPLETED_AT = 5;

  private WorkloadDirtyLines() {}

  /** A kind for a row inside a file, drawn uniformly. */
  static Kind drawInnerKind(WorkloadRandom random) {
    return INNER_KINDS[random.nextInt(INNER_KINDS.length)];
  }

  /**
   * The malformed version of {@code cleanLine}.
   *
   * @param startedAtMs the line's {@code started_at}, for {@link Kind#COMPLETED_BEFORE_STARTED}
   */
  static String corrupt(
      Kind kind,
      String cleanLine,
      long startedAtMs,
      WorkloadLineFormat format,
      WorkloadRandom random) {
    String[] fields = cleanLine.split(",", -1);
    return switch (kind) {
      case WRONG_COLUMN_COUNT ->
          random.chance(0.5)
              ? String.join(",", Arrays.copyOf(fields, fields.length - 1))
              : cleanLine + "," + fields[fields.length - 1];
      case NON_NUMERIC_TOKENS -> replace(fields, INPUT_TOKENS + random.nextInt(2), "abc");
      case NEGATIVE_TOKENS -> {
        int column = INPUT_TOKENS + random.nextInt(2);
        yield replace(fields, column, "-" + fields[column]);
      }
      case COMPLETED_BEFORE_STARTED -> {
        StringBuilder completed = new StringBuilder();
        format.appendTimestamp(completed, startedAtMs - 1_000L - random.nextLong(3_600_000L));
        yield replace(fields, COMPLETED_AT, completed.toString());
      }
      case BAD_TIMESTAMP ->
          replace(fields, random.chance(0.5) ? STARTED_AT : COMPLETED_AT, BAD_TIMESTAMP);
      case EMPTY_FIELDS -> ",".repeat(fields.length - 1);
      case TRUNCATED -> truncate(cleanLine, fields, random);
    };
  }

  private static String replace(String[] fields, int column, String value) {
    fields[column] = value;
    return String.join(",", fields);
  }

  /** Cuts inside user_id, model_id, started_at or completed_at, so at most 6 columns remain. */
  private static String truncate(String cleanLine, String[] fields, WorkloadRandom random) {
    int[] candidates = {0, 1, STARTED_AT, COMPLETED_AT};
    int field = candidates[random.nextInt(candidates.length)];
    int fieldStart = 0;
    for (int i = 0; i < field; i++) {
      fieldStart += fields[i].length() + 1;
    }
    // Keep at least one character of the field and drop at least one.
    int keep = 1 + random.nextInt(Math.max(1, fields[field].length() - 1));
    return cleanLine.substring(0, fieldStart + keep);
  }
}
