package dev.servelens.runs;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.row_number;

import dev.servelens.catalog.Catalog;
import dev.servelens.figures.Figures;
import dev.servelens.io.TableOutput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every agentic-run analysis of SPEC 2.A over the catalog, for all runs at once (each
 * analysis is one set of Spark aggregations grouped by run, never a job per run), and writes
 * the tables and figure data of the output contract under {@code <out>/agentic/}.
 */
public final class RunsAnalyzeJob {
  private static final Logger LOG = LoggerFactory.getLogger(RunsAnalyzeJob.class);
  private static final String INGEST = "servelens ingest runs";

  private final SparkSession spark;
  private final RunsAnalyzeOptions options;
  private final List<Dataset<Row>> persisted = new ArrayList<>();

  private RunsAnalyzeJob(SparkSession spark, RunsAnalyzeOptions options) {
    this.spark = spark;
    this.options = options;
  }

  /** Runs the analyses; returns the number of runs analysed. */
  public static long run(SparkSession spark, RunsAnalyzeOptions options) {
    return new RunsAnalyzeJob(spark, options).analyze();
  }

  private long analyze() {
    Catalog catalog = new Catalog(spark, options.catalog);
    try {
      stage("read");
      Dataset<Row> runs = keep(current(catalog.requireTable(RunsColumns.RUNS_TABLE, INGEST)));
      // Event and sample rows grow with the runs: they are read from Parquet where needed
      // (only the columns each analysis uses), never cached; what is kept is per run.
      Dataset<Row> events = catalog.requireTable(RunsColumns.EVENTS_TABLE, INGEST);
      Dataset<Row> usage = catalog.requireTable(RunsColumns.KV_TABLE, INGEST)
          .where(col(RunsColumns.IS_USAGE));
      Dataset<Row> metrics = catalog.requireTable(RunsColumns.METRICS_TABLE, INGEST);
      long runCount = runs.count();
      LOG.info("Analysing {} run(s)", runCount);

      stage("active windows");
      TreeSet<Double> thresholds = new TreeSet<>(options.thresholds);
      thresholds.add(options.threshold);
      Dataset<Row> windows = keep(ActiveWindows.windows(runs, usage,
          ActiveWindows.thresholds(spark, new ArrayList<>(thresholds))));
      Dataset<Row> marks = ActiveWindows.marks(events);
      Dataset<Row> counts = keep(ActiveWindows.counts(windows, marks));
      Dataset<Row> throughput = keep(ActiveWindows.throughput(runs, counts));
      Dataset<Row> main = keep(throughput.where(col(ActiveWindows.THRESHOLD)
          .equalTo(options.threshold)).orderBy(RunsColumns.RUN_ID));
      table(main, "active_window");
      table(throughput.orderBy(RunsColumns.RUN_ID, ActiveWindows.THRESHOLD),
          "threshold_sensitivity");
      table(ActiveWindows.breakdown(counts.where(col(ActiveWindows.THRESHOLD)
          .equalTo(options.threshold))).orderBy(RunsColumns.RUN_ID), "window_breakdown");
      figure(throughput.select(col(RunsColumns.RUN_ID).as("series"), col(RunsColumns.SYSTEM),
              col(RunsColumns.CONCURRENCY), col(ActiveWindows.THRESHOLD), col("tasks_per_min"),
              col("steps_per_s")).orderBy("series", ActiveWindows.THRESHOLD),
          "tasks_per_min_vs_threshold");

      Dataset<Row> mainWindows = windows.where(col(ActiveWindows.THRESHOLD)
          .equalTo(options.threshold));
      comparisons(runs, main, mainWindows, marks);

      stage("bottleneck");
      Dataset<Row> inWindow = Bottleneck.inWindow(events, mainWindows);
      table(Bottleneck.edges(inWindow).orderBy(RunsColumns.RUN_ID, RunsColumns.EDGE),
          "bottleneck_edges");
      table(Bottleneck.latency(inWindow, options.tailSeconds)
          .orderBy(RunsColumns.RUN_ID, RunsColumns.KIND), "bottleneck_latency");
      table(Bottleneck.slowest(inWindow, options.topN)
          .orderBy(RunsColumns.RUN_ID, RunsColumns.KIND, "rank"), "top_slow_calls");

      stage("health");
      Dataset<Row> unfinished = keep(StuckReport.unfinished(events));
      table(StuckReport.report(events, usage, unfinished), "stuck_report");
      table(RunHealth.health(runs, events, usage, metrics, unfinished,
              catalog.requireTable(RunsColumns.FILES_TABLE, INGEST), options.expectedTrials),
          "run_health");
      table(RunHealth.errors(events), "run_errors");
      if (options.cutoffEpochSeconds != null) {
        table(KvChecks.afterCutoff(usage, options.cutoffEpochSeconds, options.threshold),
            "kv_after_cutoff");
      }
      figure(KvChecks.usageFigure(usage, KvChecks.pointsPerRun(runCount)), "kv_usage");
      Figures.renderFamily(spark.sparkContext().hadoopConfiguration(),
          options.out + "/" + RunsColumns.OUTPUT_FOLDER);
      return runCount;
    } finally {
      persisted.forEach(Dataset::unpersist);
      spark.sparkContext().clearJobGroup();
    }
  }

