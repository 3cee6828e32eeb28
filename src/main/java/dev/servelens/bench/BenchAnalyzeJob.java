package dev.servelens.bench;

import static org.apache.spark.sql.functions.col;

import dev.servelens.catalog.Catalog;
import dev.servelens.figures.Figures;
import dev.servelens.io.OutputSet;
import dev.servelens.io.SessionSettings;
import dev.servelens.io.TableOutput;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code analyze bench}: from the catalog's bench tables, the run selection (filters, effective
 * tags), results with TPS/GPU and TPS/User, the Pareto front, incomplete, profiling and
 * not-loaded runs, latency vs concurrency, node metrics, rate match, and on request the
 * configuration / environment diff of two runs, the tagged regression and the best concurrency
 * under a TTFT target. Tables go to {@code <out>/bench/}, figure data to {@code
 * <out>/bench/figures/}. Only bounded results (Markdown heads) reach the driver.
 */
public final class BenchAnalyzeJob {
  private static final Logger LOG = LoggerFactory.getLogger(BenchAnalyzeJob.class);
  private static final String INGEST = "servelens ingest bench";

  private BenchAnalyzeJob() {}

  /** @return the number of (run, concurrency) results analysed */
  public static long run(SparkSession spark, BenchAnalyzeOptions options) {
    // The outputs are written aside and replace the previous set as one (OutputSet).
    // Every shuffle reduces to rows per run, node or (run, concurrency), or orders such rows:
    // as many tasks as cores.
    return SessionSettings.with(spark, SessionSettings.ANALYSIS,
        () -> SessionSettings.withShufflePartitions(spark,
            spark.sparkContext().defaultParallelism(),
            () -> OutputSet.replace(spark, options.out, BenchColumns.FAMILY,
                out -> options.out = out, () -> analyze(spark, options))));
  }

