package dev.servelens.kstar;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

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
import dev.servelens.io.UnrecognisedInput;
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
  /** What the ingest reads, and where the README says so, for the error of no input read. */
  private static final String FORMATS = "profiling samples as CSV ([model,]input_tokens,seconds"
      + " or [model,]batch_size,seconds_per_step) or JSON Lines, the Splitwise perf_model.csv"
      + " layout, and <dataset>_results.json experiment results";
  private static final String README_SECTION = "Scheduler-tuning inputs";

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
    SourceFiles.Listing listing = SourceFiles.listing(conf, options.inputs);
    List<SourceFile> found = listing.files();
    UnrecognisedInput.failIfNoneRecognised("ingest kstar", options.inputs, listing, List.of(),
        FORMATS, README_SECTION);
    NewFiles selection = NewFiles.select(catalog, KstarColumns.FAMILY, found, options.strict);
    List<SourceFile> fresh = selection.fresh();
    if (fresh.isEmpty()) {
      return selection.nothingNew(found.size());
    }
    List<UnrecognisedInput.Seen> unusable = new ArrayList<>();
    Map<String, KstarInputLayout> layouts = layouts(conf, fresh, options.strict, unusable);
    UnrecognisedInput.failIfNoneRecognised("ingest kstar", options.inputs, listing, unusable,
        FORMATS, README_SECTION);
    unusable.stream().filter(seen -> !"empty file".equals(seen.reason())).forEach(seen ->
        LOG.error("{}: line 1: {} (every row of it is rejected)", seen.path(), seen.reason()));
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

  /** The kept lines' prefill and decode samples as rows of {@code kstar_profiles}. */
  static Dataset<Row> samples(Dataset<Row> kept) {
    Dataset<Row> prefill = kept.where(col(KstarProfileParser.PREFILL_TOKENS).isNotNull())
        .select(col(KstarColumns.MODEL), lit(KstarColumns.KIND_PREFILL).as(KstarColumns.KIND),
            col(KstarProfileParser.PREFILL_TOKENS).as(KstarColumns.X),
            col(KstarProfileParser.PREFILL_SECONDS).as(KstarColumns.SECONDS),
            col(KstarColumns.SOURCE_PATH), col(KstarColumns.GENERATED_TOKENS));
    Dataset<Row> decode = kept.where(col(KstarProfileParser.DECODE_BATCH).isNotNull())
        .select(col(KstarColumns.MODEL), lit(KstarColumns.KIND_DECODE).as(KstarColumns.KIND),
            col(KstarProfileParser.DECODE_BATCH).as(KstarColumns.X),
            col(KstarProfileParser.DECODE_SECONDS).as(KstarColumns.SECONDS),
            col(KstarColumns.SOURCE_PATH), col(KstarColumns.GENERATED_TOKENS));
    return prefill.unionByName(decode);
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
      samples(profiles.where(col("status").equalTo(KstarProfileParser.OK)))
          .coalesce(1).write().parquet(batch.tablePath(KstarColumns.PROFILES_TABLE));
      results.where(col("status").equalTo("ok"))
          .select(KstarColumns.RESULTS_SCHEMA.fieldNames()[0],
              java.util.Arrays.copyOfRange(KstarColumns.RESULTS_SCHEMA.fieldNames(), 1,
                  KstarColumns.RESULTS_SCHEMA.size()))
          .coalesce(1).write().parquet(batch.tablePath(KstarColumns.RESULTS_TABLE));
      if (counts.totalRejected() > 0 || !catalog.hasTable(KstarColumns.REJECTS_TABLE)) {
        rejects.coalesce(1).write().parquet(batch.tablePath(KstarColumns.REJECTS_TABLE));
      }
      batch.commit(KstarColumns.FAMILY, selection.fresh(), counts, System.currentTimeMillis());
    } catch (RuntimeException e) {
      batch.abort();
      throw e;
    }
    return selection.summary(found, counts).withBlankLines(counts);
  }

  /**
   * @param unusable receives the files that are no kstar input, with their first line
   */
  private static Map<String, KstarInputLayout> layouts(Configuration conf,
      List<SourceFile> files, boolean strict, List<UnrecognisedInput.Seen> unusable) {
    Map<String, KstarInputLayout> layouts = new LinkedHashMap<>();
    for (SourceFile file : files) {
      KstarInputLayout layout;
      String firstLine = null;
      if (file.path().toLowerCase(java.util.Locale.ROOT).endsWith(KstarInputLayout.RESULTS_SUFFIX)) {
        layout = KstarInputLayout.detect(file.path(), null);
        if (file.sizeBytes() > MAX_RESULTS_BYTES) {
          throw new IllegalArgumentException(file.path() + ": results document larger than "
              + MAX_RESULTS_BYTES + " bytes");
        }
      } else {
        try {
          firstLine = SourceFiles.firstLine(conf, file.path(), KstarProfileParser.MAX_LINE_CHARS);
          layout = KstarInputLayout.detect(file.path(), firstLine);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + file.path() + ": " + e.getMessage(), e);
        }
      }
      if (layout.unusable() != null) {
        unusable.add(new UnrecognisedInput.Seen(file.path(), firstLine, layout.unusable()));
      }
      if (layout.unusable() != null && !"empty file".equals(layout.unusable())) {
        String message = file.path() + ": line 1: " + layout.unusable();
        if (strict) {
          throw new StrictModeException(message);
        }
      }
      layouts.put(file.path(), layout);
    }
    return layouts;
  }
}
