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
 * The benchmark's cross-check: compares the workload tables servelens wrote with those {@link
 * DuckDbWorkloadPeer} wrote for the same trace, column by column, and prints one line per check:
 * {@code OK}, {@code MISMATCH} (loud, with examples) or {@code APPROX} for the percentiles that
 * servelens computes approximately (overview and box statistics: {@code percentile_approx},
 * rank error 1e-4) and the peer exactly, which are reported but not counted as mismatches; when
 * the peer's database file sits beside its {@code workload} folder, the overview percentiles are
 * also checked against that documented rank error on the loaded rows. The last line is {@code
 * cross-check: N OK, M MISMATCH, K APPROX}. The exit code is 0 either way: the benchmark reports
 * a mismatch, it does not fail on one.
 *
 * <p>Usage: {@code WorkloadOutputsComparison SERVELENS_OUT/workload PEER_OUT/workload [NAME]},
 * NAME the peer's name in the output lines (default {@code DuckDB}; the benchmark also compares
 * servelens with the pandas peer, {@code bench/peers/pandas_workload.py}, which writes the same
 * files).
 */
public final class WorkloadOutputsComparison {
  private WorkloadOutputsComparison() {}

  /** How two values must agree. */
  enum Mode {
    /** Same number (or same text): counts, exact quantiles, ranks. */
    EXACT,
    /** Relative difference up to 1e-9: means, correlations, shares (summation order differs). */
    CLOSE,
    /** Reported only: servelens's percentile is approximate by design. */
    APPROXIMATE
  }

  /**
   * One comparison: columns of a table joined on its key columns; {@code sample} is the key of
   * the row quoted in the output line (null: the first key).
   */
  record Check(String file, List<String> keys, Mode mode, List<String> columns, String sample) {}

  static final List<Check> CHECKS = List.of(
      new Check("overview_numeric.csv", List.of("column", "model"), Mode.EXACT,
          List.of("count", "nulls", "min", "max"), "input_tokens|*"),
      new Check("overview_numeric.csv", List.of("column", "model"), Mode.CLOSE,
          List.of("mean", "stddev"), "input_tokens|*"),
      new Check("overview_numeric.csv", List.of("column", "model"), Mode.EXACT,
          List.of("p50", "p90", "p95", "p99", "p999"), "input_tokens|*"),
      new Check("overview_categorical.csv", List.of("column", "rank"), Mode.EXACT,
          List.of("value", "requests"), null),
      new Check("token_quantiles.csv", List.of("model", "metric", "q"), Mode.EXACT,
          List.of("value"), "*|output_input_ratio|0.99"),
      new Check("token_ratio_exclusions.csv", List.of("model"), Mode.EXACT,
          List.of("requests", "zero_input_excluded", "missing_tokens"), null),
      new Check("interarrival_stats.csv", List.of("model"), Mode.EXACT,
          List.of("n_gaps", "p50_s", "p90_s", "p99_s"), "*"),
      new Check("interarrival_stats.csv", List.of("model"), Mode.CLOSE,
          List.of("mean_s", "cv", "pearson_lag1", "spearman_lag1"), "*"),
      new Check("requests_per_user.csv", List.of("user_id"), Mode.EXACT,
          List.of("requests", "distinct_models", "rank"), null),
      new Check("diversity_histogram.csv", List.of("models_in_window"), Mode.EXACT,
          List.of("windows"), null),
      new Check("diversity_histogram.csv", List.of("models_in_window"), Mode.CLOSE,
          List.of("share", "cdf"), null),
      new Check("diversity_top_users.csv", List.of("user_id"), Mode.EXACT,
          List.of("rank", "requests", "n"), null),
      new Check("diversity_top_users.csv", List.of("user_id"), Mode.CLOSE,
          List.of("mean"), null),
      new Check("diversity_top_users.csv", List.of("user_id"), Mode.APPROXIMATE,
          List.of("p5", "p25", "p50", "p75", "p95"), null),
      new Check("figures/requests_per_hour.csv", List.of("period"), Mode.EXACT,
          List.of("requests"), null),
      new Check("figures/requests_per_day.csv", List.of("period"), Mode.EXACT,
          List.of("requests"), null),
      new Check("figures/cdf_output_tokens.csv", List.of("series", "value"), Mode.CLOSE,
          List.of("cdf"), null),
      new Check("figures/cdf_output_input_ratio.csv", List.of("series", "value"), Mode.CLOSE,
          List.of("cdf"), null),
      new Check("figures/cdf_interarrival.csv", List.of("series", "value"), Mode.CLOSE,
          List.of("cdf"), null),
      new Check("figures/cdf_ttft.csv", List.of("series", "value"), Mode.CLOSE,
          List.of("cdf"), null),
      new Check("figures/cdf_duration.csv", List.of("series", "value"), Mode.CLOSE,
          List.of("cdf"), null),
      new Check("figures/interarrival_heatmap.csv", List.of("series", "x_bin", "y_bin"),
          Mode.EXACT, List.of("count"), null),
      new Check("figures/interarrival_heatmap.csv", List.of("series", "x_bin", "y_bin"),
          Mode.CLOSE, List.of("x_lo", "y_hi", "probability", "conditional_probability"), null),
      new Check("figures/interarrival_hourly_box.csv", List.of("series", "hour"), Mode.EXACT,
          List.of("n"), null),
      new Check("figures/interarrival_hourly_box.csv", List.of("series", "hour"), Mode.CLOSE,
          List.of("mean"), null),
      new Check("figures/interarrival_hourly_box.csv", List.of("series", "hour"),
          Mode.APPROXIMATE, List.of("p5", "p25", "p50", "p75", "p95"), null),
      new Check("figures/interarrival_daily_box.csv", List.of("series", "date"), Mode.EXACT,
          List.of("n"), null),
      new Check("figures/interarrival_daily_box.csv", List.of("series", "date"), Mode.CLOSE,
          List.of("mean"), null),
      new Check("figures/rank_requests_per_user.csv", List.of("rank"), Mode.EXACT,
          List.of("requests"), null),
      new Check("figures/rank_models_per_user.csv", List.of("rank"), Mode.EXACT,
          List.of("distinct_models"), null));

