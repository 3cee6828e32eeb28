package dev.servelens.runs;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.timestamp_seconds;

import dev.servelens.catalog.StagedBatch;
import dev.servelens.io.DriverRows;
import dev.servelens.io.LineNumbers;
import dev.servelens.io.ParseCounts;
import dev.servelens.io.RejectsTable;
import dev.servelens.io.SourceFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The catalog tables of one runs ingest, built from the parsed inputs: kept rows numbered and
 * joined to their run id, rejects of every kind in one table, and the per-run and per-file
 * rows.
 */
final class RunsTables {
  private static final String OK = ParseCounts.OK;
  private static final String REJECT = ParseCounts.REJECT;
  /** Input text per written file of events or samples (about 50 MB of Parquet). */
  static final long INPUT_BYTES_PER_WRITE_TASK = 256L << 20;

  private final SparkSession spark;
  private final RunInputs inputs;
  private final List<RunDirectory> runs;
  private final Dataset<Row> runIds;

  RunsTables(SparkSession spark, RunInputs inputs, List<RunDirectory> runs) {
    this.spark = spark;
    this.inputs = inputs;
    this.runs = runs;
    List<Row> rows = new ArrayList<>();
    for (RunDirectory run : runs) {
      rows.add(RowFactory.create(run.runPath(), run.runId()));
    }
    this.runIds = broadcast(spark.createDataFrame(rows, new StructType()
        .add(RunsColumns.RUN_PATH, DataTypes.StringType)
        .add(RunsColumns.RUN_ID, DataTypes.StringType)));
  }

  Dataset<Row> events() {
    Dataset<Row> kept = inputs.logs.where(col("status").equalTo(OK)
        .and(col(RunsColumns.KIND).isNotNull()));
    return withRunId(numbered(kept))
        .select(col(RunsColumns.RUN_ID), col(RunsColumns.SOURCE), col(RunsColumns.LINE_NUMBER),
            timestamp_seconds(col(RunsColumns.TS_S)).as(RunsColumns.TS), col(RunsColumns.TS_S),
            col(RunsColumns.TAG_TS_S), col(RunsColumns.KIND), col(RunsColumns.TASK),
            col(RunsColumns.STEP), col(RunsColumns.EDGE), col(RunsColumns.DURATION_S),
            col(RunsColumns.MODEL), col(RunsColumns.CALL_TYPE), col(RunsColumns.ERROR_KIND),
            col(RunsColumns.FIELDS), col(RunsColumns.SOURCE_PATH));
  }

  Dataset<Row> kvSamples() {
    Dataset<Row> kept = inputs.kv.where(col("status").equalTo(OK));
    return withRunId(numbered(kept))
        .select(col(RunsColumns.RUN_ID), col(RunsColumns.TS_UNIX), col(RunsColumns.PORT),
            col(RunsColumns.METRIC), col(RunsColumns.VALUE), col(RunsColumns.IS_USAGE),
            col(RunsColumns.LINE_NUMBER), col(RunsColumns.SOURCE_PATH));
  }

  /** Rows with their line number in the file (each file is read whole, as one split). */
  private static Dataset<Row> numbered(Dataset<Row> rows) {
    return rows.withColumn(RunsColumns.LINE_NUMBER, col("line_in_split").plus(1L));
  }

  /** The kept rows of a JSON document dataset with the run id first. */
  private Dataset<Row> documents(Dataset<Row> parsed, StructType values) {
    List<Column> columns = new ArrayList<>();
    columns.add(col(RunsColumns.RUN_ID));
    for (String name : values.fieldNames()) {
      columns.add(col(name));
    }
    columns.add(col(RunsColumns.LINE_NUMBER));
    columns.add(col(RunsColumns.SOURCE_PATH));
    return withRunId(parsed.where(col(JsonFileToRows.PARSE_STATUS).equalTo(OK)))
        .select(columns.toArray(new Column[0]));
  }

  /** The rejects of every kind, once the logs and KV files are written ({@code counts}). */
  Dataset<Row> rejects(ParseCounts counts) {
    Dataset<Row> lines = inputs.lineRejects(counts);
    Dataset<Row> documents = inputs.trials.unionByName(inputs.metrics, true)
        .unionByName(inputs.scheduler, true)
        .where(col(JsonFileToRows.PARSE_STATUS).equalTo(REJECT))
        .select("source_path", "line_number", "raw", "reason");
    return RejectsTable.numbered(lines, new LineNumbers(counts.splits()))
        .unionByName(documents);
  }

  private Dataset<Row> withRunId(Dataset<Row> rows) {
    return rows.join(runIds, RunsColumns.RUN_PATH);
  }

