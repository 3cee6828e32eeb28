package dev.servelens.peers;

import java.util.List;

/**
 * The SQL of {@link DuckDbRunsPeer}: the {@code active_window} table of the agentic-run family
 * (README "Agentic runs", FORMATS.md section A) computed straight from the raw files of a run
 * set. Definitions: a run directory is the folder holding a {@code kv_cache_timeseries.csv} or a
 * {@code driver.log}, its id the folder's name (parent/name when two runs share a name); a KV
 * row is usage when its metric holds {@code kv_cache_usage_perc} or {@code gpu_cache_usage_perc},
 * above T when {@code value * 100 > T} (NaN never is), at {@code floor(ts_unix)}; the window is
 * [first, last] second above T and needs two samples above T (tasks and steps are empty
 * without a window or without a driver.log); tasks are {@code FINISHED
 * SIMULATION} lines at their first {@code YYYY-MM-DD HH:MM:SS} (fraction cut, UTC), steps
 * {@code type=step_complete} lines at the timestamp right after {@code [PROFILE] }; both count
 * inside when start <= t <= end. NUL bytes are removed from driver.log before its lines are
 * read. Each statement is a named {@link DuckDbWorkloadSql.Step}.
 */
final class DuckDbRunsSql {
  private DuckDbRunsSql() {}

  /** The threshold of the table, percent (servelens's default {@code --threshold}). */
  static final int THRESHOLD_PCT = 70;
  static final String KV_FILE = "kv_cache_timeseries.csv";
  static final String DRIVER_LOG = "driver.log";