  /** The newest row of each run (a run re-listed by a later ingest has a newer row). */
  static Dataset<Row> current(Dataset<Row> runs) {
    return runs.withColumn("_newest", row_number().over(Window.partitionBy(RunsColumns.RUN_ID)
            .orderBy(col(RunsColumns.INGESTED_AT).desc(), col("batch_id").desc())))
        .where(col("_newest").equalTo(1)).drop("_newest");
  }

  private void comparisons(Dataset<Row> runs, Dataset<Row> main, Dataset<Row> mainWindows,
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
    List<Row> summary = main.where(col(RunsColumns.CONCURRENCY).isNotNull())
        .groupBy(RunsColumns.SYSTEM, RunsColumns.CONCURRENCY)
        .agg(avg("tasks_per_min"), avg("steps_per_s"), count("tasks_per_min"),
            count("steps_per_s"))
        .collectAsList();
    String[][] measures = {{ActiveWindows.TASKS, "tasks/min", "compare_tasks_per_min"},
        {ActiveWindows.STEPS, "steps/s", "compare_steps_per_s"}};
    for (int m = 0; m < measures.length; m++) {
      List<ComparisonTable.Group> groups = new ArrayList<>();
      for (Row row : summary) {
        groups.add(new ComparisonTable.Group(row.getString(0), row.getInt(1),
            row.isNullAt(2 + m) ? null : row.getDouble(2 + m), (int) row.getLong(4 + m),
            replicates.get(key(row.getString(0), row.getInt(1), measures[m][0]))));
      }
      ComparisonTable table = new ComparisonTable(measures[m][1], groups);
      String base = options.out + "/" + RunsColumns.OUTPUT_FOLDER + "/" + measures[m][2];
      TableOutput.writeCsvFile(spark.createDataFrame(table.rows(), table.schema()),
          base + ".csv");
      TableOutput.writeText(spark.sparkContext().hadoopConfiguration(), base + ".md",
          table.markdown(options.threshold, options.bootstrap));
    }
  }

  private static String key(String system, int concurrency, String measure) {
    return system + "\t" + concurrency + "\t" + measure;
  }

  private Dataset<Row> keep(Dataset<Row> dataset) {
    Dataset<Row> kept = dataset.persist(StorageLevel.MEMORY_AND_DISK());
    persisted.add(kept);
    return kept;
  }

  private void stage(String name) {
    LOG.info("Agentic analysis: {}", name);
    spark.sparkContext().setJobGroup("analyze-runs-" + name.replace(' ', '-'), "runs: " + name,
        false);
  }

  private void table(Dataset<Row> table, String name) {
    TableOutput.write(table, options.out, RunsColumns.OUTPUT_FOLDER, name);
  }

  private void figure(Dataset<Row> figure, String name) {
    TableOutput.writeCsvFile(figure, options.out + "/" + RunsColumns.OUTPUT_FOLDER
        + "/figures/" + name + ".csv");
  }
}
