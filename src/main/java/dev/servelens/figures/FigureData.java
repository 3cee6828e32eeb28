package dev.servelens.figures;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A figure-data CSV held on the driver: the header and every row as strings. Figure data is
 * bounded by the output contract (a few thousand points per series); a file over
 * {@link #MAX_ROWS} rows or {@link #MAX_BYTES} bytes is refused rather than read.
 */
final class FigureData {
  static final int MAX_ROWS = 200_000;
  static final long MAX_BYTES = 64L << 20;

  private final List<String> columns;
  private final List<String[]> rows;

  FigureData(List<String> columns, List<String[]> rows) {
    this.columns = List.copyOf(columns);
    this.rows = Collections.unmodifiableList(rows);
  }

  /** Reads {@code path} (a Hadoop path: local, hdfs://, s3a://). */
  static FigureData read(FileSystem fs, Path path) {
    try {
      long length = fs.getFileStatus(path).getLen();
      if (length > MAX_BYTES) {
        throw new IllegalArgumentException(path + " is " + length + " bytes, more than the "
            + MAX_BYTES + " a figure's data may hold");
      }
      try (Reader reader = new InputStreamReader(fs.open(path), StandardCharsets.UTF_8);
          CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
              .get().parse(reader)) {
        List<String> header = parser.getHeaderNames();
        List<String[]> rows = new ArrayList<>();
        for (CSVRecord record : parser) {
          if (rows.size() == MAX_ROWS) {
            throw new IllegalArgumentException(path + " has more than " + MAX_ROWS
                + " rows, more than a figure's data may hold");
          }
          String[] row = new String[header.size()];
          for (int i = 0; i < row.length; i++) {
            row[i] = i < record.size() ? record.get(i) : "";
          }
          rows.add(row);
        }
        return new FigureData(header, rows);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  List<String> columns() {
    return columns;
  }

  List<String[]> rows() {
    return rows;
  }

  boolean has(String column) {
    return columns.contains(column);
  }

  int index(String column) {
    int index = columns.indexOf(column);
    if (index < 0) {
      throw new IllegalArgumentException("no column " + column + " in " + columns);
    }
    return index;
  }

  /** Whether every non-empty cell of the column is a number, and at least one is. */
  boolean isNumeric(String column) {
    int index = index(column);
    boolean any = false;
    for (String[] row : rows) {
      if (!row[index].isEmpty()) {
        if (Double.isNaN(parse(row[index]))) {
          return false;
        }
        any = true;
      }
    }
    return any;
  }

  /** The number of distinct values of the column, counting at most {@code limit}. */
  int distinct(String column, int limit) {
    int index = index(column);
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String[] row : rows) {
      if (seen.add(row[index]) && seen.size() >= limit) {
        break;
      }
    }
    return seen.size();
  }

  /** The cell as a number; NaN when empty or not a number. */
  static double parse(String cell) {
    if (cell == null || cell.isEmpty() || cell.length() > 40) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(cell);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /**
   * The rows grouped by the values of {@code keys} (joined by " · "), groups in order of first
   * appearance; no keys gives one group named "".
   */
  Map<String, List<String[]>> groupBy(List<String> keys, KeyLabel label) {
    int[] indexes = keys.stream().mapToInt(this::index).toArray();
    Map<String, List<String[]>> groups = new LinkedHashMap<>();
    for (String[] row : rows) {
      StringBuilder key = new StringBuilder();
      for (int i = 0; i < indexes.length; i++) {
        key.append(i == 0 ? "" : " \u00b7 ").append(label.label(keys.get(i), row[indexes[i]]));
      }
      groups.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(row);
    }
    return groups;
  }

  /** How a key column's value is shown in a group name. */
  interface KeyLabel {
    String label(String column, String value);
  }
}
