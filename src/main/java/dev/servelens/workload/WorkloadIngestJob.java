package dev.servelens.workload;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.to_date;

import dev.servelens.catalog.Catalog;
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
import dev.servelens.io.TimestampParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests workload request traces into the catalog: lists the inputs, skips files the manifest
 * already holds, parses the new ones in one Spark read, and commits the kept rows (partitioned
 * by date, sorted by model and time), the rejects and the manifest rows as one batch.
 */
public final class WorkloadIngestJob {
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadIngestJob.class);
  /** Rows per output task when writing the requests table. */
  private static final long ROWS_PER_WRITE_TASK = 2_000_000L;

  private WorkloadIngestJob() {}

  public static IngestSummary run(SparkSession spark, WorkloadIngestOptions options) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Catalog catalog = new Catalog(spark, options.catalog);
    catalog.recover();
    List<SourceFile> found = SourceFiles.list(conf, options.inputs);
    NewFiles selection = NewFiles.select(catalog, WorkloadColumns.FAMILY, found, options.strict);
    List<SourceFile> fresh = selection.fresh();
    if (fresh.isEmpty()) {
      return selection.nothingNew(found.size());
    }
    Map<String, WorkloadLayout> layouts = detectLayouts(conf, fresh, options.strict);
    spark.sparkContext().setJobGroup("ingest-workload", "parse " + fresh.size() + " file(s)",
        false);
    WorkloadLineParser parser =
        new WorkloadLineParser(
            layouts,
            new TimestampParser(ZoneOffset.of(zoneId(options.defaultZone)).getTotalSeconds()),
            TimestampParser.utc().toEpochMicros(options.traceStart));
    Dataset<Row> parsed =
        spark
            .createDataFrame(SplitLines.parse(spark, fresh, parser), WorkloadLineParser.PARSED_SCHEMA)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return commit(spark, catalog, options, found.size(), selection, parsed);
    } finally {
      parsed.unpersist();
      spark.sparkContext().clearJobGroup();
    }
  }

  private static IngestSummary commit(
      SparkSession spark,
      Catalog catalog,
      WorkloadIngestOptions options,
      int found,
      NewFiles selection,
      Dataset<Row> parsed) {
    ParseCounts counts = ParseCounts.of(parsed, null);
    LineNumbers lineNumbers = new LineNumbers(counts.splits());
    counts.failIfStrict(options.strict, "row", () -> RejectsTable.numbered(
        parsed.where(col("status").equalTo(WorkloadLineParser.REJECT)), lineNumbers).first());
    StagedBatch batch = catalog.stage(WorkloadColumns.FAMILY);
    try {
      long kept = counts.totalKept();
      int writeTasks = (int) Math.max(1, (kept + ROWS_PER_WRITE_TASK - 1) / ROWS_PER_WRITE_TASK);
      spark.sparkContext().setJobDescription("write " + kept + " request rows");
      toRequests(parsed.where(col("status").equalTo(WorkloadLineParser.OK)))
          .repartitionByRange(writeTasks, col(WorkloadColumns.DATE),
              col(WorkloadColumns.MODEL_ID), col(WorkloadColumns.STARTED_AT))
          .sortWithinPartitions(WorkloadColumns.DATE, WorkloadColumns.MODEL_ID,
              WorkloadColumns.STARTED_AT)
          .write()
          .partitionBy(WorkloadColumns.DATE)
          .parquet(batch.tablePath(WorkloadColumns.REQUESTS_TABLE));
      if (counts.totalRejected() > 0) {
        spark.sparkContext().setJobDescription("write " + counts.totalRejected() + " rejects");
        RejectsTable.numbered(parsed.where(col("status").equalTo(WorkloadLineParser.REJECT)),
                lineNumbers)
            .coalesce(1)
            .write()
            .parquet(batch.tablePath(WorkloadColumns.REJECTS_TABLE));
      }
      batch.commit(WorkloadColumns.FAMILY, selection.fresh(), counts, System.currentTimeMillis());
    } catch (RuntimeException e) {
      batch.abort();
      throw e;
    }
    IngestSummary summary = selection.summary(found, counts);
    LOG.info("Workload ingest into {}: {}", catalog.root(), summary);
    return summary;
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

  private static Map<String, WorkloadLayout> detectLayouts(
      Configuration conf, List<SourceFile> files, boolean strict) {
    Map<String, WorkloadLayout> layouts = new LinkedHashMap<>();
    for (SourceFile file : files) {
      String firstLine;
      try {
        firstLine = SourceFiles.firstLine(conf, file.path(), WorkloadLineParser.MAX_LINE_CHARS);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file.path() + ": " + e.getMessage(), e);
      }
      WorkloadLayout layout = WorkloadLayout.detect(file.path(), firstLine);
      if (layout.unusable != null) {
        String message = file.path() + ": line 1: " + layout.unusable;
        if (strict) {
          throw new StrictModeException(message);
        }
        LOG.error("{} (every row of it is rejected)", message);
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
