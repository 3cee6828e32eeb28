package dev.servelens.report;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Reads the header and first rows of an output CSV, however long the file is. */
final class CsvPreview {
  private CsvPreview() {}

  /** Longest cell kept in a preview; longer ones are cut with an ellipsis. */
  static final int MAX_CELL = 200;

  static TablePreview read(FileSystem fs, Path csv, int maxRows) {
    try (Reader reader = new InputStreamReader(fs.open(csv), StandardCharsets.UTF_8);
        CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
            .get().parse(reader)) {
      List<List<String>> rows = new ArrayList<>();
      boolean truncated = false;
      for (CSVRecord record : parser) {
        if (rows.size() == maxRows) {
          truncated = true;
          break;
        }
        List<String> row = new ArrayList<>();
        record.forEach(cell -> row.add(cut(cell)));
        rows.add(row);
      }
      return new TablePreview(parser.getHeaderNames(), rows, truncated);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
    }
  }

  static String cut(String cell) {
    return cell == null || cell.length() <= MAX_CELL ? cell
        : cell.substring(0, MAX_CELL - 1) + "\u2026";
  }
}
