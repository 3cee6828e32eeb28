package dev.servelens.io;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Row counts of one ingest by file and status, and by input split for line-based inputs,
 * gathered in small aggregations (one row per split and status): the line counts {@link
 * LineNumbers} needs, the kept / rejected counts of the manifest and the blank lines, which are
 * no rows. Parsers mark every line with one of the statuses below, so that every line read is
 * accounted for.
 */
public record ParseCounts(
    List<LineNumbers.SplitCount> splits,
    Map<String, Long> keptByFile,
    Map<String, Long> rejectedByFile,
    Map<String, Long> blankByFile) {

  /** A record kept. */
  public static final String OK = "ok";
  /** A record rejected, with a reason. */
  public static final String REJECT = "reject";
  /** A header line: neither kept nor rejected, but a line for numbering. */
  public static final String HEADER = "header";
  /** A blank line (empty or only white space): no row, counted apart. */
  public static final String BLANK = "blank";

  /** Counts without blank lines. */
  public ParseCounts(List<LineNumbers.SplitCount> splits, Map<String, Long> keptByFile,
      Map<String, Long> rejectedByFile) {
    this(splits, keptByFile, rejectedByFile, Map.of());
  }

  /**
   * @param lines parsed lines with columns {@code source_path, split_start, status}
   * @param records whole-file records with columns {@code source_path, status}, or null
   */
  public static ParseCounts of(Dataset<Row> lines, Dataset<Row> records) {
    Map<String, Long> linesBySplit = new HashMap<>();
    Map<String, Object[]> splitKeys = new HashMap<>();
    Map<String, Long> kept = new HashMap<>();
    Map<String, Long> rejected = new HashMap<>();
    Map<String, Long> blank = new HashMap<>();
    for (Row row : lines.groupBy("source_path", "split_start", "status").count()
        .collectAsList()) {
      String key = row.getLong(1) + "\t" + row.getString(0);
      linesBySplit.merge(key, row.getLong(3), Long::sum);
      splitKeys.put(key, new Object[] {row.getString(0), row.getLong(1)});
      count(row.getString(0), row.getString(2), row.getLong(3), kept, rejected);
      if (BLANK.equals(row.getString(2))) {
        blank.merge(row.getString(0), row.getLong(3), Long::sum);
      }
    }
    if (records != null) {
      for (Row row : records.groupBy("source_path", "status").count().collectAsList()) {
        count(row.getString(0), row.getString(1), row.getLong(2), kept, rejected);
      }
    }
    List<LineNumbers.SplitCount> splits = new ArrayList<>();
    for (Map.Entry<String, Long> entry : linesBySplit.entrySet()) {
      Object[] key = splitKeys.get(entry.getKey());
      splits.add(new LineNumbers.SplitCount((String) key[0], (Long) key[1], entry.getValue()));
    }
    return new ParseCounts(splits, kept, rejected, blank);
  }

  private static void count(String path, String status, long rows, Map<String, Long> kept,
      Map<String, Long> rejected) {
    if (OK.equals(status)) {
      kept.merge(path, rows, Long::sum);
    } else if (REJECT.equals(status)) {
      rejected.merge(path, rows, Long::sum);
    }
  }

  /**
   * Under {@code --strict}, fails when anything was rejected, naming the first reject's file,
   * line and reason and how many {@code unit}s were rejected in all; does nothing otherwise.
   *
   * @param firstReject the first reject as a {@link RejectsTable} row, asked for only on failure
   */
  public void failIfStrict(boolean strict, String unit, Supplier<Row> firstReject) {
    if (strict && totalRejected() > 0) {
      throw new StrictModeException(RejectsTable.describe(firstReject.get()) + " (--strict: "
          + totalRejected() + " " + unit + "(s) rejected in all)");
    }
  }

  public long kept(String path) {
    return keptByFile.getOrDefault(path, 0L);
  }

  public long rejected(String path) {
    return rejectedByFile.getOrDefault(path, 0L);
  }

  public long totalKept() {
    return keptByFile.values().stream().mapToLong(Long::longValue).sum();
  }

  public long totalBlank() {
    return blankByFile.values().stream().mapToLong(Long::longValue).sum();
  }

  public long totalRejected() {
    return rejectedByFile.values().stream().mapToLong(Long::longValue).sum();
  }
}