  private static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}";
  private static final String PROFILE_TAG = "\\[PROFILE\\] ";

  /**
   * @param input the run set's root folder (local path)
   * @param out the output folder; the table goes to {@code out/agentic/active_window.csv}
   */
  static List<DuckDbWorkloadSql.Step> activeWindow(String input, String out) {
    String root = input.endsWith("/") ? input.substring(0, input.length() - 1) : input;
    String kvGlob = DuckDbWorkloadSql.quote(root + "/**/" + KV_FILE);
    String driverGlob = DuckDbWorkloadSql.quote(root + "/**/" + DRIVER_LOG);
    return List.of(
        new DuckDbWorkloadSql.Step("runs", List.of(
            "CREATE OR REPLACE TEMP TABLE runs AS\n"
                + "WITH files AS (\n"
                + "  SELECT " + folder("file") + " AS run_dir, false AS driver FROM glob("
                + kvGlob + ")\n"
                + "  UNION ALL\n"
                + "  SELECT " + folder("file") + ", true FROM glob(" + driverGlob + ")),\n"
                + "dirs AS (SELECT run_dir, bool_or(driver) AS has_driver_log,\n"
                + "  regexp_extract(run_dir, '[^/]+$') AS name,\n"
                + "  regexp_extract(run_dir, '([^/]+)/[^/]+$', 1) AS parent\n"
                + "  FROM files GROUP BY run_dir)\n"
                + "SELECT run_dir, has_driver_log,\n"
                + "  CASE WHEN count(*) OVER (PARTITION BY name) > 1 THEN parent || '/' || name\n"
                + "    ELSE name END AS run_id\n"
                + "FROM dirs")),
        new DuckDbWorkloadSql.Step("kv windows", List.of(
            "CREATE OR REPLACE TEMP TABLE windows AS\n"
                + "WITH kv AS (\n"
                + "  SELECT " + folder("filename") + " AS run_dir,\n"
                + "    CAST(floor(TRY_CAST(ts_unix AS DOUBLE)) AS BIGINT) AS t,\n"
                + "    TRY_CAST(value AS DOUBLE) AS value\n"
                + "  FROM read_csv(" + kvGlob + ", filename = true, header = true,\n"
                + "    auto_detect = false, delim = ',', quote = '', escape = '',\n"
                + "    ignore_errors = true,\n"
                + "    columns = {'ts_iso': 'VARCHAR', 'ts_unix': 'VARCHAR', 'port': 'VARCHAR',\n"
                + "      'metric': 'VARCHAR', 'value': 'VARCHAR'})\n"
                + "  WHERE contains(metric, 'kv_cache_usage_perc')\n"
                + "    OR contains(metric, 'gpu_cache_usage_perc'))\n"
                // DuckDB orders NaN above every number: it must be excluded explicitly.
                + "SELECT run_dir, count(*) AS samples_above,\n"
                + "  CASE WHEN count(*) >= 2 THEN min(t) END AS start_s,\n"
                + "  CASE WHEN count(*) >= 2 THEN max(t) END AS end_s\n"
                + "FROM kv WHERE t IS NOT NULL AND NOT isnan(value)\n"
                + "  AND value * 100 > " + THRESHOLD_PCT + "\n"
                + "GROUP BY run_dir")),
        new DuckDbWorkloadSql.Step("driver marks", List.of(
            "CREATE OR REPLACE TEMP TABLE marks AS\n"
                + "WITH lines AS (\n"
                + "  SELECT " + folder("filename") + " AS run_dir,\n"
                + "    unnest(string_split(replace(content, chr(0), ''), chr(10))) AS line\n"
                + "  FROM read_text(" + driverGlob + ")),\n"
                + "stamped AS (\n"
                + "  SELECT run_dir, 'task' AS measure, regexp_extract(line, '" + TIMESTAMP
                + "') AS ts\n"
                + "  FROM lines WHERE contains(line, 'FINISHED SIMULATION')\n"
                + "  UNION ALL\n"
                + "  SELECT run_dir, 'step', regexp_extract(line, '" + PROFILE_TAG + "("
                + TIMESTAMP + ")', 1)\n"
                + "  FROM lines WHERE contains(line, 'type=step_complete'))\n"
                + "SELECT run_dir, measure,\n"
                + "  CAST(epoch(try_strptime(ts, '%Y-%m-%d %H:%M:%S')) AS BIGINT) AS t\n"
                + "FROM stamped WHERE ts <> ''")),
        new DuckDbWorkloadSql.Step("active_window", List.of(
            "COPY (\n"
                + "WITH counts AS (\n"
                + "  SELECT w.run_dir,\n"
                + "    count(*) FILTER (WHERE m.measure = 'task') AS tasks,\n"
                + "    count(*) FILTER (WHERE m.measure = 'step') AS steps\n"
                + "  FROM windows w JOIN marks m\n"
                + "    ON m.run_dir = w.run_dir AND m.t BETWEEN w.start_s AND w.end_s\n"
                + "  GROUP BY w.run_dir),\n"
                + "rows AS (\n"
                + "  SELECT r.run_id, r.run_dir, r.has_driver_log, w.start_s, w.end_s,\n"
                + "    w.end_s - w.start_s AS window_s, w.samples_above,\n"
                + "    CASE WHEN r.has_driver_log AND w.start_s IS NOT NULL\n"
                + "      THEN coalesce(c.tasks, 0) END AS tasks,\n"
                + "    CASE WHEN r.has_driver_log AND w.start_s IS NOT NULL\n"
                + "      THEN coalesce(c.steps, 0) END AS steps\n"
                + "  FROM runs r LEFT JOIN windows w USING (run_dir)\n"
                + "    LEFT JOIN counts c USING (run_dir))\n"
                + "SELECT run_id, " + THRESHOLD_PCT + " AS threshold_pct,\n"
                + "  start_s AS window_start, end_s AS window_end, window_s,\n"
                + "  tasks AS tasks_in_window, steps AS steps_in_window,\n"
                + "  CASE WHEN window_s > 0 THEN tasks / (CAST(window_s AS DOUBLE) / 60) END"
                + " AS tasks_per_min,\n"
                + "  CASE WHEN window_s > 0 THEN CAST(steps AS DOUBLE) / window_s END"
                + " AS steps_per_s,\n"
                + "  coalesce(samples_above, 0) AS samples_above, has_driver_log, run_dir\n"
                + "FROM rows ORDER BY run_id\n"
                + ") TO " + DuckDbWorkloadSql.quote(out + "/agentic/active_window.csv")
                + " (HEADER, DELIMITER ',')")));
  }

  /** The folder of a file path column: the path without its last component. */
  private static String folder(String column) {
    return "regexp_replace(" + column + ", '/[^/]*$', '')";
  }
}
