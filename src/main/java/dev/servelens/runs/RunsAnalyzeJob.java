package dev.servelens.runs;

import static org.apache.spark.sql.functions.col;

import dev.servelens.catalog.Catalog;
import dev.servelens.figures.Figures;
import dev.servelens.io.OutputSet;
import dev.servelens.io.SessionSettings;
import dev.servelens.io.TableOutput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every agentic-run analysis of SPEC 2.A over the catalog, for all runs at once, and writes
 * the tables and figure data of the output contract under {@code <out>/agentic/}. The events
 * and KV samples (which grow with the runs) are only ever aggregated by run in Spark, a few
 * aggregations in all, never a job per run or per table; the per-run results (a handful of
 * values per run and threshold) come to the driver, where the small tables are built and
 * joined, so most tables cost no pass over the data of their own.
 */
public final class RunsAnalyzeJob {
  private static final Logger LOG = LoggerFactory.getLogger(RunsAnalyzeJob.class);
  private static final String INGEST = "servelens ingest runs";

  private final SparkSession spark;
  private final RunsAnalyzeOptions options;

  /** Runs per shuffle partition, up to the configured number of partitions. */
  private static final long RUNS_PER_PARTITION = 10;

  private RunsAnalyzeJob(SparkSession spark, RunsAnalyzeOptions options) {
    this.spark = spark;
    this.options = options;
  }

  /** Runs the analyses; returns the number of runs analysed. */
  public static long run(SparkSession spark, RunsAnalyzeOptions options) {
    // The outputs are written aside and replace the previous set as one (OutputSet).
    return SessionSettings.with(spark, SessionSettings.ANALYSIS,
        () -> OutputSet.replace(spark, options.out, RunsColumns.OUTPUT_FOLDER,
            out -> options.out = out, () -> new RunsAnalyzeJob(spark, options).analyze()));
  }

