package dev.servelens.kstar;

import static org.apache.spark.sql.functions.col;

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
import dev.servelens.io.WholeFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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
 * Ingests scheduler-tuning inputs into the catalog: prefill and decode profiling samples (CSV or
 * JSON Lines, told apart by their header, see {@link KstarInputLayout}) into {@code
 * kstar_profiles}, experiment results documents ({@link ResultsFileToRows}) into {@code
 * kstar_results}, bad rows into {@code kstar_rejects} with file, line, raw text and reason.
 * Incremental like the workload ingest: files the manifest holds are skipped; everything new is
 * committed as one staged batch with a manifest row per file (read = kept + rejected).
 */
public final class KstarIngestJob {
  private static final Logger LOG = LoggerFactory.getLogger(KstarIngestJob.class);
  /** Results documents larger than this are rejected unread. */
  static final long MAX_RESULTS_BYTES = 16L << 20;

  private KstarIngestJob() {}

  /**
   * Runs the ingest; when another ingest commits some of the same files meanwhile, plans again
   * (see {@link CommitRetry}).
   */
  public static IngestSummary run(SparkSession spark, KstarIngestOptions options) {
    return CommitRetry.run("ingest kstar", () -> attempt(spark, options));
  }

  private static IngestSummary attempt(SparkSession spark, KstarIngestOptions options) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Catalog catalog = new Catalog(spark, options.catalog);
    catalog.recover();
    List<SourceFile> found = SourceFiles.list(conf, options.inputs);
    NewFiles selection = NewFiles.select(catalog, KstarColumns.FAMILY, found, options.strict);
    List<SourceFile> fresh = selection.fresh();
    if (fresh.isEmpty()) {
      return selection.nothingNew(found.size());
    }
    Map<String, KstarInputLayout> layouts = layouts(conf, fresh, options.strict);
    List<SourceFile> profileFiles = new ArrayList<>();
    List<String> resultFiles = new ArrayList<>();
    for (SourceFile file : fresh) {
      if (layouts.get(file.path()).format() == KstarInputLayout.Format.RESULTS) {
        resultFiles.add(file.path());
      } else {
        profileFiles.add(file);
      }
    }
    spark.sparkContext().setJobGroup("ingest-kstar", "parse " + fresh.size() + " file(s)", false);
    Dataset<Row> profiles = profileFiles.isEmpty()
        ? spark.createDataFrame(List.of(), KstarProfileParser.PARSED_SCHEMA)
        : spark.createDataFrame(SplitLines.parse(spark, profileFiles,
            new KstarProfileParser(layouts)), KstarProfileParser.PARSED_SCHEMA);
    profiles = profiles.persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> results = results(spark, resultFiles).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      ParseCounts counts = ParseCounts.of(profiles, results);
      LineNumbers lineNumbers = new LineNumbers(counts.splits());
      Dataset<Row> rejects =
          RejectsTable.numbered(profiles.where(col("status").equalTo(KstarProfileParser.REJECT)),
                  lineNumbers)
              .unionByName(results.where(col("status").equalTo("reject"))
                  .select(col(KstarColumns.SOURCE_PATH), col(KstarColumns.LINE_NUMBER),
                      col("raw"), col("reason")));
      counts.failIfStrict(options.strict, "row", () -> rejects.orderBy(
          KstarColumns.SOURCE_PATH, KstarColumns.LINE_NUMBER).first());
      IngestSummary summary = commit(spark, catalog, selection, counts, profiles, results,
          rejects, found.size());
      LOG.info("kstar ingest into {}: {}", catalog.root(), summary);
      return summary;
    } finally {
      profiles.unpersist();
      results.unpersist();
      spark.sparkContext().clearJobGroup();
    }
  }

  private static Dataset<Row> results(SparkSession spark, List<String> files) {
    if (files.isEmpty()) {
      return spark.createDataFrame(List.of(), ResultsFileToRows.PARSED_SCHEMA);
    }
    return spark.createDataFrame(WholeFiles.read(spark, files).flatMap(new ResultsFileToRows()),
        ResultsFileToRows.PARSED_SCHEMA);
  }

  private static IngestSummary commit(SparkSession spark, Catalog catalog,
      NewFiles selection, ParseCounts counts, Dataset<Row> profiles, Dataset<Row> results,
      Dataset<Row> rejects, int found) {
    StagedBatch batch = catalog.stage(KstarColumns.FAMILY);
    try {
      spark.sparkContext().setJobDescription("write profiles, results and rejects");
      profiles.where(col("status").equalTo(KstarProfileParser.OK))
          .select(KstarColumns.PROFILES_SCHEMA.fieldNames()[0],
              java.util.Arrays.copyOfRange(KstarColumns.PROFILES_SCHEMA.fieldNames(), 1,
                  KstarColumns.PROFILES_SCHEMA.size()))
          .coalesce(1).write().parquet(batch.tablePath(KstarColumns.PROFILES_TABLE));
      results.where(col("status").equalTo("ok"))
          .select(KstarColumns.RESULTS_SCHEMA.fieldNames()[0],
              java.util.Arrays.copyOfRange(KstarColumns.RESULTS_SCHEMA.fieldNames(), 1,
                  KstarColumns.RESULTS_SCHEMA.size()))
          .coalesce(1).write().parquet(batch.tablePath(KstarColumns.RESULTS_TABLE));
      if (counts.totalRejected() > 0) {
        rejects.coalesce(1).write().parquet(batch.tablePath(KstarColumns.REJECTS_TABLE));
      }
      batch.commit(KstarColumns.FAMILY, selection.fresh(), counts, System.currentTimeMillis());
    } catch (RuntimeException e) {
      batch.abort();
      throw e;
    }
    return selection.summary(found, counts);
  }

  private static Map<String, KstarInputLayout> layouts(
      Configuration conf, List<SourceFile> files, boolean strict) {
    Map<String, KstarInputLayout> layouts = new LinkedHashMap<>();
    for (SourceFile file : files) {
      KstarInputLayout layout;
      if (file.path().toLowerCase(java.util.Locale.ROOT).endsWith(KstarInputLayout.RESULTS_SUFFIX)) {
        layout = KstarInputLayout.detect(file.path(), null);
        if (file.sizeBytes() > MAX_RESULTS_BYTES) {
          throw new IllegalArgumentException(file.path() + ": results document larger than "
              + MAX_RESULTS_BYTES + " bytes");
        }
      } else {
        try {
          layout = KstarInputLayout.detect(file.path(), SourceFiles.firstLine(conf, file.path(),
              KstarProfileParser.MAX_LINE_CHARS));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + file.path() + ": " + e.getMessage(), e);
        }
      }
      if (layout.unusable() != null && !"empty file".equals(layout.unusable())) {
        String message = file.path() + ": line 1: " + layout.unusable();
        if (strict) {
          throw new StrictModeException(message);
        }
        LOG.error("{} (every row of it is rejected)", message);
      }
      layouts.put(file.path(), layout);
    }
    return layouts;
  }
}
