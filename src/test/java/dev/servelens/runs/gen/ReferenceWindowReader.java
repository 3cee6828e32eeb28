package dev.servelens.runs.gen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An independent reader of one generated run directory applying the reference semantics of
 * FORMATS.md by plain Java: KV rows of exactly five fields whose metric is KV usage, value * 100 >
 * 70 (NaN and unparseable values never above), all ports merged; tasks at the first timestamp
 * of a FINISHED SIMULATION line, steps at the timestamp right after a [PROFILE] tag on a
 * step_complete line, both cut to the second; inclusive bounds.
 */
final class ReferenceWindowReader {

  private static final Pattern TIMESTAMP =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
  private static final Pattern PROFILE_TIME =
      Pattern.compile("\\[PROFILE\\] (\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2})");
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** The window and counts of one run, null fields where unknown. */
  record Window(Long start, Long end, Long tasks, Long steps) {
    Long seconds() {
      return start == null ? null : end - start;
    }
  }

  private ReferenceWindowReader() {}

  static Window read(Path runDirectory) throws IOException {
    List<Long> above = new ArrayList<>();
    List<String> kvLines = Files.readAllLines(runDirectory.resolve("kv_cache_timeseries.csv"));
    for (String line : kvLines.subList(1, kvLines.size())) {
      String[] fields = line.split(",", -1);
      if (fields.length != 5 || !(fields[3].contains("kv_cache_usage_perc")
          || fields[3].contains("gpu_cache_usage_perc"))) {
        continue;
      }
      try {
        if (Double.parseDouble(fields[4]) * 100 > 70) {
          above.add(Long.parseLong(fields[1]));
        }
      } catch (NumberFormatException e) {
        // not a number: never above
      }
    }
    if (above.size() < 2) {
      return new Window(null, null, null, null);
    }
    long start = above.stream().mapToLong(Long::longValue).min().getAsLong();
    long end = above.stream().mapToLong(Long::longValue).max().getAsLong();
    Path driver = runDirectory.resolve("driver.log");
    if (!Files.exists(driver)) {
      return new Window(start, end, null, null);
    }
    long tasks = 0;
    long steps = 0;
    for (String line : new String(Files.readAllBytes(driver), StandardCharsets.UTF_8).split("\n")) {
      if (line.contains("FINISHED SIMULATION")) {
        Matcher time = TIMESTAMP.matcher(line);
        if (time.find() && within(second(time.group()), start, end)) {
          tasks++;
        }
      }
      if (line.contains("type=step_complete")) {
        Matcher time = PROFILE_TIME.matcher(line);
        if (time.find() && within(second(time.group(1)), start, end)) {
          steps++;
        }
      }
    }
    return new Window(start, end, tasks, steps);
  }

  static long second(String timestamp) {
    return LocalDateTime.parse(timestamp, FORMAT).toEpochSecond(ZoneOffset.UTC);
  }

  private static boolean within(long second, long start, long end) {
    return second >= start && second <= end;
  }
}
