package dev.servelens.io;

import java.util.Iterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The rows a line parser emits for one input split: one per line, {@code source_path,
 * split_start, line_in_split, status, reason, raw} followed by the parsed values. The split's
 * first line of a file with a header is a {@link ParseCounts#HEADER}; a blank line (empty or
 * white space only, e.g. the one after a file's last newline but one) is a {@link
 * ParseCounts#BLANK}, no row and never a reject; a line the parser
 * refuses (an {@link IllegalArgumentException} whose message is the reason) is a {@link
 * ParseCounts#REJECT} with its raw text, truncated; every other line is {@link ParseCounts#OK}.
 */
public final class StatusLines implements Iterator<Row> {
  /** Raw text kept for a rejected line, in characters. */
  public static final int MAX_RAW_CHARS = 1000;

  /**
   * The schema of the rows: the six position and status columns, then {@code values}.
   */
  public static StructType schema(StructType values) {
    StructType schema =
        new StructType()
            .add("source_path", DataTypes.StringType, false)
            .add("split_start", DataTypes.LongType, false)
            .add("line_in_split", DataTypes.LongType, false)
            .add("status", DataTypes.StringType, false)
            .add("reason", DataTypes.StringType)
            .add("raw", DataTypes.StringType);
    for (StructField field : values.fields()) {
      schema = schema.add(field);
    }
    return schema;
  }

  /** Parses one line into its values, or throws with the reason it is rejected. */
  @FunctionalInterface
  public interface LineToValues {
    Object[] parse(String line);
  }

  private final String path;
  private final long splitStart;
  private final Iterator<String> lines;
  private final boolean hasHeader;
  private final int valueCount;
  private final LineToValues parser;
  private long index;

  /**
   * @param valueCount number of parsed values per row (nulls for headers and rejects)
   */
  public StatusLines(String path, long splitStart, Iterator<String> lines, boolean hasHeader,
      int valueCount, LineToValues parser) {
    this.path = path;
    this.splitStart = splitStart;
    this.lines = lines;
    this.hasHeader = hasHeader;
    this.valueCount = valueCount;
    this.parser = parser;
  }

  @Override
  public boolean hasNext() {
    return lines.hasNext();
  }

  @Override
  public Row next() {
    String line = lines.next();
    long lineInSplit = index++;
    if (hasHeader && splitStart == 0 && lineInSplit == 0) {
      return row(lineInSplit, ParseCounts.HEADER, null, null, null);
    }
    if (line.isBlank()) {
      return row(lineInSplit, ParseCounts.BLANK, null, null, null);
    }
    try {
      return row(lineInSplit, ParseCounts.OK, null, null, parser.parse(line));
    } catch (IllegalArgumentException e) {
      String raw = line.length() <= MAX_RAW_CHARS ? line : line.substring(0, MAX_RAW_CHARS);
      return row(lineInSplit, ParseCounts.REJECT, e.getMessage(), raw, null);
    }
  }

  private Row row(long lineInSplit, String status, String reason, String raw, Object[] values) {
    Object[] all = new Object[6 + valueCount];
    all[0] = path;
    all[1] = splitStart;
    all[2] = lineInSplit;
    all[3] = status;
    all[4] = reason;
    all[5] = raw;
    if (values != null) {
      System.arraycopy(values, 0, all, 6, values.length);
    }
    return RowFactory.create(all);
  }
}
