package dev.servelens.runs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.when;

import dev.servelens.catalog.StagedBatch;
import dev.servelens.io.ParseCounts;
import dev.servelens.io.SourceFile;
import dev.servelens.io.SplitLines;
import dev.servelens.io.WholeFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The parsed new files of one runs ingest, one Spark read per input kind over all runs: every
 * log ({@code driver.log} and {@code logs/tau2_global.log} together), every KV time series,
 * and the JSON documents of each kind. Each dataset carries {@code run_path}, and is parsed
 * once into Parquet in the batch's scratch space; the rows of every status are counted by file
 * and split in that same pass ({@link StatusCounts}), and the log lines that are no event are
 * counted there and not staged. JSON documents larger than {@link
 * #MAX_JSON_BYTES} are rejected unread.
 */
final class RunInputs {
  static final long MAX_JSON_BYTES = 64L << 20;
  /** The status of a log line that is no event: neither kept nor rejected. */
  static final String OTHER = "other";

  final Dataset<Row> logs;
  final Dataset<Row> kv;
  final Dataset<Row> trials;
  final Dataset<Row> metrics;
  final Dataset<Row> scheduler;
  /** Bytes of the log files and of the KV files read. */
  final long logBytes;
  final long kvBytes;
  private final SparkSession spark;
  private final StagedBatch batch;
  private final StatusCounts counts = new StatusCounts();

  /**
   * Parses every input once, writing the parsed rows to the batch's scratch space, from where
   * the counts and the tables read them (nothing of the input's size is cached in memory).
   */
  RunInputs(SparkSession spark, StagedBatch batch, Map<RunFileKind, List<SourceFile>> fresh,
      LogLineToEvent events) {
    this.spark = spark;
    this.batch = batch;
    // Unnamed: a named accumulator's value is shown (and printed) by the UI as tasks end.
    spark.sparkContext().register(counts);
    List<SourceFile> logFiles =
        concat(fresh.get(RunFileKind.DRIVER_LOG), fresh.get(RunFileKind.TAU2_LOG));
    logBytes = bytes(logFiles);
    kvBytes = bytes(fresh.get(RunFileKind.KV));
    logs = lines("logs", logFiles, new LogEventParser(events),
        LogEventParser.PARSED_SCHEMA, LogEventParser.PARSED_SCHEMA.fieldIndex(RunsColumns.KIND),
        RunFileKind.DRIVER_LOG, RunFileKind.TAU2_LOG);
    kv = lines("kv", fresh.get(RunFileKind.KV), new KvSampleParser(),
        KvSampleParser.PARSED_SCHEMA, -1, RunFileKind.KV);
    trials = documents("trials", fresh.get(RunFileKind.TRIAL), new TrialFileToRow(),
        RunsColumns.TRIAL_VALUES, RunFileKind.TRIAL);
    metrics = documents("metrics", fresh.get(RunFileKind.METRICS), new MetricsFileToRow(),
        RunsColumns.METRICS_VALUES, RunFileKind.METRICS);
    scheduler = documents("scheduler", fresh.get(RunFileKind.SCHEDULER),
        new SchedulerFileToRows(), RunsColumns.SCHEDULER_VALUES, RunFileKind.SCHEDULER);
  }

  private static long bytes(List<SourceFile> files) {
    return files.stream().mapToLong(SourceFile::sizeBytes).sum();
  }

  private static List<SourceFile> concat(List<SourceFile> a, List<SourceFile> b) {
    List<SourceFile> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * Parses line files, counting every line by file, split and status on the way; log lines
   * that are no event ({@code kindIndex} >= 0: status ok, kind null) are counted, then left out.
   */
  private Dataset<Row> lines(String name, List<SourceFile> files,
      SplitLines.SplitParser parser, StructType schema, int kindIndex, RunFileKind... kinds) {
    if (files.isEmpty()) {
      return spark.createDataFrame(List.of(), schema)
          .withColumn(RunsColumns.RUN_PATH, runPath(kinds));
    }
    Dataset<Row> parsed = spark.createDataFrame(
        SplitLines.parse(spark, files, parser).map(counts.lines(kindIndex)), schema);
    if (kindIndex >= 0) {
      parsed = parsed.where(col("status").notEqual(ParseCounts.OK)
          .or(col(RunsColumns.KIND).isNotNull()));
    }
    return staged(name, files.size(), parsed.withColumn(RunsColumns.RUN_PATH, runPath(kinds)));
  }

  private Dataset<Row> documents(String name, List<SourceFile> files, JsonFileToRows parser,
      StructType values, RunFileKind kind) {
    StructType schema = JsonFileToRows.schema(values);
    List<String> readable = new ArrayList<>();
    List<Row> oversize = new ArrayList<>();
    for (SourceFile file : files) {
      if (file.sizeBytes() > MAX_JSON_BYTES) {
        Object[] reject = new Object[schema.size()];
        reject[0] = ParseCounts.REJECT;
        reject[1] = "document larger than " + MAX_JSON_BYTES + " bytes (not read)";
        reject[2] = "";
        reject[3] = file.path();
        reject[4] = 1L;
        oversize.add(RowFactory.create(reject));
        counts.addDocuments(file.path(), ParseCounts.REJECT, 1);
      } else {
        readable.add(file.path());
      }
    }
    Dataset<Row> parsed = spark.createDataFrame(oversize, schema);
    if (readable.isEmpty()) {
      return parsed.withColumn(RunsColumns.RUN_PATH, runPath(kind));
    }
    parsed = parsed.union(spark.createDataFrame(
        WholeFiles.read(spark, readable).flatMap(parser).map(counts.documents()), schema));
    return staged(name, files.size(), parsed.withColumn(RunsColumns.RUN_PATH, runPath(kind)));
  }

  /** Writes {@code parsed} to the batch's scratch space once and reads it from there. */
  private Dataset<Row> staged(String name, int files, Dataset<Row> parsed) {
    spark.sparkContext().setJobDescription("parse " + files + " " + name + " file(s)");
    String path = batch.scratchPath(name);
    parsed.write().parquet(path);
    // Read back with the schema written: no Spark job to infer it from the files.
    StructType written = new StructType();
    for (StructField field : parsed.schema().fields()) {
      written = written.add(field.name(), field.dataType(), true, field.metadata());
    }
    return spark.read().schema(written).parquet(path);
  }

  /**
   * Rows read by file and split and kept and rejected rows by file, counted while the inputs
   * were parsed (line inputs: every line; documents: every record).
   */
  ParseCounts counts() {
    return counts.parseCounts();
  }

  /** The run directory of each row, from its source path and the kinds of file read. */
  private static Column runPath(RunFileKind... kinds) {
    Column path = col(RunsColumns.SOURCE_PATH);
    Column result = lit(null).cast("string");
    for (int i = kinds.length - 1; i >= 0; i--) {
      Column match = regexp_extract(path, kinds[i].runPathPattern(), 1);
      result = when(match.notEqual(""), match).otherwise(result);
    }
    return result;
  }
}
