package dev.servelens.bench;

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
import dev.servelens.io.UnrecognisedInput;
import dev.servelens.io.SplitLines;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.input.PortableDataStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Ingests serving-benchmark logs trees ({@code {jobid}_{topology}_{YYYYMMDD_HHMMSS}} run
 * directories, see {@link RunPath}) into the catalog: every metadata, result and config JSON
 * file in one Spark read ({@link JsonFileToRecord}), every worker log in one line read ({@link
 * WorkerLogParser}), then the tables of {@link BenchTables} and {@code bench_rejects}, committed
 * as one staged batch with a manifest row per file. Incremental: files in the manifest are
 * skipped, so a new run adds only itself; a metadata file rewritten by {@code servelens tag}
 * (recorded in {@code bench_tags}) is not reported as changed.
 *
 * <p>Rows of a file, for the manifest: a JSON file is one row, kept or rejected. A worker log's
 * rows are its batch, memory and server command lines (kept) and the recognised lines that could
 * not be read (rejected); its other lines are not rows.
 */
public final class BenchIngestJob {
  private static final Logger LOG = LoggerFactory.getLogger(BenchIngestJob.class);

  private BenchIngestJob() {}

  /**
   * Runs the ingest; when another ingest commits some of the same files meanwhile, plans again
   * (see {@link CommitRetry}).
   */
  public static IngestSummary run(SparkSession spark, BenchIngestOptions options) {
    return CommitRetry.run("ingest bench", () -> attempt(spark, options));
  }

