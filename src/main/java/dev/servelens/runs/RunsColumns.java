package dev.servelens.runs;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Table names, column names and schemas of the agentic-run family (SPEC 2.A). */
public final class RunsColumns {
  private RunsColumns() {}

  /** The family name used in the manifest. */
  public static final String FAMILY = "runs";
  /** The output folder under {@code --out}. */
  public static final String OUTPUT_FOLDER = "agentic";

  public static final String RUNS_TABLE = "runs";
  public static final String FILES_TABLE = "runs_files";
  public static final String EVENTS_TABLE = "runs_events";
  public static final String KV_TABLE = "runs_kv_samples";
  public static final String TRIALS_TABLE = "runs_trials";
  public static final String METRICS_TABLE = "runs_metrics";
  public static final String SCHEDULER_TABLE = "runs_scheduler_events";
  public static final String REJECTS_TABLE = "runs_rejects";

  public static final String RUN_ID = "run_id";
  public static final String RUN_PATH = "run_path";
  public static final String SYSTEM = "system";
  public static final String CONCURRENCY = "concurrency";
  public static final String SOURCE_PATH = "source_path";
  public static final String LINE_NUMBER = "line_number";
  public static final String SOURCE = "source";
  public static final String KIND = "kind";
  public static final String TS = "ts";
  public static final String TS_S = "ts_s";
  public static final String TAG_TS_S = "tag_ts_s";
  public static final String TASK = "task";
  public static final String STEP = "step";
  public static final String EDGE = "edge";
  public static final String DURATION_S = "duration_s";
  public static final String MODEL = "model";
  public static final String CALL_TYPE = "call_type";
  public static final String ERROR_KIND = "error_kind";
  public static final String FIELDS = "fields";
  public static final String TS_UNIX = "ts_unix";
  public static final String PORT = "port";
  public static final String METRIC = "metric";
  public static final String VALUE = "value";
  public static final String IS_USAGE = "is_usage";
  public static final String INGESTED_AT = "ingested_at";

  /** Event sources: the driver's log and the benchmark's own log. */
  public static final String SOURCE_DRIVER = "driver";
  public static final String SOURCE_TAU2 = "tau2_global";

  /** Event kinds. */
  public static final String TASK_FINISHED = "task_finished";
  public static final String STEP_COMPLETE = "step_complete";
  public static final String LLM_CALL = "llm_call";
  public static final String USER_SIM = "user_sim";
  public static final String EXPERT_CALL = "expert_call";
  public static final String TOOL_CALL = "tool_call";
  public static final String EVAL_COMPLETE = "eval_complete";
  public static final String ERROR = "error";

  /** {@link #RUNS_TABLE}: one row per run directory and ingest (the newest row is current). */
  public static final StructType RUNS_SCHEMA =
      new StructType()
          .add(RUN_ID, DataTypes.StringType, false)
          .add(RUN_PATH, DataTypes.StringType, false)
          .add(SYSTEM, DataTypes.StringType, false)
          .add(CONCURRENCY, DataTypes.IntegerType)
          .add("label_source", DataTypes.StringType, false)
          .add("has_driver_log", DataTypes.BooleanType, false)
          .add("has_tau2_log", DataTypes.BooleanType, false)
          .add("has_kv", DataTypes.BooleanType, false)
          .add("has_metrics_global", DataTypes.BooleanType, false)
          .add("has_scheduler_timestamps", DataTypes.BooleanType, false)
          .add("trial_files", DataTypes.IntegerType, false)
          .add(INGESTED_AT, DataTypes.TimestampType, false)
          .add("batch_id", DataTypes.StringType, false);

  /** {@link #FILES_TABLE}: what became of every line of every source file of a run. */
  public static final StructType FILES_SCHEMA =
      new StructType()
          .add(RUN_ID, DataTypes.StringType, false)
          .add("file_kind", DataTypes.StringType, false)
          .add(SOURCE_PATH, DataTypes.StringType, false)
          .add("lines", DataTypes.LongType, false)
          .add("rows_kept", DataTypes.LongType, false)
          .add("rows_rejected", DataTypes.LongType, false)
          .add("lines_other", DataTypes.LongType, false);

  /** The parsed values of a log line (after the position and status columns). */
  static final StructType EVENT_VALUES =
      new StructType()
          .add(SOURCE, DataTypes.StringType)
          .add(KIND, DataTypes.StringType)
          .add(TS_S, DataTypes.LongType)
          .add(TAG_TS_S, DataTypes.LongType)
          .add(TASK, DataTypes.StringType)
          .add(STEP, DataTypes.IntegerType)
          .add(EDGE, DataTypes.StringType)
          .add(DURATION_S, DataTypes.DoubleType)
          .add(MODEL, DataTypes.StringType)
          .add(CALL_TYPE, DataTypes.StringType)
          .add(ERROR_KIND, DataTypes.StringType)
          .add(FIELDS, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));

  /** The parsed values of a KV time-series line. */
  static final StructType KV_VALUES =
      new StructType()
          .add(TS_UNIX, DataTypes.LongType)
          .add(PORT, DataTypes.StringType)
          .add(METRIC, DataTypes.StringType)
          .add(VALUE, DataTypes.DoubleType)
          .add(IS_USAGE, DataTypes.BooleanType);

  /** {@link #TRIALS_TABLE} values: one trial result file. */
  static final StructType TRIAL_VALUES =
      new StructType()
          .add("domain", DataTypes.StringType)
          .add("task_id", DataTypes.StringType)
          .add("trial", DataTypes.IntegerType)
          .add("status", DataTypes.StringType)
          .add("reward", DataTypes.DoubleType);

  /** {@link #METRICS_TABLE} values: the run's {@code metrics_global.json}. */
  static final StructType METRICS_VALUES =
      new StructType()
          .add("total", DataTypes.LongType)
          .add("ok", DataTypes.LongType)
          .add("error", DataTypes.LongType)
          .add("elapsed_s", DataTypes.DoubleType)
          .add("tasks_per_min", DataTypes.DoubleType)
          .add("domains", DataTypes.StringType);

  /** {@link #SCHEDULER_TABLE} values: one event of one request in Continuum's timestamps. */
  static final StructType SCHEDULER_VALUES =
      new StructType()
          .add("request_id", DataTypes.StringType)
          .add("event", DataTypes.StringType)
          .add("time", DataTypes.DoubleType)
          .add("prompt_length", DataTypes.LongType)
          .add("hit_length", DataTypes.LongType);
}
