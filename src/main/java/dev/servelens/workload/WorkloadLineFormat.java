package dev.servelens.workload;

import java.time.LocalDate;
import java.util.Locale;

/**
 * Writes the canonical workload CSV: the header, timestamps in one of three styles and seconds with
 * six decimals. Hand-rolled rather than {@code String.format} or {@code DateTimeFormatter} because
 * it runs once per generated row; the date part is cached per day.
 */
final class WorkloadLineFormat {

  static final String HEADER =
      "user_id,model_id,input_tokens,output_tokens,started_at,completed_at,ttft,duration";
  static final int COLUMNS = 8;

  /** How {@code started_at} and {@code completed_at} are written. */
  enum TimestampStyle {
    ISO,
    SPACE,
    EPOCH_MS;

    static TimestampStyle parse(String name) {
      if (name == null) {
        throw new IllegalArgumentException("option timestampFormat is required");
      }
      switch (name.trim().toLowerCase(Locale.ROOT)) {
        case WorkloadGenerateOptions.TIMESTAMP_ISO:
          return ISO;
        case WorkloadGenerateOptions.TIMESTAMP_SPACE:
          return SPACE;
        case WorkloadGenerateOptions.TIMESTAMP_EPOCH_MS:
          return EPOCH_MS;
        default:
          throw new IllegalArgumentException(
              "option timestampFormat must be iso, space or epoch-ms (got '" + name + "')");
      }
    }
  }

  private final TimestampStyle style;
  private long cachedDay = Long.MIN_VALUE;
  private String cachedDatePrefix;

  WorkloadLineFormat(TimestampStyle style) {
    this.style = style;
  }

  /** Appends one data line (no line separator). */
  void appendLine(
      StringBuilder line,
      String userId,
      String modelId,
      long inputTokens,
      long outputTokens,
      long startedAtMs,
      long completedAtMs,
      double ttftSeconds,
      double durationSeconds) {
    line.append(userId).append(',').append(modelId).append(',');
    line.append(inputTokens).append(',').append(outputTokens).append(',');
    appendTimestamp(line, startedAtMs);
    line.append(',');
    appendTimestamp(line, completedAtMs);
    line.append(',');
    appendSeconds(line, ttftSeconds);
    line.append(',');
    appendSeconds(line, durationSeconds);
  }

  /** Appends an instant in this format's style. */
  void appendTimestamp(StringBuilder line, long epochMs) {
    if (style == TimestampStyle.EPOCH_MS) {
      line.append(epochMs);
      return;
    }
    long day = Math.floorDiv(epochMs, WorkloadRateModel.DAY_MS);
    if (day != cachedDay) {
      cachedDay = day;
      cachedDatePrefix = LocalDate.ofEpochDay(day) + (style == TimestampStyle.ISO ? "T" : " ");
    }
    long msOfDay = epochMs - day * WorkloadRateModel.DAY_MS;
    line.append(cachedDatePrefix);
    appendPadded(line, msOfDay / WorkloadRateModel.HOUR_MS, 2);
    line.append(':');
    appendPadded(line, msOfDay / WorkloadRateModel.MINUTE_MS % 60, 2);
    line.append(':');
    appendPadded(line, msOfDay / 1000 % 60, 2);
    line.append('.');
    appendPadded(line, msOfDay % 1000, 3);
    if (style == TimestampStyle.ISO) {
      line.append('Z');
    }
  }

  /** Appends a non-negative number of seconds with exactly six decimals. */
  static void appendSeconds(StringBuilder line, double seconds) {
    long micros = Math.round(seconds * 1_000_000.0);
    line.append(micros / 1_000_000).append('.');
    appendPadded(line, micros % 1_000_000, 6);
  }

  private static void appendPadded(StringBuilder line, long value, int width) {
    String digits = Long.toString(value);
    for (int pad = digits.length(); pad < width; pad++) {
      line.append('0');
    }
    line.append(digits);
  }
}
