package dev.servelens.testing;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** Reads an output CSV (header row) the way a user's script would: with a plain CSV parser. */
public final class OutputCsv {
  private OutputCsv() {}

  public static List<Map<String, String>> read(Path file) throws IOException {
    List<Map<String, String>> rows = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file);
        CSVParser parser =
            CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(reader)) {
      for (CSVRecord record : parser) {
        rows.add(record.toMap());
      }
    }
    return rows;
  }

  /** The one row whose columns have the given values (pairs of column, value). */
  public static Map<String, String> row(List<Map<String, String>> rows, String... keyValues) {
    List<Map<String, String>> matches = new ArrayList<>();
    for (Map<String, String> row : rows) {
      boolean match = true;
      for (int i = 0; i < keyValues.length; i += 2) {
        match &= keyValues[i + 1].equals(row.get(keyValues[i]));
      }
      if (match) {
        matches.add(row);
      }
    }
    if (matches.size() != 1) {
      throw new AssertionError("expected one row with " + List.of(keyValues) + ", found "
          + matches.size() + " in " + rows);
    }
    return matches.get(0);
  }

  public static double number(Map<String, String> row, String column) {
    return Double.parseDouble(row.get(column));
  }
}
