package dev.servelens.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's peer of {@code servelens ingest workload} + {@code analyze workload}: the same
 * workload tables (SPEC 2.W, OUTPUTS "workload") computed by DuckDB, in process, over the same
 * canonical CSV files. The load reads the CSVs with explicit column types into a table of a
 * database file in the output folder (the peer of the catalog); the analysis runs the SQL of
 * {@link DuckDbWorkloadSql} and writes each result with {@code COPY ... TO} under {@code
 * OUT/workload/} with servelens's file names, so that the two result folders can be compared.
 *
 * <p>Usage:
 *
 * <pre>
 *   DuckDbWorkloadPeer --input CSV_DIR --out OUT_DIR [--threads 2] [--memory 8GB]
 *   DuckDbWorkloadPeer --query DB_FILE --csv FILE "SQL"
 * </pre>
 *
 * The first form prints {@code rows=}, {@code load_s=} and {@code analysis_s=} lines (seconds
 * inside the process: JVM start-up and opening the database are not in them); the second runs
 * one query against a database written by the first, read-only, and prints {@code query_s=}.
 */
public final class DuckDbWorkloadPeer {
  /** Name of the database file in the output folder. */
  public static final String DATABASE_FILE = "workload.duckdb";

  private DuckDbWorkloadPeer() {}

  public static void main(String[] args) throws Exception {
    Arguments arguments = Arguments.parse(args);
    if (arguments.query != null) {
      query(arguments);
    } else {
      loadAndAnalyze(arguments);
    }
  }

  private static void loadAndAnalyze(Arguments arguments) throws SQLException, IOException {
    Path out = Path.of(arguments.out).toAbsolutePath();
    Path database = out.resolve(DATABASE_FILE);
    Files.createDirectories(out.resolve("workload").resolve("figures"));
    Files.deleteIfExists(database);
    Files.deleteIfExists(out.resolve(DATABASE_FILE + ".wal"));
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database);
        Statement statement = connection.createStatement()) {
      statement.execute("SET threads = " + arguments.threads);
      statement.execute("SET memory_limit = '" + arguments.memory + "'");
      statement.execute("SET TimeZone = 'UTC'");

      long started = System.nanoTime();
      statement.execute(DuckDbWorkloadSql.load(csvGlob(arguments.input)));
      statement.execute("CHECKPOINT");
      double loadSeconds = seconds(started);
      long rows = count(statement, "SELECT count(*) FROM " + DuckDbWorkloadSql.REQUESTS);
      System.out.println("rows=" + rows);
      System.out.printf(Locale.ROOT, "load_s=%.3f%n", loadSeconds);

      started = System.nanoTime();
      for (DuckDbWorkloadSql.Step step : DuckDbWorkloadSql.analysis(out.toString())) {
        long stepStarted = System.nanoTime();
        for (String sql : step.statements()) {
          execute(statement, step.name(), sql);
        }
        System.out.printf(Locale.ROOT, "  step %-28s %8.3f s%n", step.name(),
            seconds(stepStarted));
      }
      System.out.printf(Locale.ROOT, "analysis_s=%.3f%n", seconds(started));
    }
  }

  private static void query(Arguments arguments) throws SQLException {
    long started = System.nanoTime();
    String url = "jdbc:duckdb:" + Path.of(arguments.query).toAbsolutePath();
    java.util.Properties properties = new java.util.Properties();
    properties.setProperty("duckdb.read_only", "true");
    try (Connection connection = DriverManager.getConnection(url, properties);
        Statement statement = connection.createStatement()) {
      statement.execute("SET threads = " + arguments.threads);
      statement.execute("SET TimeZone = 'UTC'");
      statement.execute("COPY (" + arguments.sql + ") TO "
          + DuckDbWorkloadSql.quote(Path.of(arguments.csv).toAbsolutePath().toString())
          + " (HEADER, DELIMITER ',')");
    }
    System.out.println("wrote " + arguments.csv);
    System.out.printf(Locale.ROOT, "query_s=%.3f%n", seconds(started));
  }

  /** Every {@code .csv} file under the input folder, at any depth (or the file itself). */
  private static List<String> csvGlob(String input) throws IOException {
    Path path = Path.of(input).toAbsolutePath();
    if (Files.isRegularFile(path)) {
      return List.of(path.toString());
    }
    List<String> files = new ArrayList<>();
    try (var walk = Files.walk(path)) {
      walk.filter(Files::isRegularFile)
          .filter(file -> file.getFileName().toString().endsWith(".csv"))
          .filter(file -> !file.getFileName().toString().startsWith("."))
          .sorted()
          .forEach(file -> files.add(file.toString()));
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no .csv files under " + path);
    }
    return files;
  }

  private static void execute(Statement statement, String step, String sql)
      throws SQLException {
    try {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new SQLException("step " + step + " failed: " + e.getMessage().lines().findFirst()
          .orElse("") + "\n" + sql, e);
    }
  }

  private static long count(Statement statement, String sql) throws SQLException {
    try (ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  /** The command line, parsed by hand: the benchmark script is its only caller. */
  private static final class Arguments {
    String input;
    String out;
    String query;
    String csv;
    String sql;
    int threads = 2;
    String memory = "8GB";

    static Arguments parse(String[] args) {
      Arguments parsed = new Arguments();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--input" -> parsed.input = value(args, ++i, arg);
          case "--out" -> parsed.out = value(args, ++i, arg);
          case "--query" -> parsed.query = value(args, ++i, arg);
          case "--csv" -> parsed.csv = value(args, ++i, arg);
          case "--threads" -> parsed.threads = Integer.parseInt(value(args, ++i, arg));
          case "--memory" -> parsed.memory = value(args, ++i, arg);
          default -> {
            if (arg.startsWith("--") || parsed.sql != null) {
              throw usage("unexpected argument " + arg);
            }
            parsed.sql = arg;
          }
        }
      }
      if (parsed.query != null) {
        if (parsed.csv == null || parsed.sql == null) {
          throw usage("--query needs --csv FILE and the SQL");
        }
      } else if (parsed.input == null || parsed.out == null) {
        throw usage("--input and --out are required");
      }
      if (!parsed.memory.matches("[0-9]+(\\.[0-9]+)?\\s*[KMGT]i?B")) {
        throw usage("--memory must look like 8GB, got " + parsed.memory);
      }
      return parsed;
    }

    private static String value(String[] args, int index, String option) {
      if (index >= args.length) {
        throw usage(option + " needs a value");
      }
      return args[index];
    }

    private static IllegalArgumentException usage(String message) {
      return new IllegalArgumentException(message + "\nusage: DuckDbWorkloadPeer --input CSV_DIR"
          + " --out OUT_DIR [--threads N] [--memory 8GB]\n"
          + "       DuckDbWorkloadPeer --query DB_FILE --csv FILE \"SQL\"");
    }
  }
}