  private static IngestSummary attempt(SparkSession spark, BenchIngestOptions options) {
    Catalog catalog = new Catalog(spark, options.catalog);
    catalog.recover();
    SourceFiles.Listing listing = SourceFiles.listing(spark.sparkContext()
        .hadoopConfiguration(), options.inputs);
    List<SourceFile> listed = listing.files();
    List<SourceFile> found = new ArrayList<>();
    int toolFiles = 0;
    for (SourceFile file : listed) {
      if (isToolResult(file)) {
        toolFiles++;
        found.add(file);
      } else if (RunPath.of(file.path()).kind() != RunPath.Kind.OTHER) {
        found.add(file);
      }
    }
    LOG.info("{} run file(s) and {} benchmark tool result file(s) found, {} other file(s) not"
        + " read", found.size() - toolFiles, toolFiles, listed.size() - found.size());
    if (found.isEmpty()) {
      throw UnrecognisedInput.error("ingest bench", options.inputs, listing,
          UnrecognisedInput.firstLines(spark.sparkContext().hadoopConfiguration(), listed,
              "neither a file of a {jobid}_{topology}_{timestamp} run directory nor a"
                  + " benchmark tool's result file (.json, .jsonl)"),
          "serving-benchmark logs trees of run directories; SGLang bench_serving JSONL, vLLM"
              + " and AIPerf result JSON", "Serving benchmarks (`ingest bench`, `analyze bench`,"
              + " `tag`)");
    }
    if (toolFiles > 0 && options.gpus == null) {
      LOG.warn("No --gpus: TPS/GPU cannot be computed (and the points cannot be on the Pareto"
          + " front) for the {} tool result file(s) that do not say how many GPUs served them",
          toolFiles);
    }
    found = RunTags.withoutRetagged(catalog, found);
    NewFiles selection = NewFiles.select(catalog, BenchColumns.FAMILY, found, options.strict);
    if (selection.fresh().isEmpty()) {
      return selection.nothingNew(found.size());
    }
    List<String> jsonFiles = new ArrayList<>();
    List<String> toolResultFiles = new ArrayList<>();
    List<SourceFile> logFiles = new ArrayList<>();
    for (SourceFile file : selection.fresh()) {
      if (isToolResult(file)) {
        toolResultFiles.add(file.path());
      } else if (RunPath.of(file.path()).kind() == RunPath.Kind.WORKER_LOG) {
        logFiles.add(file);
      } else {
        jsonFiles.add(file.path());
      }
    }
    spark.sparkContext().setJobGroup("ingest-bench", "parse " + selection.fresh().size()
        + " file(s)", false);
    Dataset<Row> records = jsonRecords(spark, jsonFiles, new JsonFileToRecord())
        .unionByName(jsonRecords(spark, toolResultFiles, new ResultFileToPoints(
            new ToolResult.Hardware(options.gpuType, options.gpus), options.labels,
            options.tags)))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> lines = (logFiles.isEmpty()
        ? spark.createDataFrame(List.of(), WorkerLogParser.PARSED_SCHEMA)
        : spark.createDataFrame(SplitLines.parse(spark, logFiles, new WorkerLogParser()),
            WorkerLogParser.PARSED_SCHEMA)).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      ParseCounts counts = ParseCounts.of(lines,
          records.select(BenchColumns.SOURCE_PATH, "status"));
      Dataset<Row> rejects = RejectsTable.numbered(
              lines.where(col("status").equalTo(ParseCounts.REJECT)),
              new LineNumbers(counts.splits()))
          .unionByName(records.where(col("status").equalTo(ParseCounts.REJECT))
              .select(col(BenchColumns.SOURCE_PATH), col(BenchColumns.LINE_NUMBER), col("raw"),
                  col("reason")));
      counts.failIfStrict(options.strict, "record", () -> rejects.orderBy(
          BenchColumns.SOURCE_PATH, BenchColumns.LINE_NUMBER).first());
      IngestSummary summary = commit(catalog, selection, counts, records, lines, rejects,
          found.size());
      LOG.info("bench ingest into {}: {}", catalog.root(), summary);
      return summary;
    } finally {
      records.unpersist();
      lines.unpersist();
      spark.sparkContext().clearJobGroup();
    }
  }

  /** A {@code .json}/{@code .jsonl} file outside any run directory: a tool's result file. */
  private static boolean isToolResult(SourceFile file) {
    return RunPath.of(file.path()).runDir() == null
        && ResultFileToPoints.isResultFile(file.path());
  }

  private static Dataset<Row> jsonRecords(SparkSession spark, List<String> files,
      FlatMapFunction<Tuple2<String, PortableDataStream>, Row> reader) {
    if (files.isEmpty()) {
      return spark.createDataFrame(List.of(), JsonRecord.SCHEMA);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return spark.createDataFrame(
        jsc.binaryFiles(String.join(",", files), Math.min(files.size(), jsc.defaultParallelism()))
            .flatMap(reader),
        JsonRecord.SCHEMA);
  }

  private static IngestSummary commit(Catalog catalog, NewFiles selection, ParseCounts counts,
      Dataset<Row> records, Dataset<Row> lines, Dataset<Row> rejects, int found) {
    StagedBatch batch = catalog.stage(BenchColumns.FAMILY);
    try {
      records.sparkSession().sparkContext().setJobDescription("write bench tables");
      write(BenchTables.runs(records), batch, BenchColumns.RUNS_TABLE);
      write(BenchTables.results(records), batch, BenchColumns.RESULTS_TABLE);
      write(BenchTables.configs(records), batch, BenchColumns.CONFIGS_TABLE);
      write(BenchTables.batches(lines), batch, BenchColumns.BATCHES_TABLE);
      write(BenchTables.memory(lines), batch, BenchColumns.MEMORY_TABLE);
      write(BenchTables.serverArgs(lines), batch, BenchColumns.SERVER_ARGS_TABLE);
      if (counts.totalRejected() > 0 || !catalog.hasTable(BenchColumns.REJECTS_TABLE)) {
        rejects.coalesce(1).write().parquet(batch.tablePath(BenchColumns.REJECTS_TABLE));
      }
      batch.commit(BenchColumns.FAMILY, selection.fresh(), counts, System.currentTimeMillis());
    } catch (RuntimeException e) {
      batch.abort();
      throw e;
    }
    return selection.summary(found, counts).withBlankLines(counts);
  }

  private static void write(Dataset<Row> table, StagedBatch batch, String name) {
    table.coalesce(1).write().parquet(batch.tablePath(name));
  }
}
