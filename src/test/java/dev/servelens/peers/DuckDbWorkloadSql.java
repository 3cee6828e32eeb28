package dev.servelens.peers;

import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of {@link DuckDbWorkloadPeer}: the load, and the workload analyses of SPEC 2.W written
 * against the table it loads, one {@link Step} per analysis. Definitions follow the spec and
 * servelens's analysis classes (series {@code *} = all requests; exact quantiles = the smallest
 * value v with CDF(v) >= q; gaps raised to 1 ms; lag-1 correlations over (gap, next gap);
 * Spearman ranks x = gaps[0..n-2] and y = gaps[1..n-1] separately, ties given their average
 * rank; heatmap of log10(ms) of gaps clipped to [1e-3, 1e4] s in 50 x 50 bins). Where servelens
 * uses approximate percentiles (overview and box statistics), this uses exact ones
 * ({@code quantile_disc}).
 */
final class DuckDbWorkloadSql {
  private DuckDbWorkloadSql() {}

  static final String REQUESTS = "workload_requests";
  static final int TOP_MODELS = 10;
  static final int TOP_N = 20;
  static final int DIVERSITY_WINDOW = 1000;
  static final int DIVERSITY_TOP_USERS = 50;
  static final String[] TOKEN_METRICS = {"input_tokens", "output_tokens", "output_input_ratio"};
  /** The request times whose exact CDFs the workload analysis draws beside the tokens'. */
  static final String[] LATENCIES = {"ttft", "duration"};

  /** Exact quantiles of the tables and their integer per-mille, for exact comparisons. */
  private static final int[] EXACT_QUANTILES_PER_MILLE = {500, 900, 990};
  private static final double HEATMAP_MIN_S = 1e-3;
  private static final double HEATMAP_MAX_S = 1e4;
  private static final int HEATMAP_BINS = 50;
  private static final int CDF_POINTS = 1000;
  private static final int RANKS_PER_DECADE = 100;
  private static final String TOP_SERIES = "series IN (SELECT series FROM top_models)";

  /** One named part of the analysis: its statements, run in order. */
  record Step(String name, List<String> statements) {}

  /**
   * Reads the canonical CSVs with explicit column types into {@value #REQUESTS}, with the
   * {@code date} column and the (model, time) order of servelens's catalog table.
   */
  static String load(List<String> files) {
    List<String> quoted = new ArrayList<>();
    for (String file : files) {
      quoted.add(quote(file));
    }
    return "CREATE OR REPLACE TABLE " + REQUESTS + " AS\n"
        + "SELECT *, CAST(started_at AS DATE) AS date\n"
        + "FROM read_csv([" + String.join(", ", quoted) + "],\n"
        + "  header = true, delim = ',', quote = '\"', escape = '\"', auto_detect = false,\n"
        + "  columns = {'user_id': 'VARCHAR', 'model_id': 'VARCHAR', 'input_tokens': 'BIGINT',\n"
        + "    'output_tokens': 'BIGINT', 'started_at': 'TIMESTAMP', 'completed_at': 'TIMESTAMP',\n"
        + "    'ttft': 'DOUBLE', 'duration': 'DOUBLE'})\n"
        + "ORDER BY model_id, started_at";
  }

  /** Every analysis, writing its tables under {@code out/workload/}. */
  static List<Step> analysis(String out) {
    String dir = out + "/workload/";
    List<Step> steps = new ArrayList<>();
    steps.add(new Step("settings", List.of(
        // Spark's default null order: first when ascending, last when descending.
        "SET default_null_order = 'nulls_first_on_asc_last_on_desc'",
        "CREATE OR REPLACE TEMP TABLE top_models AS SELECT model_id AS series FROM ("
            + "SELECT model_id FROM " + REQUESTS + " GROUP BY model_id"
            + " ORDER BY count(*) DESC, model_id ASC NULLS LAST LIMIT " + TOP_MODELS + ")"
            + " WHERE model_id IS NOT NULL UNION ALL SELECT '*'")));
    steps.add(new Step("overview", List.of(
        copy(overviewSummary(), dir + "overview_summary.csv"),
        copy(overviewColumns(), dir + "overview_columns.csv"),
        copy(overviewNumeric(), dir + "overview_numeric.csv"),
        "CREATE OR REPLACE TEMP TABLE categorical AS " + categorical("model_id"),
        "INSERT INTO categorical " + categorical("user_id"),
        copy("SELECT * FROM categorical ORDER BY \"column\", rank",
            dir + "overview_categorical.csv"),
        "DROP TABLE categorical",
        copy(requestsPer("hour"), dir + "figures/requests_per_hour.csv"),
        copy(requestsPer("day"), dir + "figures/requests_per_day.csv"))));
    steps.add(tokens(dir));
    steps.add(interArrival(dir));
    steps.add(users(dir));
    steps.add(diversity(dir));
    return steps;
  }

