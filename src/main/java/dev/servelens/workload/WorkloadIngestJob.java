package dev.servelens.workload;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.to_date;

import dev.servelens.catalog.Catalog;
import dev.servelens.catalog.CommitRetry;
import dev.servelens.catalog.NewFiles;
import dev.servelens.catalog.StagedBatch;
import dev.servelens.io.IngestSummary;
import dev.servelens.io.LineNumbers;
import dev.servelens.io.ParseCounts;
import dev.servelens.io.RejectsTable;
import dev.servelens.io.SourceFile;
import dev.servelens.io.SourceFiles;
import dev.servelens.io.SplitLines;
import dev.servelens.io.StrictModeException;
import dev.servelens.io.TalliedSplits;
import dev.servelens.io.TimestampParser;
import dev.servelens.io.UnrecognisedInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests workload request traces into the catalog: lists the inputs, skips files the manifest
 * already holds, parses the new ones and writes their kept rows in one Spark job, and commits
 * the kept rows (partitioned by date, sorted by model and time within each file), the rejects
 * and the manifest rows as one batch.
 */
public final class WorkloadIngestJob {
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadIngestJob.class);
  /** Input bytes per write task when the input has many more splits than there are cores. */
  private static final long BYTES_PER_WRITE_TASK = 256L << 20;
  /** What the ingest reads, and where the README says so, for the error of no input read. */
  private static final String FORMATS = "request traces: CSV with a header naming a start time"
      + " (canonical names and aliases, the Azure LLM 2023/2024 and BurstGPT profiles), gzip'd"
      + " or not, and Mooncake JSON Lines";
  private static final String README_SECTION = "Input formats";

  private WorkloadIngestJob() {}

  /**
   * Runs the ingest; when another ingest commits some of the same files meanwhile, plans again
   * (see {@link CommitRetry}).
   */
  public static IngestSummary run(SparkSession spark, WorkloadIngestOptions options) {
    return CommitRetry.run("ingest workload", () -> attempt(spark, options));
  }

  private static IngestSummary attempt(SparkSession spark, WorkloadIngestOptions options) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Catalog catalog = new Catalog(spark, options.catalog);
    catalog.recover();
    SourceFiles.Listing listing = SourceFiles.listing(conf, options.inputs);
    List<SourceFile> found = listing.files();
    UnrecognisedInput.failIfNoneRecognised("ingest workload", options.inputs, listing,
        List.of(), FORMATS, README_SECTION);
    NewFiles selection = NewFiles.select(catalog, WorkloadColumns.FAMILY, found, options.strict);
    List<SourceFile> fresh = selection.fresh();
    if (fresh.isEmpty()) {
      return selection.nothingNew(found.size());
    }
    List<UnrecognisedInput.Seen> unusable = new ArrayList<>();
    Map<String, WorkloadLayout> layouts = detectLayouts(conf, fresh, options, unusable);
    UnrecognisedInput.failIfNoneRecognised("ingest workload", options.inputs, listing,
        unusable, FORMATS, README_SECTION);
    unusable.forEach(seen -> LOG.error("{}: line 1: {} (every row of it is rejected)",
        seen.path(), seen.reason()));
    spark.sparkContext().setJobGroup("ingest-workload", "ingest " + fresh.size() + " file(s)",
        false);
    WorkloadLineParser parser =
        new WorkloadLineParser(
            layouts,
            new TimestampParser(ZoneOffset.of(zoneId(options.defaultZone)).getTotalSeconds()),
            TimestampParser.utc().toEpochMicros(options.traceStart));
    try {
      return commit(spark, catalog, options, found.size(), selection, parser);
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  /**
   * One job parses the new files and writes their kept rows, sorted by date, model and time
   * within each task's own input (no shuffle); its rejects go aside and its counts to an
   * accumulator ({@link TalliedSplits}). Only when there are rejects does a second, small job
   * number them and write the rejects table.
   */
  private static IngestSummary commit(
      SparkSession spark,
      Catalog catalog,
      WorkloadIngestOptions options,
      int found,
      NewFiles selection,
      WorkloadLineParser parser) {
    List<SourceFile> fresh = selection.fresh();
    StagedBatch batch = catalog.stage(WorkloadColumns.FAMILY);
    ParseCounts counts;
    try {
      TalliedSplits tallied = new TalliedSplits(spark, parser, fresh,
          batch.scratchPath("rejects"), options.strict);
      Dataset<Row> kept = spark.createDataFrame(
          writeTasks(spark, fresh, SplitLines.parse(spark, fresh, tallied)),
          WorkloadLineParser.PARSED_SCHEMA);
      spark.sparkContext().setJobDescription("parse " + fresh.size()
          + " file(s), write their request rows");
      toRequests(kept)
          .sortWithinPartitions(WorkloadColumns.DATE, WorkloadColumns.MODEL_ID,
              WorkloadColumns.STARTED_AT)
          .write()
          .partitionBy(WorkloadColumns.DATE)
          .parquet(batch.tablePath(WorkloadColumns.REQUESTS_TABLE));
      counts = tallied.counts();
      if (options.strict && counts.totalRejected() > 0) {
        failStrict(spark, fresh, parser);
      }
      if (counts.totalRejected() > 0) {
        spark.sparkContext().setJobDescription("write " + counts.totalRejected() + " rejects");
        RejectsTable.numbered(tallied.rejects(spark), new LineNumbers(counts.splits()))
            .coalesce(1)
            .write()
            .parquet(batch.tablePath(WorkloadColumns.REJECTS_TABLE));
      } else if (!catalog.hasTable(WorkloadColumns.REJECTS_TABLE)) {
        RejectsTable.empty(spark).write().parquet(batch.tablePath(WorkloadColumns.REJECTS_TABLE));
      }
      spark.sparkContext().setJobDescription("write the manifest rows");
      batch.commit(WorkloadColumns.FAMILY, fresh, counts, System.currentTimeMillis());
    } catch (Exception e) { // Spark's own SparkException is checked, yet thrown here
      batch.abort();
      throw e;
    }
    IngestSummary summary = selection.summary(found, counts).withBlankLines(counts);
    LOG.info("Workload ingest into {}: {}", catalog.root(), summary);
    return summary;
  }

  /**
   * The parsed splits as the write's tasks: one per split, or when there are many more splits
   * than cores, groups of neighbouring splits of about {@link #BYTES_PER_WRITE_TASK} each (no
   * shuffle), so that many small files do not make a file per split and date.
   */
  private static JavaRDD<Row> writeTasks(SparkSession spark, List<SourceFile> files,
      JavaRDD<Row> splits) {
    long bytes = files.stream().mapToLong(SourceFile::sizeBytes).sum();
    long tasks = Math.max(2L * spark.sparkContext().defaultParallelism(),
        (bytes + BYTES_PER_WRITE_TASK - 1) / BYTES_PER_WRITE_TASK);
    return splits.getNumPartitions() > tasks ? splits.coalesce((int) tasks) : splits;
  }

  /**
   * Under {@code --strict}, once the write saw a reject (each task stops at its split's first):
   * fails naming the first reject's file, line and reason and how many rows were rejected in
   * all, from a counting pass over the input as the failure needs it.
   */
  private static void failStrict(SparkSession spark, List<SourceFile> fresh,
      WorkloadLineParser parser) {
    spark.sparkContext().setJobDescription("find the first rejected row");
    Dataset<Row> parsed = spark.createDataFrame(SplitLines.parse(spark, fresh, parser),
        WorkloadLineParser.PARSED_SCHEMA);
    ParseCounts counts = ParseCounts.of(parsed, null);
    counts.failIfStrict(true, "row", () -> RejectsTable.numbered(
        parsed.where(col("status").equalTo(WorkloadLineParser.REJECT)),
        new LineNumbers(counts.splits())).first());
    throw new StrictModeException("a row was rejected while writing, but not when counted"
        + " again: did an input file change during the ingest?");
  }

  /** The parsed rows as the requests table's columns plus the date partition column. */
  static Dataset<Row> toRequests(Dataset<Row> ok) {
    return ok.select(
            col(WorkloadColumns.USER_ID),
            col(WorkloadColumns.MODEL_ID),
            col(WorkloadColumns.INPUT_TOKENS),
            col(WorkloadColumns.OUTPUT_TOKENS),
            expr("timestamp_micros(started_us)").as(WorkloadColumns.STARTED_AT),
            expr("timestamp_micros(completed_us)").as(WorkloadColumns.COMPLETED_AT),
            col(WorkloadColumns.TTFT),
            col(WorkloadColumns.DURATION),
            col(WorkloadColumns.HASH_IDS),
            col(WorkloadColumns.EXTRA))
        .withColumn(WorkloadColumns.DATE, to_date(col(WorkloadColumns.STARTED_AT)));
  }

  /**
   * @param unusable receives the files that cannot be read as traces, with their first line
   */
  private static Map<String, WorkloadLayout> detectLayouts(Configuration conf,
      List<SourceFile> files, WorkloadIngestOptions options,
      List<UnrecognisedInput.Seen> unusable) {
    boolean strict = options.strict;
    Map<String, WorkloadLayout> layouts = new LinkedHashMap<>();
    for (SourceFile file : files) {
      String firstLine;
      try {
        firstLine = SourceFiles.firstLine(conf, file.path(), WorkloadLineParser.MAX_LINE_CHARS);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file.path() + ": " + e.getMessage(), e);
      }
      WorkloadLayout layout = WorkloadLayout.detect(file.path(), firstLine, options.model);
      if (layout.unusable != null) {
        unusable.add(new UnrecognisedInput.Seen(file.path(), firstLine, layout.unusable));
        String message = file.path() + ": line 1: " + layout.unusable;
        if (strict) {
          throw new StrictModeException(message);
        }
      } else {
        LOG.info("{}: read as {}", file.path(), layout);
      }
      layouts.put(file.path(), layout);
    }
    return layouts;
  }

  private static String zoneId(String zone) {
    return zone.equalsIgnoreCase("UTC") || zone.equalsIgnoreCase("Z") ? "Z" : zone;
  }
}