  private static final double RELATIVE_TOLERANCE = 1e-9;
  private static final int EXAMPLES = 3;

  public static void main(String[] args) throws SQLException {
    if (args.length != 2 && args.length != 3) {
      throw new IllegalArgumentException(
          "usage: WorkloadOutputsComparison SERVELENS_OUT/workload PEER_OUT/workload [NAME]");
    }
    Path servelens = Path.of(args[0]);
    Path peer = Path.of(args[1]);
    String peerName = args.length == 3 ? args[2] : "DuckDB";
    int ok = 0;
    int mismatches = 0;
    int approximate = 0;
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
      List<Result> results = new ArrayList<>();
      for (Check check : CHECKS) {
        results.add(compare(connection, check, servelens, peer, peerName));
      }
      Path database = peer.resolveSibling(DuckDbWorkloadPeer.DATABASE_FILE);
      if (Files.isRegularFile(database)) {
        results.add(overviewRankErrors(connection, servelens, database));
      }
      for (Result result : results) {
        System.out.println(result.line());
        switch (result.outcome()) {
          case "OK" -> ok++;
          case "APPROX" -> approximate++;
          default -> mismatches++;
        }
      }
    }
    System.out.printf(Locale.ROOT, "cross-check: %d OK, %d MISMATCH, %d APPROX%n", ok,
        mismatches, approximate);
  }

  record Result(String outcome, String line) {}

  static Result compare(Connection connection, Check check, Path servelensDir, Path peerDir)
      throws SQLException {
    return compare(connection, check, servelensDir, peerDir, "DuckDB");
  }

  static Result compare(Connection connection, Check check, Path servelensDir, Path peerDir,
      String peerName) throws SQLException {
    String what = check.file() + " " + String.join(",", check.columns());
    Path servelensFile = servelensDir.resolve(check.file());
    Path peerFile = peerDir.resolve(check.file());
    for (Path file : List.of(servelensFile, peerFile)) {
      if (!Files.isRegularFile(file)) {
        return new Result("MISMATCH", "MISMATCH !!! " + what + ": missing file " + file);
      }
    }
    Map<String, Map<String, String>> left = read(connection, servelensFile, check.keys());
    Map<String, Map<String, String>> right = read(connection, peerFile, check.keys());
    TreeSet<String> keys = new TreeSet<>(left.keySet());
    keys.addAll(right.keySet());
    List<String> examples = new ArrayList<>();
    int differing = 0;
    int compared = 0;
    double largest = 0;
    for (String key : keys) {
      Map<String, String> a = left.get(key);
      Map<String, String> b = right.get(key);
      if (a == null || b == null) {
        differing++;
        addExample(examples, key + " only in " + (a == null ? peerName : "servelens"));
        continue;
      }
      for (String column : check.columns()) {
        compared++;
        String x = a.get(column);
        String y = b.get(column);
        double difference = difference(x, y);
        largest = Math.max(largest, difference);
        boolean same = check.mode() == Mode.EXACT ? difference == 0
            : difference <= RELATIVE_TOLERANCE;
        if (!same) {
          differing++;
          addExample(examples, key + " " + column + ": servelens " + x + " vs " + peerName + " " + y);
        }
      }
    }
    String sampleKey = check.sample() != null && left.containsKey(check.sample())
        && right.containsKey(check.sample()) ? check.sample()
        : keys.stream().filter(k -> left.containsKey(k) && right.containsKey(k)).findFirst()
            .orElse(null);
    String sample = sampleKey == null ? "" : "; e.g. " + sampleKey + " "
        + check.columns().get(0) + ": servelens " + left.get(sampleKey).get(check.columns().get(0))
        + ", " + peerName + " " + right.get(sampleKey).get(check.columns().get(0));
    String counts = String.format(Locale.ROOT, "%d rows, %d values", keys.size(), compared);
    if (check.mode() == Mode.APPROXIMATE) {
      return new Result("APPROX", String.format(Locale.ROOT,
          "APPROX       %s: %d of %d values equal, largest relative difference %.2g"
              + " (servelens: percentile_approx)%s", what, compared - differing, compared,
          largest, sample));
    }
    if (differing == 0 && !keys.isEmpty()) {
      return new Result("OK", "OK           " + what + " (" + counts + ", "
          + (check.mode() == Mode.EXACT ? "exact" : "relative 1e-9") + sample + ")");
    }
    return new Result("MISMATCH", "MISMATCH !!! " + what + ": " + differing + " of " + counts
        + " differ" + (keys.isEmpty() ? " (both empty)" : "") + "; " + String.join("; ", examples));
  }

  /**
   * Checks servelens's exact overview percentiles against the loaded rows (peer's database):
   * each value v of quantile q has fewer than q * n rows below it and at least q * n at or
   * below it (rank error 0).
   */
  static Result overviewRankErrors(Connection connection, Path servelensDir, Path database)
      throws SQLException {
    String what = "overview_numeric.csv p50..p999 rank error 0 (exact)";
    Path file = servelensDir.resolve("overview_numeric.csv");
    if (!Files.isRegularFile(file)) {
      return new Result("MISMATCH", "MISMATCH !!! " + what + ": missing file " + file);
    }
    String sql = "WITH s AS (SELECT * FROM read_csv(" + DuckDbWorkloadSql.quote(file.toString())
        + ", header = true)),\n"
        + "l AS (SELECT \"column\", model, CAST(q AS VARCHAR) AS q, v FROM s UNPIVOT"
        + " (v FOR q IN (p50, p90, p95, p99, p999))),\n"
        + "base AS (SELECT model_id, CAST(input_tokens AS DOUBLE) AS input_tokens,"
        + " CAST(output_tokens AS DOUBLE) AS output_tokens, ttft, duration,"
        + " CASE WHEN duration > 0 THEN (input_tokens + output_tokens) / duration END"
        + " AS completion_tps FROM peer." + DuckDbWorkloadSql.REQUESTS + "),\n"
        + "values AS (SELECT coalesce(model_id, '(none)') AS model, c, x FROM base UNPIVOT"
        + " (x FOR c IN (input_tokens, output_tokens, ttft, duration, completion_tps))),\n"
        + "ranks AS (SELECT l.\"column\", l.model, l.q, l.v,"
        + " CASE l.q WHEN 'p50' THEN 0.5 WHEN 'p90' THEN 0.9 WHEN 'p95' THEN 0.95"
        + " WHEN 'p99' THEN 0.99 ELSE 0.999 END::DOUBLE AS level,"
        + " count(*) FILTER (WHERE x < l.v) AS below, count(*) FILTER (WHERE x <= l.v) AS upto,"
        + " count(*) AS n FROM l JOIN values ON values.c = l.\"column\""
        + " AND (l.model = '*' OR values.model = l.model) GROUP BY ALL)\n"
        + "SELECT \"column\", model, q, v, n, greatest(level * n - upto, below - level * n, 0)"
        + " AS rank_error FROM ranks ORDER BY rank_error / n DESC";
    int checked = 0;
    int outside = 0;
    List<String> examples = new ArrayList<>();
    double largest = 0;
    try (Statement statement = connection.createStatement()) {
      statement.execute("ATTACH IF NOT EXISTS " + DuckDbWorkloadSql.quote(database.toString())
          + " AS peer (READ_ONLY)");
      try (ResultSet result = statement.executeQuery(sql)) {
        while (result.next()) {
          checked++;
          long n = result.getLong("n");
          double error = result.getDouble("rank_error");
          largest = Math.max(largest, error / n);
          if (error > 0) {
            outside++;
            addExample(examples, result.getString("column") + "|" + result.getString("model")
                + " " + result.getString("q") + " = " + result.getString("v") + ": rank off by "
                + error + " of " + n);
          }
        }
      }
    }
    if (outside == 0 && checked > 0) {
      return new Result("OK", String.format(Locale.ROOT,
          "OK           %s (%d values; largest rank error %.2g of n)", what, checked, largest));
    }
    return new Result("MISMATCH", "MISMATCH !!! " + what + ": " + outside + " of " + checked
        + " values outside; " + String.join("; ", examples));
  }

  private static void addExample(List<String> examples, String example) {
    if (examples.size() < EXAMPLES) {
      examples.add(example);
    }
  }

  /** 0 when equal, the relative difference of two numbers, or infinity for unequal text. */
  static double difference(String x, String y) {
    if (x == null || y == null || x.isEmpty() || y.isEmpty()) {
      return blank(x) && blank(y) ? 0 : Double.POSITIVE_INFINITY;
    }
    Double a = number(x);
    Double b = number(y);
    if (a == null || b == null) {
      return x.equals(y) ? 0 : Double.POSITIVE_INFINITY;
    }
    if (a.equals(b)) {
      return 0;
    }
    return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
  }

  private static boolean blank(String text) {
    return text == null || text.isEmpty();
  }

  private static Double number(String text) {
    try {
      return Double.valueOf(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The rows of a CSV file by key (key cells joined with '|', numbers normalised). */
  private static Map<String, Map<String, String>> read(Connection connection, Path file,
      List<String> keys) throws SQLException {
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    String sql = "SELECT * FROM read_csv(" + DuckDbWorkloadSql.quote(file.toString())
        + ", header = true, all_varchar = true)";
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 1; i <= columns; i++) {
          row.put(result.getMetaData().getColumnName(i), result.getString(i));
        }
        List<String> key = new ArrayList<>();
        for (String column : keys) {
          key.add(normalise(row.get(column)));
        }
        rows.put(String.join("|", key), row);
      }
    }
    return rows;
  }

  private static String normalise(String cell) {
    if (cell == null) {
      return "";
    }
    Double number = number(cell);
    return number == null ? cell : Double.toString(number);
  }
}