  private static long analyze(SparkSession spark, BenchAnalyzeOptions options) {
    Catalog catalog = new Catalog(spark, options.catalog);
    Dataset<Row> overlay = catalog.table(BenchColumns.TAGS_TABLE).map(RunTags::latest)
        .orElse(null);
    // Merged schemas: batches ingested before benchmark tools' points lack their columns.
    Dataset<Row> allRuns = BenchResults.selectRuns(
        catalog.requireMergedTable(BenchColumns.RUNS_TABLE, INGEST), overlay, options)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> runs = BenchResults.benchmarkRuns(allRuns);
    String y = BenchComparisons.paretoY(options.paretoMetric);
    Dataset<Row> results = BenchComparisons.markFront(BenchResults.results(runs,
            BenchResults.withPointColumns(catalog.requireMergedTable(
                BenchColumns.RESULTS_TABLE, INGEST))), y,
            options.tpsUserCutoff)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      spark.sparkContext().setJobGroup("analyze-bench", "bench tables", false);
      write(BenchResults.summary(allRuns, results), options, "summary");
      Dataset<Row> written = results.drop(BenchResults.RESULT_SOURCE, BenchResults.RESULT_LINE)
          .drop(BenchResults.LATENCY_SPREAD_COLUMNS.toArray(new String[0]));
      write(written.drop("on_front").orderBy(BenchColumns.JOB_ID, BenchColumns.RUN_DIR,
          BenchColumns.CONCURRENCY, BenchResults.REQUEST_RATE), options, "results");
      write(written.where("on_front").drop("on_front").orderBy("tps_per_user"), options,
          "pareto");
      write(BenchResults.incompleteRuns(runs, results), options, "incomplete_runs");
      write(BenchResults.profilingRuns(allRuns), options, "profiling_runs");
      write(BenchConfigs.notLoaded(catalog.requireTable(Catalog.MANIFEST_TABLE, INGEST),
          catalog.requireTable(BenchColumns.RUNS_TABLE, INGEST),
          catalog.table(BenchColumns.REJECTS_TABLE).orElse(null)), options, "not_loaded_runs");
      Dataset<Row> latency = BenchResults.latencyVsConcurrency(results);
      write(latency, options, "latency_vs_concurrency");
      write(BenchResults.latencySummary(results), options, "latency_summary");
      figure(BenchComparisons.paretoFigure(results, y), options,
          y.equals("total_tps_per_gpu") ? "pareto_total" : "pareto");
      figure(latency.where(col(BenchColumns.CONCURRENCY).isNotNull())
          .withColumnRenamed(BenchColumns.JOB_ID, "series"), options, "latency_vs_concurrency");
      Dataset<Row> byRate = BenchResults.latencyVsRequestRate(latency);
      if (!byRate.isEmpty()) {
        figure(byRate, options, "latency_vs_request_rate");
      }
      write(BenchConfigs.snapshot(catalog.requireTable(BenchColumns.CONFIGS_TABLE, INGEST),
          runs), options, "config_snapshot");
      nodeTables(catalog, runs, options);
      optionalTables(catalog, results, options);
      // The cutoff that keeps points off the front is drawn on the Pareto figure.
      Configuration figures = new Configuration(spark.sparkContext().hadoopConfiguration());
      if (options.tpsUserCutoff != null) {
        figures.set(Figures.PARETO_CUTOFF_KEY, options.tpsUserCutoff.toString());
      }
      Figures.renderFamily(figures, options.out + "/" + BenchColumns.FAMILY);
      long count = results.count();
      LOG.info("analyze bench: {} result rows; tables in {}/bench/", count, options.out);
      return count;
    } finally {
      results.unpersist();
      allRuns.unpersist();
      spark.sparkContext().clearJobGroup();
    }
  }

  private static void nodeTables(Catalog catalog, Dataset<Row> runs,
      BenchAnalyzeOptions options) {
    Optional<Dataset<Row>> batches = catalog.table(BenchColumns.BATCHES_TABLE);
    if (batches.isEmpty()) {
      LOG.info("No worker batch lines in the catalog: node metrics and rate match skipped");
      return;
    }
    Dataset<Row> bucketed = BenchNodes.bucketed(batches.get(), runs, options.maxBuckets)
        .persist(StorageLevel.MEMORY_AND_DISK());
    // The per-bucket averages feed the table and three figures, the per-bucket rate match a
    // table and a figure: kept for them (bounded by runs x workers x buckets).
    Dataset<Row> metrics = BenchNodes.nodeMetrics(bucketed)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> rateOverTime = BenchNodes.rateMatchOverTime(bucketed, runs)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      write(metrics, options, "node_metrics");
      figure(BenchNodes.throughputFigure(metrics), options, "node_throughput");
      figure(BenchNodes.overTimeFigure(metrics, BenchNodes.REQUEST_METRICS), options,
          "node_requests_over_time");
      figure(BenchNodes.overTimeFigure(metrics, BenchNodes.USAGE_METRICS), options,
          "node_usage_over_time");
      figure(BenchNodes.genThroughputByRunning(bucketed), options, "gen_throughput_by_running");
      write(rateOverTime, options, "rate_match_over_time");
      figure(BenchNodes.rateMatchFigure(rateOverTime), options, "rate_match_over_time");
    } finally {
      rateOverTime.unpersist();
      metrics.unpersist();
      bucketed.unpersist();
    }
    write(BenchNodes.rateMatch(batches.get(), runs), options, "rate_match");
  }

  private static void optionalTables(Catalog catalog, Dataset<Row> results,
      BenchAnalyzeOptions options) {
    if (options.diff.size() == 2) {
      Dataset<Row> configs = catalog.requireTable(BenchColumns.CONFIGS_TABLE, INGEST);
      String a = options.diff.get(0);
      String b = options.diff.get(1);
      write(BenchConfigs.diff(configs, a, b, false), options, "config_diff");
      write(BenchConfigs.diff(configs, a, b, true), options, "env_diff");
    }
    if (options.baselineTag != null && options.currentTag != null) {
      write(BenchComparisons.regression(results, options.baselineTag, options.currentTag),
          options, "regression");
    }
    if (options.ttftTargetMs != null) {
      write(BenchComparisons.bestConcurrency(results, options.ttftTargetMs, options.ttftStat),
          options, "best_concurrency");
    }
  }

  private static void write(Dataset<Row> table, BenchAnalyzeOptions options, String name) {
    table.sparkSession().sparkContext().setJobDescription("bench/" + name);
    TableOutput.write(table, options.out, BenchColumns.FAMILY, name);
  }

  private static void figure(Dataset<Row> data, BenchAnalyzeOptions options, String name) {
    TableOutput.writeCsvFile(data, options.out + "/" + BenchColumns.FAMILY + "/figures/" + name
        + ".csv");
  }
}
