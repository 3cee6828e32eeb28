package dev.servelens.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The runs benchmark's peer of {@code servelens ingest runs} + {@code analyze runs}, for one
 * table only: {@code active_window} at 70 %, computed by DuckDB in process (in memory) from the
 * raw run files with the SQL of {@link DuckDbRunsSql}, and written to {@code
 * OUT/agentic/active_window.csv} (window bounds as epoch seconds). Nothing else of the runs
 * family (rejects, manifest, events, the other tables) is computed.
 *
 * <p>Usage: {@code DuckDbRunsPeer --input RUNS_DIR --out OUT_DIR [--threads 2] [--memory 4GB]};
 * prints one {@code step ... s} line per statement and {@code total_s=} (inside the process).
 */
public final class DuckDbRunsPeer {
  private DuckDbRunsPeer() {}

  public static void main(String[] args) throws SQLException, IOException {
    String input = null;
    String out = null;
    int threads = 2;
    String memory = "4GB";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--input" -> input = args[i + 1];
        case "--out" -> out = args[i + 1];
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        case "--memory" -> memory = args[i + 1];
        default -> throw usage("unexpected argument " + args[i]);
      }
    }
    if (input == null || out == null || args.length % 2 != 0) {
      throw usage("--input and --out are required, each option with one value");
    }
    if (!memory.matches("[0-9]+(\\.[0-9]+)?\\s*[KMGT]i?B")) {
      throw usage("--memory must look like 4GB, got " + memory);
    }
    run(Path.of(input), Path.of(out), threads, memory);
  }

  /** Computes the table of the runs under {@code input} into {@code out/agentic/}. */
  static void run(Path input, Path out, int threads, String memory)
      throws SQLException, IOException {
    Path absoluteOut = out.toAbsolutePath();
    Files.createDirectories(absoluteOut.resolve("agentic"));
    long started = System.nanoTime();
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      statement.execute("SET threads = " + threads);
      statement.execute("SET memory_limit = '" + memory + "'");
      statement.execute("SET TimeZone = 'UTC'");
      for (DuckDbWorkloadSql.Step step : DuckDbRunsSql.activeWindow(
          input.toAbsolutePath().toString(), absoluteOut.toString())) {
        long stepStarted = System.nanoTime();
        for (String sql : step.statements()) {
          try {
            statement.execute(sql);
          } catch (SQLException e) {
            throw new SQLException("step " + step.name() + " failed: " + e.getMessage(), e);
          }
        }
        System.out.printf(Locale.ROOT, "  step %-14s %8.3f s%n", step.name(),
            (System.nanoTime() - stepStarted) / 1e9);
      }
    }
    System.out.printf(Locale.ROOT, "total_s=%.3f%n", (System.nanoTime() - started) / 1e9);
  }

  private static IllegalArgumentException usage(String message) {
    return new IllegalArgumentException(message
        + "\nusage: DuckDbRunsPeer --input RUNS_DIR --out OUT_DIR [--threads N] [--memory 4GB]");
  }
}