  /**
   * Writes the events and KV samples, parsing the logs and KV files as it goes (their rows are
   * counted then: {@link RunInputs#counts} is complete after this).
   */
  void writeLines(StagedBatch batch) {
    spark.sparkContext().setJobDescription("parse " + inputs.logFileCount()
        + " log file(s), write " + RunsColumns.EVENTS_TABLE);
    events().coalesce(writeTasks(inputs.logBytes))
        .sortWithinPartitions(RunsColumns.RUN_ID, RunsColumns.SOURCE, RunsColumns.TS_S)
        .write().parquet(batch.tablePath(RunsColumns.EVENTS_TABLE));
    spark.sparkContext().setJobDescription("parse " + inputs.kvFileCount()
        + " KV file(s), write " + RunsColumns.KV_TABLE);
    kvSamples().coalesce(writeTasks(inputs.kvBytes))
        .sortWithinPartitions(RunsColumns.RUN_ID, RunsColumns.TS_UNIX)
        .write().parquet(batch.tablePath(RunsColumns.KV_TABLE));
  }

  /**
   * Writes every other table of the batch (the manifest is the caller's); the rejects table
   * when there are rejects or, empty, when the catalog has none yet.
   */
  void write(StagedBatch batch, long now, ParseCounts counts, Map<String, RunDirectory> runByFile,
      List<SourceFile> fresh, boolean rejectsTableMissing) {
    describe("runs_trials, runs_metrics, runs_scheduler_events");
    documents(inputs.trials, RunsColumns.TRIAL_VALUES).coalesce(1).write()
        .parquet(batch.tablePath(RunsColumns.TRIALS_TABLE));
    documents(inputs.metrics, RunsColumns.METRICS_VALUES).coalesce(1).write()
        .parquet(batch.tablePath(RunsColumns.METRICS_TABLE));
    documents(inputs.scheduler, RunsColumns.SCHEDULER_VALUES).write()
        .parquet(batch.tablePath(RunsColumns.SCHEDULER_TABLE));
    if (counts.totalRejected() > 0 || rejectsTableMissing) {
      describe(RunsColumns.REJECTS_TABLE);
      rejects(counts).coalesce(1).write().parquet(batch.tablePath(RunsColumns.REJECTS_TABLE));
    }
    List<Row> runRows = new ArrayList<>();
    for (RunDirectory run : runs) {
      runRows.add(run.toRow(now, batch.id()));
    }
    DriverRows.of(spark, runRows, RunsColumns.RUNS_SCHEMA).write()
        .parquet(batch.tablePath(RunsColumns.RUNS_TABLE));
    DriverRows.of(spark, fileRows(counts, runByFile, fresh), RunsColumns.FILES_SCHEMA)
        .write().parquet(batch.tablePath(RunsColumns.FILES_TABLE));
  }

  /**
   * Tasks (and files) for parsing and writing the rows of {@code inputBytes} of text: one per
   * {@link #INPUT_BYTES_PER_WRITE_TASK}, and at least one per core so small inputs use every
   * core. The parsed rows are in input order, a file's lines together, so merging neighbouring
   * files into a task (no shuffle) keeps each run's rows in few files, sorted by run. 1,000
   * typical runs (about 9 GB of logs) give 37 event files.
   */
  private int writeTasks(long inputBytes) {
    return (int) Math.max(spark.sparkContext().defaultParallelism(),
        (inputBytes + INPUT_BYTES_PER_WRITE_TASK - 1) / INPUT_BYTES_PER_WRITE_TASK);
  }

  private void describe(String table) {
    spark.sparkContext().setJobDescription("write " + table);
  }

  private static List<Row> fileRows(ParseCounts counts, Map<String, RunDirectory> runByFile,
      List<SourceFile> fresh) {
    Map<String, Long> lines = new HashMap<>();
    for (LineNumbers.SplitCount split : counts.splits()) {
      lines.merge(split.path(), split.lines(), Long::sum);
    }
    List<Row> rows = new ArrayList<>();
    for (SourceFile file : fresh) {
      RunDirectory run = runByFile.get(file.path());
      RunFileKind kind = RunFileKind.of(file.path().substring(run.runPath().length() + 1));
      long kept = counts.kept(file.path());
      long rejected = counts.rejected(file.path());
      long read = lines.getOrDefault(file.path(), kept + rejected);
      long other = read - kept - rejected;
      rows.add(RowFactory.create(run.runId(), kind.label(), file.path(), read, kept, rejected,
          other));
    }
    return rows;
  }
}
