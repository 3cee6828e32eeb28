package dev.servelens.runs;

import dev.servelens.catalog.Catalog;
import dev.servelens.catalog.CommitRetry;
import dev.servelens.catalog.NewFiles;
import dev.servelens.catalog.StagedBatch;
import dev.servelens.io.IngestSummary;
import dev.servelens.io.ParseCounts;
import dev.servelens.io.SourceFile;
import dev.servelens.io.SourceFiles;
import dev.servelens.io.UnrecognisedInput;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests agentic benchmark run directories (found at any depth under the inputs) into the
 * catalog: events of every log into {@code runs_events}, KV samples into {@code
 * runs_kv_samples}, trial results, global metrics and Continuum scheduler events into their
 * tables, one row per run into {@code runs} and per file into {@code runs_files}, bad lines into
 * {@code runs_rejects}. Each input kind is one Spark read over all runs. Incremental: files the
 * manifest holds are skipped, so a new run directory adds only itself.
 *
 * <p>Rows of a log file are its event lines (kept as events, or rejected when they do not
 * parse); its other lines are, like a CSV header, not rows: {@code runs_files.lines_other}
 * counts them. So for every file rows_read = rows_kept + rows_rejected.
 */
public final class RunsIngestJob {
  private static final Logger LOG = LoggerFactory.getLogger(RunsIngestJob.class);

  private RunsIngestJob() {}

  /**
   * Runs the ingest; when another ingest commits some of the same files meanwhile, plans again
   * (see {@link CommitRetry}).
   */
  public static IngestSummary run(SparkSession spark, RunsIngestOptions options) {
    return CommitRetry.run("ingest runs", () -> attempt(spark, options));
  }

  private static IngestSummary attempt(SparkSession spark, RunsIngestOptions options) {
    ZoneId zone = driverZone(options.driverZone);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Catalog catalog = new Catalog(spark, options.catalog);
    catalog.recover();
    RunLabels labels = RunLabels.read(conf, options.labels);
    SourceFiles.Listing listing = SourceFiles.listing(conf, options.inputs);
    List<RunDirectory> runs = RunDirectories.find(listing.files(), labels, knownIds(catalog));
    if (runs.isEmpty()) {
      throw UnrecognisedInput.error("ingest runs", options.inputs, listing,
          UnrecognisedInput.firstLines(conf, listing.files(),
              "not in a run directory (no driver.log or kv_cache_timeseries.csv beside it)"),
          "agentic run directories: folders holding driver.log or kv_cache_timeseries.csv, at"
              + " any depth", "Agentic runs (`ingest runs`, `analyze runs`)");
    }
    List<SourceFile> found = new ArrayList<>();
    Map<String, RunDirectory> runByFile = new HashMap<>();
    for (RunDirectory run : runs) {
      run.files().values().forEach(files -> files.forEach(file -> {
        found.add(file);
        runByFile.put(file.path(), run);
      }));
      if (!run.has(RunFileKind.DRIVER_LOG)) {
        LOG.warn("Run {} has no driver.log", run.runPath());
      }
    }
    NewFiles selection = NewFiles.select(catalog, RunsColumns.FAMILY, found, options.strict);
    if (selection.fresh().isEmpty()) {
      return selection.nothingNew(found.size());
    }
    Map<RunFileKind, List<SourceFile>> fresh = new EnumMap<>(RunFileKind.class);
    for (RunFileKind kind : RunFileKind.values()) {
      fresh.put(kind, new ArrayList<>());
    }
    Map<String, RunDirectory> touched = new LinkedHashMap<>();
    for (SourceFile file : selection.fresh()) {
      RunDirectory run = runByFile.get(file.path());
      touched.put(run.runPath(), run);
      fresh.get(RunFileKind.of(file.path().substring(run.runPath().length() + 1))).add(file);
    }
    spark.sparkContext().setJobGroup("ingest-runs", "parse " + selection.fresh().size()
        + " file(s) of " + touched.size() + " run(s)", false);
    StagedBatch batch = catalog.stage(RunsColumns.FAMILY);
    try {
      RunInputs inputs = new RunInputs(spark, batch, fresh,
          new LogLineToEvent(new LogTimestamps(zone)));
      RunsTables tables = new RunsTables(spark, inputs, new ArrayList<>(touched.values()));
      tables.writeLines(batch);
      ParseCounts counts = inputs.counts();
      counts.failIfStrict(options.strict, "row", () -> tables.rejects(counts)
          .orderBy(RunsColumns.SOURCE_PATH, RunsColumns.LINE_NUMBER).first());
      long now = System.currentTimeMillis();
      tables.write(batch, now, counts, runByFile, selection.fresh(),
          !catalog.hasTable(RunsColumns.REJECTS_TABLE));
      batch.commit(RunsColumns.FAMILY, selection.fresh(), counts, now);
      IngestSummary summary = selection.summary(found.size(), counts).withBlankLines(counts);
      LOG.info("runs ingest into {}: {} run(s) touched; {}", catalog.root(), touched.size(),
          summary);
      return summary;
    } catch (RuntimeException e) {
      batch.abort();
      throw e;
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  /** Run ids the catalog already gave, by run path (one row per run: bounded). */
  private static Map<String, String> knownIds(Catalog catalog) {
    Map<String, String> ids = new HashMap<>();
    catalog.table(RunsColumns.RUNS_TABLE).ifPresent(runs -> {
      for (Row row : runs.select(RunsColumns.RUN_PATH, RunsColumns.RUN_ID).distinct()
          .collectAsList()) {
        ids.put(row.getString(0), row.getString(1));
      }
    });
    return ids;
  }

  static ZoneId driverZone(String zone) {
    try {
      return ZoneId.of(zone);
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException("--driver-zone: not a time zone '" + zone
          + "' (use e.g. UTC, +08:00 or Asia/Shanghai)");
    }
  }
}
