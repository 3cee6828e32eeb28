package dev.servelens.peers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The runs benchmark's cross-check: three {@code active_window} tables joined by run id, pair by
 * pair: servelens's ({@code OUT/agentic/active_window.csv}, bounds as timestamps), {@link
 * DuckDbRunsPeer}'s (bounds as epoch seconds) and the generator's ground truth ({@code
 * _truth/active_window.csv}, bounds as ISO timestamps). Window bounds, window length and the
 * task and step counts must be equal; the rates agree to a relative 1e-9. An empty cell matches
 * only an empty cell: a run without driver.log has empty tasks and steps in all three (the peer
 * leaves them empty when the run has no driver.log, as servelens and the truth do). Prints one
 * {@code OK} or {@code MISMATCH !!!} line (with examples) per pair and kind of column, then
 * {@code comparison: N OK, M MISMATCH}; the exit code is 0 either way.
 *
 * <p>Usage: {@code RunsOutputsComparison SERVELENS_CSV PEER_CSV TRUTH_CSV}
 */
public final class RunsOutputsComparison {
  private RunsOutputsComparison() {}

  static final List<String> EXACT = List.of("window_start", "window_end", "window_s",
      "tasks_in_window", "steps_in_window");
  static final List<String> CLOSE = List.of("tasks_per_min", "steps_per_s");
  private static final double RELATIVE_TOLERANCE = 1e-9;
  private static final int EXAMPLES = 3;

  /** One table: its label and its rows by run id (bounds as epoch seconds). */
  record Table(String label, Map<String, Map<String, String>> rows) {}

  public static void main(String[] args) throws SQLException {
    if (args.length != 3) {
      throw new IllegalArgumentException(
          "usage: RunsOutputsComparison SERVELENS_CSV PEER_CSV TRUTH_CSV");
    }
    List<String> lines = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET TimeZone = 'UTC'");
      }
      Table servelens = read(connection, "servelens", Path.of(args[0]), true);
      Table peer = read(connection, "DuckDB", Path.of(args[1]), false);
      Table truth = read(connection, "truth", Path.of(args[2]), true);
      for (Table[] pair : new Table[][] {{servelens, peer}, {servelens, truth}, {peer, truth}}) {
        lines.add(compare(pair[0], pair[1], EXACT, 0));
        lines.add(compare(pair[0], pair[1], CLOSE, RELATIVE_TOLERANCE));
      }
    }
    int mismatches = 0;
    for (String line : lines) {
      System.out.println(line);
      mismatches += line.startsWith("MISMATCH") ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "comparison: %d OK, %d MISMATCH%n", lines.size() - mismatches,
        mismatches);
  }

  /** One line: whether {@code columns} agree, run by run, within {@code tolerance}. */
  static String compare(Table a, Table b, List<String> columns, double tolerance) {
    String what = "active_window " + a.label() + " vs " + b.label() + " "
        + String.join(",", columns);
    if (a.rows() == null || b.rows() == null) {
      return "MISMATCH !!! " + what + ": missing file ("
          + (a.rows() == null ? a.label() : b.label()) + ")";
    }
    TreeSet<String> runs = new TreeSet<>(a.rows().keySet());
    runs.addAll(b.rows().keySet());
    List<String> examples = new ArrayList<>();
    int differing = 0;
    int compared = 0;
    int windows = 0;
    for (String run : runs) {
      Map<String, String> x = a.rows().get(run);
      Map<String, String> y = b.rows().get(run);
      if (x == null || y == null) {
        differing++;
        addExample(examples, run + " only in " + (x == null ? b.label() : a.label()));
        continue;
      }
      windows += x.get("window_s") == null ? 0 : 1;
      for (String column : columns) {
        compared++;
        if (WorkloadOutputsComparison.difference(x.get(column), y.get(column)) > tolerance) {
          differing++;
          addExample(examples, run + " " + column + ": " + a.label() + " " + x.get(column)
              + " vs " + b.label() + " " + y.get(column));
        }
      }
    }
    String counts = String.format(Locale.ROOT, "%d runs (%d with a window), %d values, %s",
        runs.size(), windows, compared, tolerance == 0 ? "exact" : "relative " + tolerance);
    if (differing == 0 && !runs.isEmpty()) {
      return "OK           " + what + " (" + counts + ")";
    }
    return "MISMATCH !!! " + what + ": " + differing + " differ of " + counts
        + (runs.isEmpty() ? " (both empty)" : "") + "; " + String.join("; ", examples);
  }

  /**
   * The rows of an active-window CSV by run id, window bounds turned into epoch seconds when
   * {@code timestamps} (servelens's and the truth's), else read as they are; null when the file
   * is missing.
   */
  static Table read(Connection connection, String label, Path file, boolean timestamps)
      throws SQLException {
    if (!Files.isRegularFile(file)) {
      return new Table(label, null);
    }
    String start = timestamps ? epoch("window_start") : "window_start";
    String end = timestamps ? epoch("window_end") : "window_end";
    String sql = "SELECT run_id, " + start + " AS window_start, " + end + " AS window_end, "
        + "window_s, tasks_in_window, steps_in_window, tasks_per_min, steps_per_s FROM read_csv("
        + DuckDbWorkloadSql.quote(file.toAbsolutePath().toString())
        + ", header = true, all_varchar = true)";
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      while (result.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        for (String column : EXACT) {
          row.put(column, result.getString(column));
        }
        for (String column : CLOSE) {
          row.put(column, result.getString(column));
        }
        rows.put(result.getString("run_id"), row);
      }
    }
    return new Table(label, rows);
  }

  private static String epoch(String column) {
    return "CAST(CAST(epoch(CAST(" + column + " AS TIMESTAMPTZ)) AS BIGINT) AS VARCHAR)";
  }

  private static void addExample(List<String> examples, String example) {
    if (examples.size() < EXAMPLES) {
      examples.add(example);
    }
  }
}