  private static String overviewSummary() {
    return "SELECT count(*) AS requests, min(started_at) AS first_started_at,"
        + " max(started_at) AS last_started_at,"
        + " approx_count_distinct(model_id) AS models_approx,"
        + " approx_count_distinct(user_id) AS users_approx,"
        + " (epoch(max(started_at)) - epoch(min(started_at))) / 86400.0 AS span_days"
        + " FROM " + REQUESTS;
  }

  private static String overviewColumns() {
    String[] columns = {"user_id", "model_id", "input_tokens", "output_tokens", "started_at",
        "completed_at", "ttft", "duration"};
    StringBuilder aggregates = new StringBuilder("count(*) AS all_rows");
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < columns.length; i++) {
      aggregates.append(", count(").append(columns[i]).append(") AS non_null_").append(i)
          .append(", approx_count_distinct(").append(columns[i]).append(") AS distinct_")
          .append(i);
      rows.add("SELECT '" + columns[i] + "' AS \"column\", non_null_" + i + " AS non_null,"
          + " all_rows - non_null_" + i + " AS nulls, distinct_" + i + " AS distinct_approx"
          + " FROM counts");
    }
    return "WITH counts AS MATERIALIZED (SELECT " + aggregates + " FROM " + REQUESTS + ") "
        + String.join(" UNION ALL ", rows);
  }

  private static String overviewNumeric() {
    return "WITH base AS (SELECT coalesce(model_id, '(none)') AS model,"
        + " CAST(input_tokens AS DOUBLE) AS input_tokens,"
        + " CAST(output_tokens AS DOUBLE) AS output_tokens, ttft, duration,"
        + " CASE WHEN duration > 0 THEN (input_tokens + output_tokens) / duration END"
        + " AS completion_tps FROM " + REQUESTS + "),\n"
        + "long AS (SELECT * FROM base UNPIVOT INCLUDE NULLS (v FOR \"column\" IN"
        + " (input_tokens, output_tokens, ttft, duration, completion_tps))),\n"
        + "stats AS (SELECT \"column\", CASE WHEN grouping(model) = 1 THEN '*' ELSE model END"
        + " AS model, count(v) AS count, count(*) - count(v) AS nulls, avg(v) AS mean,"
        + " stddev_samp(v) AS stddev, min(v) AS min,"
        + " quantile_disc(v, [0.5, 0.9, 0.95, 0.99, 0.999]) AS p, max(v) AS max"
        + " FROM long GROUP BY GROUPING SETS ((\"column\", model), (\"column\")))\n"
        + "SELECT \"column\", model, count, nulls, mean, stddev, min, p[1] AS p50, p[2] AS p90,"
        + " p[3] AS p95, p[4] AS p99, p[5] AS p999, max FROM stats ORDER BY \"column\", model";
  }

  /** The top {@value #TOP_N} values of a column by requests, then one "(other)" row. */
  private static String categorical(String column) {
    return "WITH counts AS (SELECT CAST(" + column + " AS VARCHAR) AS value,"
        + " count(*) AS requests FROM " + REQUESTS + " GROUP BY 1),\n"
        + "ranked AS (SELECT value, requests,"
        + " row_number() OVER (ORDER BY requests DESC, value ASC NULLS LAST) AS rank"
        + " FROM counts),\n"
        + "total AS (SELECT CAST(sum(requests) AS BIGINT) AS n FROM counts),\n"
        + "shown AS (SELECT count(*) AS k, CAST(coalesce(sum(requests), 0) AS BIGINT) AS s"
        + " FROM ranked WHERE rank <= " + TOP_N + ")\n"
        + "SELECT '" + column + "' AS \"column\", CAST(rank AS INTEGER) AS rank, value, requests,"
        + " requests / greatest(n, 1) AS share FROM ranked, total WHERE rank <= " + TOP_N + "\n"
        + "UNION ALL SELECT '" + column + "', CAST(k + 1 AS INTEGER), '(other)', n - s,"
        + " (n - s) / n FROM shown, total WHERE n > s";
  }

  private static String requestsPer(String unit) {
    return "SELECT CAST(date_trunc('" + unit + "', started_at) AS TIMESTAMP) AS period,"
        + " count(*) AS requests FROM " + REQUESTS + " GROUP BY 1 ORDER BY 1";
  }

  private static Step tokens(String dir) {
    List<String> statements = new ArrayList<>();
    statements.add("CREATE OR REPLACE TEMP TABLE token_quantiles"
        + " (model VARCHAR, metric VARCHAR, q DOUBLE, value DOUBLE)");
    for (String metric : TOKEN_METRICS) {
      String value = metric.equals("output_input_ratio")
          ? "CASE WHEN input_tokens > 0 THEN CAST(output_tokens AS DOUBLE) / input_tokens END"
          : "CAST(" + metric + " AS DOUBLE)";
      String cdf = "cdf_" + metric;
      statements.add(cdfTable(cdf,
          "SELECT model_id AS series, " + value + " AS value, count(*) AS count FROM "
              + REQUESTS + " GROUP BY ALL",
          true));
      statements.add(copy(thinnedCdf(cdf, TOP_SERIES), dir + "figures/cdf_" + metric + ".csv"));
      statements.add("INSERT INTO token_quantiles SELECT series, '" + metric + "', q, value FROM ("
          + exactQuantiles(cdf) + ")");
      statements.add("DROP TABLE " + cdf);
    }
    statements.add(copy("SELECT * FROM token_quantiles ORDER BY metric, model, q",
        dir + "token_quantiles.csv"));
    // The latencies' CDFs are drawn, with no quantile table.
    for (String latency : LATENCIES) {
      String cdf = "cdf_" + latency;
      statements.add(cdfTable(cdf, "SELECT model_id AS series, " + latency
          + " AS value, count(*) AS count FROM " + REQUESTS + " GROUP BY ALL", true));
      statements.add(copy(thinnedCdf(cdf, TOP_SERIES), dir + "figures/cdf_" + latency + ".csv"));
      statements.add("DROP TABLE " + cdf);
    }
    statements.add(copy("SELECT model_id AS model, count(*) AS requests,"
        + " count(*) FILTER (WHERE input_tokens = 0) AS zero_input_excluded,"
        + " count(*) FILTER (WHERE input_tokens IS NULL OR output_tokens IS NULL)"
        + " AS missing_tokens FROM " + REQUESTS + " GROUP BY 1 ORDER BY 1",
        dir + "token_ratio_exclusions.csv"));
    return new Step("tokens", statements);
  }

  /**
   * A CDF table {@code series, value, count, cumulative, total} from a frequency query {@code
   * series, value, count}; with {@code addAll}, the frequencies are also summed into series
   * {@code *}. Null series and values are left out (after the sum into {@code *}).
   */
  private static String cdfTable(String name, String frequencies, boolean addAll) {
    String all = addAll
        ? " UNION ALL SELECT '*', value, sum(count) FROM f GROUP BY value"
        : "";
    return "CREATE OR REPLACE TEMP TABLE " + name + " AS\n"
        + "WITH f AS MATERIALIZED (" + frequencies + "),\n"
        + "g AS (SELECT series, value, CAST(count AS BIGINT) AS count FROM (SELECT * FROM f"
        + all + ") WHERE series IS NOT NULL AND value IS NOT NULL)\n"
        + "SELECT series, value, count, CAST(sum(count) OVER (PARTITION BY series ORDER BY value"
        + " ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT) AS cumulative,"
        + " CAST(sum(count) OVER (PARTITION BY series) AS BIGINT) AS total FROM g";
  }

  /** {@code series, q, value}: the smallest value with CDF >= q, compared exactly. */
  private static String exactQuantiles(String cdf) {
    List<String> qs = new ArrayList<>();
    for (int perMille : EXACT_QUANTILES_PER_MILLE) {
      qs.add("(" + perMille + ")");
    }
    return "SELECT series, CAST(per_mille AS DOUBLE) / 1000 AS q,"
        + " min(value) FILTER (WHERE cumulative * 1000 >= total * per_mille) AS value"
        + " FROM " + cdf + " CROSS JOIN (VALUES " + String.join(", ", qs) + ") qs(per_mille)"
        + " GROUP BY series, per_mille";
  }

  /**
   * The first point of each series and each point whose CDF enters a new 1/1000 step:
   * servelens's thinning, so the figures have the same points.
   */
  private static String thinnedCdf(String cdf, String where) {
    return "SELECT series, value, cumulative / total AS cdf FROM " + cdf + " WHERE " + where
        + " AND (floor(cumulative / total * " + CDF_POINTS + ")"
        + " <> floor((cumulative - count) / total * " + CDF_POINTS + ")"
        + " OR cumulative = count) ORDER BY series, value";
  }

  private static Step interArrival(String dir) {
    List<String> statements = new ArrayList<>();
    statements.add("CREATE OR REPLACE TEMP TABLE gaps AS\n"
        + "WITH s AS (SELECT model_id AS series, started_at FROM " + REQUESTS
        + " WHERE model_id IS NOT NULL AND started_at IS NOT NULL"
        + " UNION ALL SELECT '*', started_at FROM " + REQUESTS
        + " WHERE started_at IS NOT NULL),\n"
        + "w AS (SELECT series, started_at, epoch_us(started_at) AS us,"
        + " lag(epoch_us(started_at)) OVER seq AS previous,"
        + " lag(epoch_us(started_at), 2) OVER seq AS previous2,"
        + " row_number() OVER seq - 1 AS idx"
        + " FROM s WINDOW seq AS (PARTITION BY series ORDER BY started_at))\n"
        + "SELECT series, idx, greatest(us - previous, 1000) / 1000000.0::DOUBLE AS gap_s,"
        + " CASE WHEN previous2 IS NOT NULL THEN greatest(previous - previous2, 1000)"
        + " / 1000000.0::DOUBLE END AS previous_gap_s,"
        + " hour(started_at) AS hour, CAST(started_at AS DATE) AS date"
        + " FROM w WHERE previous IS NOT NULL");
    statements.add(cdfTable("cdf_gaps",
        "SELECT series, gap_s AS value, count(*) AS count FROM gaps GROUP BY ALL", false));
    statements.add(copy(interArrivalStats(), dir + "interarrival_stats.csv"));
    statements.add(copy(thinnedCdf("cdf_gaps", TOP_SERIES), dir + "figures/cdf_interarrival.csv"));
    statements.add("DROP TABLE cdf_gaps");
    for (String group : new String[] {"hour", "date"}) {
      statements.add(copy(boxStats("gaps", "gap_s", "series, " + group, TOP_SERIES)
              + " ORDER BY series, " + group,
          dir + "figures/interarrival_" + (group.equals("hour") ? "hourly" : "daily")
              + "_box.csv"));
    }
    statements.add(copy(heatmap(), dir + "figures/interarrival_heatmap.csv"));
    statements.add("DROP TABLE gaps");
    return new Step("inter-arrival", statements);
  }

  private static String interArrivalStats() {
    StringBuilder quantiles = new StringBuilder("SELECT series");
    for (int perMille : EXACT_QUANTILES_PER_MILLE) {
      quantiles.append(", min(value) FILTER (WHERE cumulative * 1000 >= total * ")
          .append(perMille).append(") AS p").append(perMille / 10).append("_s");
    }
    quantiles.append(" FROM cdf_gaps GROUP BY series");
    String averageRank = "rank() OVER (PARTITION BY series ORDER BY gap_s)"
        + " + (count(*) OVER (PARTITION BY series, gap_s) - 1) / 2.0::DOUBLE";
    return "WITH moments AS (SELECT series, count(*) AS n_gaps, avg(gap_s) AS mean_s,"
        + " stddev_pop(gap_s) AS std_s, corr(previous_gap_s, gap_s) AS pearson_lag1"
        + " FROM gaps GROUP BY series),\n"
        + "quantiles AS (" + quantiles + "),\n"
        + "x AS (SELECT series, idx, " + averageRank + " AS rank_x FROM gaps JOIN moments"
        + " USING (series) WHERE idx < n_gaps),\n"
        + "y AS (SELECT series, idx, " + averageRank + " AS rank_y FROM gaps WHERE idx > 1),\n"
        + "spearman AS (SELECT x.series, corr(rank_x, rank_y) AS spearman_lag1 FROM x JOIN y"
        + " ON x.series = y.series AND y.idx = x.idx + 1 GROUP BY x.series)\n"
        + "SELECT series AS model, n_gaps, mean_s, p50_s, p90_s, p99_s, std_s / mean_s AS cv,"
        + " pearson_lag1, spearman_lag1 FROM moments JOIN quantiles USING (series)"
        + " LEFT JOIN spearman USING (series) ORDER BY model";
  }

  /** {@code <groups>, p5, p25, p50, p75, p95, mean, n} of a value per group (exact). */
  private static String boxStats(String table, String value, String groups, String where) {
    return "SELECT " + groups + ", p[1] AS p5, p[2] AS p25, p[3] AS p50, p[4] AS p75,"
        + " p[5] AS p95, mean, n FROM (SELECT " + groups + ", quantile_disc(" + value
        + ", [0.05, 0.25, 0.5, 0.75, 0.95]) AS p, avg(" + value + ") AS mean, count(" + value
        + ") AS n FROM " + table + " WHERE " + where + " GROUP BY " + groups + ")";
  }

  private static String heatmap() {
    double lowLog = Math.log10(HEATMAP_MIN_S * 1000);
    double width = (Math.log10(HEATMAP_MAX_S * 1000) - lowLog) / HEATMAP_BINS;
    return "WITH binned AS (SELECT series, " + bin("previous_gap_s", lowLog, width) + " AS x_bin, "
        + bin("gap_s", lowLog, width) + " AS y_bin FROM gaps"
        + " WHERE previous_gap_s IS NOT NULL AND " + TOP_SERIES + "),\n"
        + "counts AS (SELECT series, x_bin, y_bin, count(*) AS count FROM binned GROUP BY ALL)\n"
        + "SELECT series, x_bin, y_bin, " + edge("x_bin", lowLog, width) + " AS x_lo, "
        + edge("x_bin + 1", lowLog, width) + " AS x_hi, " + edge("y_bin", lowLog, width)
        + " AS y_lo, " + edge("y_bin + 1", lowLog, width) + " AS y_hi, count,"
        + " count / sum(count) OVER (PARTITION BY series) AS probability,"
        + " count / sum(count) OVER (PARTITION BY series, x_bin) AS conditional_probability"
        + " FROM counts ORDER BY series, x_bin, y_bin";
  }

  private static String bin(String seconds, double lowLog, double width) {
    return "CAST(least(floor((log10(least(greatest(" + seconds + ", " + literal(HEATMAP_MIN_S)
        + "), " + literal(HEATMAP_MAX_S) + ") * 1000.0::DOUBLE) - " + literal(lowLog) + ") / "
        + literal(width) + "), " + (HEATMAP_BINS - 1) + ") AS INTEGER)";
  }

  private static String edge(String bin, double lowLog, double width) {
    return "pow(10.0::DOUBLE, (" + bin + ") * " + literal(width) + " + " + literal(lowLog)
        + ") / 1000.0::DOUBLE";
  }

  private static Step users(String dir) {
    String logSpaced = "CASE WHEN rank = 1 OR rank = (SELECT count(*) FROM per_user) THEN true"
        + " ELSE floor(log10(rank) * " + RANKS_PER_DECADE + ")"
        + " <> floor(log10(rank - 1) * " + RANKS_PER_DECADE + ") END";
    List<String> statements = new ArrayList<>();
    statements.add("CREATE OR REPLACE TEMP TABLE per_user AS\n"
        + "WITH u AS (SELECT user_id, count(*) AS requests,"
        + " count(DISTINCT model_id) AS distinct_models FROM " + REQUESTS
        + " WHERE user_id IS NOT NULL GROUP BY user_id)\n"
        + "SELECT user_id, requests, distinct_models,"
        + " row_number() OVER (ORDER BY requests DESC, user_id ASC) AS rank FROM u");
    statements.add(copy("SELECT * FROM per_user ORDER BY rank", dir + "requests_per_user.csv"));
    statements.add(copy("SELECT * FROM per_user WHERE rank <= " + TOP_N + " ORDER BY rank",
        dir + "top_users.csv"));
    statements.add(copy("SELECT rank, requests FROM per_user WHERE " + logSpaced
        + " ORDER BY rank", dir + "figures/rank_requests_per_user.csv"));
    statements.add(copy("SELECT rank, distinct_models FROM (SELECT distinct_models,"
        + " row_number() OVER (ORDER BY distinct_models DESC, user_id ASC) AS rank"
        + " FROM per_user) WHERE " + logSpaced + " ORDER BY rank",
        dir + "figures/rank_models_per_user.csv"));
    for (String measure : new String[] {"requests", "distinct_models"}) {
      String cdf = "cdf_" + measure + "_per_user";
      statements.add(cdfTable(cdf, "SELECT '*' AS series, " + measure
          + " AS value, count(*) AS count FROM per_user GROUP BY ALL", false));
      statements.add(copy(thinnedCdf(cdf, "true"), dir + "figures/cdf_"
          + (measure.equals("requests") ? "requests" : "models") + "_per_user.csv"));
      statements.add("DROP TABLE " + cdf);
    }
    return new Step("users", statements);
  }

  private static Step diversity(String dir) {
    return new Step("model diversity", List.of(
        "CREATE OR REPLACE TEMP TABLE windows AS\n"
            + "WITH numbered AS (SELECT user_id, model_id, row_number() OVER"
            + " (PARTITION BY user_id ORDER BY started_at, model_id) AS n FROM " + REQUESTS
            + " WHERE user_id IS NOT NULL)\n"
            + "SELECT user_id, (n - 1) // " + DIVERSITY_WINDOW + " AS \"window\","
            + " count(DISTINCT model_id) AS models_in_window, count(*) AS requests_in_window"
            + " FROM numbered GROUP BY user_id, \"window\"",
        copy("WITH c AS (SELECT models_in_window, count(*) AS windows FROM windows GROUP BY 1)"
            + " SELECT models_in_window, windows, windows / sum(windows) OVER () AS share,"
            + " sum(windows) OVER (ORDER BY models_in_window) / sum(windows) OVER () AS cdf"
            + " FROM c ORDER BY models_in_window", dir + "diversity_histogram.csv"),
        copy(boxStats("windows JOIN per_user USING (user_id)", "models_in_window",
            "user_id, rank, requests", "rank <= " + DIVERSITY_TOP_USERS) + " ORDER BY rank",
            dir + "diversity_top_users.csv"),
        "DROP TABLE windows",
        "DROP TABLE per_user"));
  }

  /** {@code COPY (query) TO file} as CSV with a header and ISO-8601 UTC timestamps. */
  private static String copy(String query, String file) {
    return "COPY (" + query + ") TO " + quote(file) + " (HEADER, DELIMITER ',',"
        + " TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:%S.%fZ', DATEFORMAT '%Y-%m-%d')";
  }

  /** A double as a DuckDB DOUBLE (not DECIMAL) literal. */
  private static String literal(double value) {
    return "CAST('" + value + "' AS DOUBLE)";
  }

  /** A SQL string literal. */
  static String quote(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
