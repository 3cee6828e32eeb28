package dev.servelens.io;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Turns a record's position inside its input split into its line number in the file, from the
 * number of lines each split holds (one small row per split, gathered after the parse).
 */
public final class LineNumbers implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The number of lines one split of one file holds. */
  public record SplitCount(String path, long splitStart, long lines) implements Serializable {}

  private final Map<String, long[]> startsByPath = new HashMap<>();
  private final Map<String, long[]> firstLineByPath = new HashMap<>();

  /** @param counts one entry per (file, split) */
  public LineNumbers(List<SplitCount> counts) {
    Map<String, List<SplitCount>> byPath = new HashMap<>();
    for (SplitCount count : counts) {
      byPath.computeIfAbsent(count.path(), k -> new java.util.ArrayList<>()).add(count);
    }
    for (Map.Entry<String, List<SplitCount>> entry : byPath.entrySet()) {
      List<SplitCount> splits = entry.getValue();
      splits.sort((a, b) -> Long.compare(a.splitStart(), b.splitStart()));
      long[] starts = new long[splits.size()];
      long[] firstLines = new long[splits.size()];
      long line = 1;
      for (int i = 0; i < splits.size(); i++) {
        starts[i] = splits.get(i).splitStart();
        firstLines[i] = line;
        line += splits.get(i).lines();
      }
      startsByPath.put(entry.getKey(), starts);
      firstLineByPath.put(entry.getKey(), firstLines);
    }
  }

  /**
   * The line number of each row as a column, from its {@code source_path}, {@code split_start}
   * and {@code line_in_split} columns. Only those three values leave Spark's row format, so
   * numbering costs little per row.
   */
  public Column column() {
    UserDefinedFunction number = functions.udf(
        (UDF3<String, Long, Long, Long>) this::lineNumber, DataTypes.LongType).asNonNullable();
    return number.apply(functions.col("source_path"), functions.col("split_start"),
        functions.col("line_in_split"));
  }

  /**
   * @return the 1-based line number of the record at {@code lineInSplit} (0-based) of the split
   *     starting at {@code splitStart}
   */
  public long lineNumber(String path, long splitStart, long lineInSplit) {
    long[] starts = startsByPath.get(path);
    if (starts == null) {
      throw new IllegalArgumentException("no split counts for " + path);
    }
    int index = Arrays.binarySearch(starts, splitStart);
    if (index < 0) {
      throw new IllegalArgumentException("no split at " + splitStart + " in " + path);
    }
    return firstLineByPath.get(path)[index] + lineInSplit;
  }
}
