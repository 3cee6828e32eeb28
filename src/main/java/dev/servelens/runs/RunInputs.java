package dev.servelens.runs;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;

import dev.servelens.catalog.StagedBatch;
import dev.servelens.io.ParseCounts;
import dev.servelens.io.SourceFile;
import dev.servelens.io.SplitLines;
import dev.servelens.io.WholeFiles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The parsed new files of one runs ingest, one Spark read per input kind over all runs: every
 * log ({@code driver.log} and {@code logs/tau2_global.log} together), every KV time series,
 * and the JSON documents of each kind. Each dataset carries {@code run_path}. Logs and KV files
 * are read whole (one split a file, so a line's number is known as it is read) and parsed in the
 * one action that writes their table; the rows of every status are counted by file in that same
 * pass ({@link StatusCounts}), and only files with rejected lines are read again, for the
 * rejects table. The JSON documents are parsed once into Parquet in the batch's scratch space,
 * counted on the way. JSON documents larger than {@link #MAX_JSON_BYTES} are rejected unread.
 */
final class RunInputs {
  static final long MAX_JSON_BYTES = 64L << 20;
  /** The status of a log line that is no event: neither kept nor rejected. */
  static final String OTHER = "other";

  /**
   * Log lines that are events or rejected, parsed and counted as they are read: read them in one
   * action only (the events table's write).
   */
  final Dataset<Row> logs;
  /** KV lines, parsed and counted as they are read: one action only (the KV table's write). */
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
  private final List<SourceFile> logFiles;
  private final List<SourceFile> kvFiles;
  private final LogEventParser logParser;
  /** The run directory of each input file, from its kind (the driver knows both). */
  private final Map<String, String> runPaths = new HashMap<>();

  /**
   * Stages the JSON documents and prepares the reads of the logs and KV files (nothing of the
   * input's size is cached in memory).
   */
  RunInputs(SparkSession spark, StagedBatch batch, Map<RunFileKind, List<SourceFile>> fresh,
      LogLineToEvent events) {
    this.spark = spark;
    this.batch = batch;
    // Unnamed: a named accumulator's value is shown (and printed) by the UI as tasks end.
    spark.sparkContext().register(counts);
    fresh.forEach((kind, files) -> files.forEach(file ->
        runPaths.put(file.path(), kind.runPath(file.path()))));
    logFiles = concat(fresh.get(RunFileKind.DRIVER_LOG), fresh.get(RunFileKind.TAU2_LOG));
    kvFiles = fresh.get(RunFileKind.KV);
    logBytes = bytes(logFiles);
    kvBytes = bytes(kvFiles);
    logParser = new LogEventParser(events);
    logs = logLines(logFiles, true);
    kv = kvLines(kvFiles, true);
    trials = documents("trials", fresh.get(RunFileKind.TRIAL), new TrialFileToRow(),
        RunsColumns.TRIAL_VALUES);
    metrics = documents("metrics", fresh.get(RunFileKind.METRICS), new MetricsFileToRow(),
        RunsColumns.METRICS_VALUES);
    scheduler = documents("scheduler", fresh.get(RunFileKind.SCHEDULER),
        new SchedulerFileToRows(), RunsColumns.SCHEDULER_VALUES);
  }

  int logFileCount() {
    return logFiles.size();
  }

  int kvFileCount() {
    return kvFiles.size();
  }

  private static long bytes(List<SourceFile> files) {
    return files.stream().mapToLong(SourceFile::sizeBytes).sum();
  }

  private static List<SourceFile> concat(List<SourceFile> a, List<SourceFile> b) {
    List<SourceFile> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private Dataset<Row> logLines(List<SourceFile> files, boolean counted) {
    return lines(files, logParser, LogEventParser.PARSED_SCHEMA,
        LogEventParser.PARSED_SCHEMA.fieldIndex(RunsColumns.KIND), counted);
  }

  private Dataset<Row> kvLines(List<SourceFile> files, boolean counted) {
    return lines(files, new KvSampleParser(), KvSampleParser.PARSED_SCHEMA, -1, counted);
  }

  /**
   * Parses line files, each file whole; when {@code counted}, counts every line by file and
   * status as it is read. Log lines that are no event ({@code kindIndex} >= 0: status ok, kind
   * null) are left out (after they are counted).
   */
  private Dataset<Row> lines(List<SourceFile> files, SplitLines.SplitParser parser,
      StructType schema, int kindIndex, boolean counted) {
    if (files.isEmpty()) {
      return withRunPath(spark.createDataFrame(List.of(), schema), files);
    }
    JavaRDD<Row> rows = SplitLines.parseWholeFiles(spark, files, parser);
    Dataset<Row> parsed = spark.createDataFrame(
        counted ? rows.map(counts.lines(kindIndex)) : rows, schema);
    if (kindIndex >= 0) {
      parsed = parsed.where(col("status").notEqual(ParseCounts.OK)
          .or(col(RunsColumns.KIND).isNotNull()));
    }
    return withRunPath(parsed, files);
  }

  /**
   * The rejected lines of the logs and KV files, {@code source_path, split_start,
   * line_in_split, raw, reason, status}: only the files {@code counts} has rejects of are read
   * again (not counted again).
   */
  Dataset<Row> lineRejects(ParseCounts parsed) {
    List<SourceFile> logsWithRejects = new ArrayList<>();
    for (SourceFile file : logFiles) {
      if (parsed.rejected(file.path()) > 0) {
        logsWithRejects.add(file);
      }
    }
    List<SourceFile> kvWithRejects = new ArrayList<>();
    for (SourceFile file : kvFiles) {
      if (parsed.rejected(file.path()) > 0) {
        kvWithRejects.add(file);
      }
    }
    String[] columns = {"source_path", "split_start", "line_in_split", "raw", "reason",
        "status"};
    Dataset<Row> logRejects = logLines(logsWithRejects, false);
    Dataset<Row> kvRejects = kvLines(kvWithRejects, false);
    return logRejects.select(columns[0], java.util.Arrays.copyOfRange(columns, 1, 6))
        .unionByName(kvRejects.select(columns[0], java.util.Arrays.copyOfRange(columns, 1, 6)))
        .where(col("status").equalTo(ParseCounts.REJECT));
  }

  private Dataset<Row> documents(String name, List<SourceFile> files, JsonFileToRows parser,
      StructType values) {
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
      return withRunPath(parsed, files);
    }
    parsed = parsed.union(spark.createDataFrame(
        WholeFiles.read(spark, readable).flatMap(parser).map(counts.documents()), schema));
    return staged(name, files.size(), withRunPath(parsed, files));
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
   * were parsed (line inputs: every line; documents: every record): complete once the logs and
   * KV files have been read (their tables written).
   */
  ParseCounts counts() {
    return counts.parseCounts();
  }

  /**
   * {@code rows} (each with the {@code source_path} of one of {@code files}) with the run
   * directory of their file as {@code run_path}: a broadcast join with the files' run paths,
   * which the driver knows, rather than working them out of every row's path.
   */
  private Dataset<Row> withRunPath(Dataset<Row> rows, List<SourceFile> files) {
    List<Row> paths = new ArrayList<>();
    for (SourceFile file : files) {
      paths.add(RowFactory.create(file.path(), runPaths.get(file.path())));
    }
    Dataset<Row> table = spark.createDataFrame(paths, new StructType()
        .add(RunsColumns.SOURCE_PATH, DataTypes.StringType, false)
        .add(RunsColumns.RUN_PATH, DataTypes.StringType, false));
    return rows.join(broadcast(table), RunsColumns.SOURCE_PATH);
  }
}