  private long analyze() {
    Catalog catalog = new Catalog(spark, options.catalog);
    try {
      stage("read");
      // One row per run and ingest: small by construction, the current row of each run is
      // picked on the driver.
      Dataset<Row> runsTable = read(catalog, RunsColumns.RUNS_TABLE, RunsColumns.RUNS_SCHEMA);
      List<Row> runRows = current(runsTable.collectAsList());
      // The shuffles reduce to rows per run: few runs need no more tasks than cores.
      int partitions = (int) Math.min(
          Integer.parseInt(spark.conf().get(SessionSettings.SHUFFLE_PARTITIONS, "200")),
          Math.max(spark.sparkContext().defaultParallelism(),
              runRows.size() / RUNS_PER_PARTITION));
      LOG.info("Analysing {} run(s) ({} partitions per shuffle)", runRows.size(), partitions);
      return SessionSettings.withShufflePartitions(spark, partitions,
          () -> analyze(catalog, runsTable, runRows));
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  /** The analyses of the runs whose current rows of {@code runsTable} are {@code runRows}. */
  private long analyze(Catalog catalog, Dataset<Row> runsTable, List<Row> runRows) {
    Dataset<Row> runs = RunSummaries.local(spark, runRows, runsTable.schema());
    Map<String, Row> runById = new LinkedHashMap<>();
    List<String> runIds = new ArrayList<>();
    for (Row run : runRows) {
      runById.put(run.getAs(RunsColumns.RUN_ID), run);
      runIds.add(run.getAs(RunsColumns.RUN_ID));
    }
    // Event and sample rows grow with the runs: they are read from Parquet where needed
    // (only the columns each analysis uses), never cached; what is kept is per run, on the
    // driver.
    Dataset<Row> events = read(catalog, RunsColumns.EVENTS_TABLE, EVENT_COLUMNS);
    Dataset<Row> usage = read(catalog, RunsColumns.KV_TABLE, KV_COLUMNS)
        .where(col(RunsColumns.IS_USAGE));
    long runCount = runRows.size();
    // One row per metrics_global.json: a few per run at most.
    Map<String, List<Long>> totals = new HashMap<>();
    Map<String, List<Double>> wholeRunRates = new HashMap<>();
    for (Row row : read(catalog, RunsColumns.METRICS_TABLE, new StructType()
        .add(RunsColumns.RUN_ID, DataTypes.StringType).add("total", DataTypes.LongType)
        .add("tasks_per_min", DataTypes.DoubleType)).collectAsList()) {
      totals.computeIfAbsent(row.getString(0), id -> new ArrayList<>())
          .add(row.isNullAt(1) ? null : row.getLong(1));
      wholeRunRates.computeIfAbsent(row.getString(0), id -> new ArrayList<>())
          .add(row.isNullAt(2) ? null : row.getDouble(2));
    }
    Map<String, Double> wholeRun = agreed(wholeRunRates);

    stage("active windows");
    List<Double> thresholds = new ArrayList<>(new TreeSet<>(options.thresholds));
    if (!thresholds.contains(options.threshold)) {
      thresholds.add(options.threshold);
      thresholds.sort(Double::compare);
    }
    Map<String, Row> usageByRun = RunSummaries.usage(usage, thresholds);
    List<Row> windows = RunSummaries.windows(runIds, thresholds, usageByRun);
    Map<String, Row> eventsByRun = RunSummaries.events(spark, events, windows, thresholds);
    List<Row> counts = RunSummaries.counts(windows, thresholds, eventsByRun);
    List<Row> throughput = ActiveWindows.throughput(runById, counts, wholeRun);
    List<Row> main = atThreshold(throughput, 3);
    driverTable(main, ActiveWindows.THROUGHPUT_SCHEMA, "active_window");
    driverFigure(RunSummaries.local(spark, ActiveWindows.wholeRunFigure(main),
        ActiveWindows.WHOLE_RUN_FIGURE_SCHEMA), "tasks_per_min_window_vs_whole_run");
    driverTable(throughput, ActiveWindows.THROUGHPUT_SCHEMA, "threshold_sensitivity");
    driverTable(ActiveWindows.breakdown(atThreshold(counts, 1)),
        ActiveWindows.BREAKDOWN_SCHEMA, "window_breakdown");
    driverFigure(RunSummaries.local(spark, throughput, ActiveWindows.THROUGHPUT_SCHEMA)
            .select(col(RunsColumns.RUN_ID).as("series"), col(RunsColumns.SYSTEM),
                col(RunsColumns.CONCURRENCY), col(ActiveWindows.THRESHOLD),
                col("tasks_per_min"), col("steps_per_s")),
        "tasks_per_min_vs_threshold");

    List<Row> mainWindowRows = atThreshold(windows, 1);
    Dataset<Row> mainWindows = RunSummaries.local(spark, mainWindowRows,
        RunSummaries.WINDOWS_SCHEMA);
    comparisons(runs, main, mainWindows, ActiveWindows.marks(events));

    stage("bottleneck");
    List<Row> bottleneckWindows = new ArrayList<>();
    for (Row window : mainWindowRows) {
      Row summary = eventsByRun.get(window.getString(0));
      if (!window.isNullAt(2) && summary != null) {
        bottleneckWindows.add(RowFactory.create(window.getString(0), window.get(2),
            window.get(3), window.get(4), summary.getAs(RunSummaries.HAS_TAU2)));
      }
    }
    Dataset<Row> inWindow = Bottleneck.inWindow(events, RunSummaries.local(spark,
        bottleneckWindows, Bottleneck.WINDOWS_SCHEMA));
    List<Row> steps = Bottleneck.stepsAndLatency(inWindow, options.tailSeconds)
        .collectAsList();
    driverTable(Bottleneck.edges(steps), Bottleneck.EDGES_SCHEMA, "bottleneck_edges");
    driverTable(Bottleneck.latency(steps, options.tailSeconds.size()),
        Bottleneck.latencySchema(options.tailSeconds), "bottleneck_latency");
    collectedTable(Bottleneck.slowest(inWindow, options.topN), "top_slow_calls", 0, 1, 2);

    stage("health");
    Map<String, Row> unfinishedByRun = new HashMap<>();
    List<Row> stuckRuns = new ArrayList<>();
    List<Row> lastGood = new ArrayList<>();
    for (Row row : sorted(StuckReport.unfinished(events).collectAsList(), 0)) {
      unfinishedByRun.put(row.getString(0), row);
      if (row.getLong(2) > 0) {
        stuckRuns.add(row);
        Row summary = eventsByRun.get(row.getString(0));
        if (summary != null && summary.getAs(RunSummaries.LAST_GOOD_S) != null) {
          lastGood.add(RowFactory.create(row.getString(0),
              summary.getAs(RunSummaries.LAST_GOOD_S)));
        }
      }
    }
    Map<String, Row> around = new HashMap<>();
    if (!lastGood.isEmpty()) {
      for (Row row : StuckReport.usageAround(usage, RunSummaries.local(spark, lastGood,
          new StructType().add(RunsColumns.RUN_ID, DataTypes.StringType)
              .add("last_good_s", DataTypes.LongType))).collectAsList()) {
        around.put(row.getString(0), row);
      }
    }
    driverTable(StuckReport.report(stuckRuns, eventsByRun, around), StuckReport.REPORT_SCHEMA,
        "stuck_report");
    // The stuck report as the worklog counts it, for every run: expected minus completed
    // tasks, and KV usage after the last completed one (one aggregation over the samples).
    List<Row> lastTasks = new ArrayList<>();
    for (String runId : runIds) {
      Row summary = eventsByRun.get(runId);
      if (summary != null && summary.getAs(RunSummaries.LAST_TASK_S) != null) {
        lastTasks.add(RowFactory.create(runId, summary.getAs(RunSummaries.LAST_TASK_S)));
      }
    }
    Map<String, Row> after = new HashMap<>();
    if (!lastTasks.isEmpty()) {
      for (Row row : StuckReport.usageAfter(usage, RunSummaries.local(spark, lastTasks,
          StuckReport.LAST_TASKS_SCHEMA)).collectAsList()) {
        after.put(row.getString(0), row);
      }
    }
    List<Row> stuckTasks = StuckReport.tasks(runRows, eventsByRun, agreed(totals),
        options.expectedTrials, after);
    driverTable(stuckTasks, StuckReport.TASKS_SCHEMA, "stuck_tasks");
    driverFigure(RunSummaries.local(spark, StuckReport.missingFigure(stuckTasks),
        StuckReport.MISSING_FIGURE_SCHEMA), "missing_tasks");
    driverFigure(RunSummaries.local(spark, StuckReport.kvAfterFigure(stuckTasks),
        StuckReport.KV_AFTER_FIGURE_SCHEMA), "kv_after_last_task");
    Map<String, Row> rejected = new HashMap<>();
    for (Row row : RunHealth.rejected(read(catalog, RunsColumns.FILES_TABLE, new StructType()
        .add(RunsColumns.RUN_ID, DataTypes.StringType)
        .add("rows_rejected", DataTypes.LongType))).collectAsList()) {
      rejected.put(row.getString(0), row);
    }
    driverTable(RunHealth.health(runRows, totals, eventsByRun, usageByRun, unfinishedByRun,
        rejected, options.expectedTrials), RunHealth.SCHEMA, "run_health");
    List<Row> errors = RunSummaries.errors(eventsByRun);
    if (errors != null) {
      driverTable(errors, RunSummaries.ERRORS_SCHEMA, "run_errors");
    } else {
      collectedTable(RunHealth.errors(events), "run_errors", 0, 1);
    }
    if (options.cutoffEpochSeconds != null) {
      table(KvChecks.afterCutoff(usage, options.cutoffEpochSeconds, options.threshold),
          "kv_after_cutoff");
    }
    figure(KvChecks.usageFigure(usage, KvChecks.pointsPerRun(runCount)), "kv_usage");
    Figures.renderFamily(spark.sparkContext().hadoopConfiguration(),
        options.out + "/" + RunsColumns.OUTPUT_FOLDER);
    return runCount;
  }

  /** The columns of {@code runs_events} the analyses read, as the ingest writes them. */
  static final StructType EVENT_COLUMNS = new StructType()
      .add(RunsColumns.RUN_ID, DataTypes.StringType)
      .add(RunsColumns.SOURCE, DataTypes.StringType)
      .add(RunsColumns.LINE_NUMBER, DataTypes.LongType)
      .add(RunsColumns.TS_S, DataTypes.LongType)
      .add(RunsColumns.TAG_TS_S, DataTypes.LongType)
      .add(RunsColumns.KIND, DataTypes.StringType)
      .add(RunsColumns.TASK, DataTypes.StringType)
      .add(RunsColumns.STEP, DataTypes.IntegerType)
      .add(RunsColumns.EDGE, DataTypes.StringType)
      .add(RunsColumns.DURATION_S, DataTypes.DoubleType)
      .add(RunsColumns.MODEL, DataTypes.StringType)
      .add(RunsColumns.CALL_TYPE, DataTypes.StringType)
      .add(RunsColumns.ERROR_KIND, DataTypes.StringType)
      .add(RunsColumns.FIELDS,
          DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));

  /** The columns of {@code runs_kv_samples} the analyses read. */
  static final StructType KV_COLUMNS = new StructType()
      .add(RunsColumns.RUN_ID, DataTypes.StringType)
      .add(RunsColumns.TS_UNIX, DataTypes.LongType)
      .add(RunsColumns.PORT, DataTypes.StringType)
      .add(RunsColumns.VALUE, DataTypes.DoubleType)
      .add(RunsColumns.IS_USAGE, DataTypes.BooleanType)
      .add(RunsColumns.LINE_NUMBER, DataTypes.LongType);

  /**
   * A catalog table with the columns of {@code schema} (all nullable): the schema is known, so
   * no Spark job reads it from the files' footers.
   */
  private static Dataset<Row> read(Catalog catalog, String table, StructType schema) {
    return catalog.requireTable(table, schema, INGEST);
  }

  /**
   * The newest row of each run (a run re-listed by a later ingest has a newer row), by run id.
   */
  static List<Row> current(List<Row> runs) {
    Map<String, Row> newest = new HashMap<>();
    for (Row run : runs) {
      newest.merge(run.getAs(RunsColumns.RUN_ID), run, (a, b) -> newer(b, a) ? b : a);
    }
    return sorted(new ArrayList<>(newest.values()), 0);
  }

  private static boolean newer(Row a, Row b) {
    int byTime = a.<java.sql.Timestamp>getAs(RunsColumns.INGESTED_AT)
        .compareTo(b.<java.sql.Timestamp>getAs(RunsColumns.INGESTED_AT));
    return byTime != 0 ? byTime > 0
        : a.<String>getAs("batch_id").compareTo(b.<String>getAs("batch_id")) > 0;
  }

  /**
   * The one value of each run: its values when they are all the same (a run's metrics file
   * ingested more than once), no entry when they differ or none is known.
   */
  static <T> Map<String, T> agreed(Map<String, List<T>> values) {
    Map<String, T> agreed = new HashMap<>();
    for (Map.Entry<String, List<T>> entry : values.entrySet()) {
      java.util.Set<T> distinct = new java.util.HashSet<>();
      for (T value : entry.getValue()) {
        if (value != null) {
          distinct.add(value);
        }
      }
      if (distinct.size() == 1) {
        agreed.put(entry.getKey(), distinct.iterator().next());
      }
    }
    return agreed;
  }

  /** The rows whose column {@code column} is the main threshold. */
  private List<Row> atThreshold(List<Row> rows, int column) {
    List<Row> kept = new ArrayList<>();
    for (Row row : rows) {
      if (row.getDouble(column) == options.threshold) {
        kept.add(row);
      }
    }
    return kept;
  }

  /**
   * {@code rows} sorted by the given columns, ascending, nulls first (as {@code orderBy}).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static List<Row> sorted(List<Row> rows, int... columns) {
    List<Row> copy = new ArrayList<>(rows);
    copy.sort((a, b) -> {
      for (int column : columns) {
        Comparable x = (Comparable) a.get(column);
        Comparable y = (Comparable) b.get(column);
        int order = x == null ? (y == null ? 0 : -1) : y == null ? 1 : x.compareTo(y);
        if (order != 0) {
          return order;
        }
      }
      return 0;
    });
    return copy;
  }

  private void comparisons(Dataset<Row> runs, List<Row> main, Dataset<Row> mainWindows,
      Dataset<Row> marks) {
    stage("comparison tables");
    Map<String, double[]> replicates = new HashMap<>();
    if (options.bootstrap > 0) {
      Dataset<Row> perRun = new BootstrapRates(options.bootstrap, options.seed)
          .replicate(BootstrapRates.bins(mainWindows, marks));
      for (Row row : BootstrapRates.byGroup(runs.where(col(RunsColumns.CONCURRENCY).isNotNull()),
          perRun).collectAsList()) {
        List<Row> values = row.getList(3);
        double[] rates = new double[values.size()];
        for (int j = 0; j < rates.length; j++) {
          rates[j] = values.get(j).getDouble(1);
        }
        replicates.put(key(row.getString(0), row.getInt(1), row.getString(2)), rates);
      }
    }
    // Mean rate per (system, concurrency) over the runs with one, on the driver: one row per
    // run at the main threshold.
    Map<String, double[]> sums = new TreeMap<>();
    Map<String, Object[]> groupKeys = new HashMap<>();
    for (Row row : main) {
      if (row.isNullAt(2)) {
        continue;
      }
      String group = key(row.getString(1), row.getInt(2), "");
      groupKeys.putIfAbsent(group, new Object[] {row.getString(1), row.getInt(2)});
      double[] sum = sums.computeIfAbsent(group, g -> new double[6]);
      for (int m = 0; m < 2; m++) {
        if (!row.isNullAt(9 + m)) {
          sum[m] += row.getDouble(9 + m);
          sum[2 + m]++;
        }
      }
      int wholeRun = ActiveWindows.THROUGHPUT_SCHEMA.fieldIndex(
          ActiveWindows.TASKS_PER_MIN_WHOLE_RUN);
      if (!row.isNullAt(wholeRun)) {
        sum[4] += row.getDouble(wholeRun);
        sum[5]++;
      }
    }
    String[][] measures = {{ActiveWindows.TASKS, "tasks/min", "compare_tasks_per_min"},
        {ActiveWindows.STEPS, "steps/s", "compare_steps_per_s"}};
    for (int m = 0; m < measures.length; m++) {
      List<ComparisonTable.Group> groups = new ArrayList<>();
      for (Map.Entry<String, double[]> entry : sums.entrySet()) {
        Object[] group = groupKeys.get(entry.getKey());
        double[] sum = entry.getValue();
        String system = (String) group[0];
        int concurrency = (Integer) group[1];
        groups.add(new ComparisonTable.Group(system, concurrency,
            sum[2 + m] == 0 ? null : sum[m] / sum[2 + m], (int) sum[2 + m],
            replicates.get(key(system, concurrency, measures[m][0]))));
      }
      ComparisonTable table = new ComparisonTable(measures[m][1], groups);
      String base = options.out + "/" + RunsColumns.OUTPUT_FOLDER + "/" + measures[m][2];
      TableOutput.writeCsvRows(spark.sparkContext().hadoopConfiguration(), table.schema(),
          table.rows(), base + ".csv");
      TableOutput.writeText(spark.sparkContext().hadoopConfiguration(), base + ".md",
          table.markdown(options.threshold, options.bootstrap));
    }
    // The whole-run rate of metrics_global.json, a table of its own so that the active-window
    // table keeps its columns: one number per run, no bins to resample, so no winner is tested.
    List<ComparisonTable.Group> wholeRunGroups = new ArrayList<>();
    for (Map.Entry<String, double[]> entry : sums.entrySet()) {
      Object[] group = groupKeys.get(entry.getKey());
      double[] sum = entry.getValue();
      wholeRunGroups.add(new ComparisonTable.Group((String) group[0], (Integer) group[1],
          sum[5] == 0 ? null : sum[4] / sum[5], (int) sum[5], null));
    }
    ComparisonTable wholeRunTable = new ComparisonTable("tasks/min", wholeRunGroups,
        "no metrics_global.json");
    String base = options.out + "/" + RunsColumns.OUTPUT_FOLDER + "/"
        + "compare_tasks_per_min_whole_run";
    TableOutput.writeCsvRows(spark.sparkContext().hadoopConfiguration(),
        wholeRunTable.leaderSchema(), wholeRunTable.leaderRows(), base + ".csv");
    TableOutput.writeText(spark.sparkContext().hadoopConfiguration(), base + ".md",
        wholeRunTable.leaderMarkdown("Whole run: the tasks_per_min of each run's"
            + " metrics_global.json (its tasks over its whole elapsed time, long tail and waits"
            + " included), the mean over a system's runs. One number per run: no interval, so"
            + " the leader is the higher mean, not a tested winner; compare_tasks_per_min has"
            + " the active-window rate."));
  }

  private static String key(String system, int concurrency, String measure) {
    return system + "\t" + concurrency + "\t" + measure;
  }

  private void stage(String name) {
    LOG.info("Agentic analysis: {}", name);
    spark.sparkContext().setJobGroup("analyze-runs-" + name.replace(' ', '-'), "runs: " + name,
        false);
  }

  private void table(Dataset<Row> table, String name) {
    TableOutput.write(table, options.out, RunsColumns.OUTPUT_FOLDER, name);
  }

  /** Writes a table built on the driver. */
  private void driverTable(List<Row> rows, StructType schema, String name) {
    TableOutput.writeRows(spark.sparkContext().hadoopConfiguration(), schema, rows,
        options.out, RunsColumns.OUTPUT_FOLDER, name);
  }

  /**
   * Writes a small table (a few rows per run) computed in one Spark action: its rows are
   * collected, sorted on the driver by the given columns and written from there.
   */
  private void collectedTable(Dataset<Row> table, String name, int... orderBy) {
    driverTable(sorted(table.collectAsList(), orderBy), table.schema(), name);
  }

  /** Writes figure data built on the driver (no sort: the rows are in order). */
  private void driverFigure(Dataset<Row> figure, String name) {
    figure(figure, name);
  }

  private void figure(Dataset<Row> figure, String name) {
    TableOutput.writeCsvFile(figure, options.out + "/" + RunsColumns.OUTPUT_FOLDER
        + "/figures/" + name + ".csv");
  }
}
