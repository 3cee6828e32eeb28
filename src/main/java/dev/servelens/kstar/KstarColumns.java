package dev.servelens.kstar;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Table names, column names and schemas of the scheduler-tuning (k* vs k-hat) family. */
public final class KstarColumns {
  private KstarColumns() {}

  /** The family name used in the manifest and the output folder. */
  public static final String FAMILY = "kstar";
  public static final String PROFILES_TABLE = "kstar_profiles";
  public static final String RESULTS_TABLE = "kstar_results";
  public static final String REJECTS_TABLE = "kstar_rejects";

  /** The workload family's table of requests, read by name (families do not import each other). */
  static final String WORKLOAD_REQUESTS_TABLE = "workload_requests";
  static final String WORKLOAD_MODEL = "model_id";
  static final String WORKLOAD_INPUT_TOKENS = "input_tokens";
  static final String WORKLOAD_OUTPUT_TOKENS = "output_tokens";
  static final String WORKLOAD_STARTED_AT = "started_at";
  static final String WORKLOAD_COMPLETED_AT = "completed_at";

  public static final String MODEL = "model";
  public static final String KIND = "kind";
  public static final String X = "x";
  public static final String SECONDS = "seconds";
  public static final String SOURCE_PATH = "source_path";
  /**
   * Splitwise profiles: the generation length over which a decode step time was averaged (the
   * analysis fits only a profile's shortest); null for other inputs.
   */
  public static final String GENERATED_TOKENS = "generated_tokens";
  public static final String KIND_PREFILL = "prefill";
  public static final String KIND_DECODE = "decode";

  public static final String DATASET = "dataset";
  public static final String N = "n";
  public static final String K = "k";
  public static final String THROUGHPUT = "throughput";
  public static final String KHAT_REPORTED = "khat_reported";
  public static final String KSTAR_OFFLINE_REPORTED = "kstar_offline_reported";
  public static final String KSTAR_ONLINE_REPORTED = "kstar_online_reported";
  public static final String P_OFFLINE_REPORTED = "p_offline_reported";
  public static final String P_ONLINE_REPORTED = "p_online_reported";
  public static final String LINE_NUMBER = "line_number";

  static final String REPLICATE = "replicate";
  static final String OUTPUT_TOKENS = "output_tokens";
  static final String INPUT_TOKENS = "input_tokens";
  static final String VALUE = "value";
  static final String COUNT = "count";

  /** Distinct values a broadcast length histogram holds at most; more are binned. */
  static final int HISTOGRAM_MAX_VALUES = 10_000;

  /**
   * {@link #PROFILES_TABLE}: one profiling sample; x is prompt tokens or batch size. Read with
   * this schema, so that tables written before {@link #GENERATED_TOKENS} existed read it as null.
   */
  public static final StructType PROFILES_SCHEMA =
      new StructType()
          .add(MODEL, DataTypes.StringType, false)
          .add(KIND, DataTypes.StringType, false)
          .add(X, DataTypes.DoubleType, false)
          .add(SECONDS, DataTypes.DoubleType, false)
          .add(SOURCE_PATH, DataTypes.StringType, false)
          .add(GENERATED_TOKENS, DataTypes.DoubleType, true);

  /** {@link #RESULTS_TABLE}: one measured throughput at one k of one experiment. */
  public static final StructType RESULTS_SCHEMA =
      new StructType()
          .add(DATASET, DataTypes.StringType, false)
          .add(MODEL, DataTypes.StringType, false)
          .add(N, DataTypes.IntegerType, false)
          .add(K, DataTypes.IntegerType, false)
          .add(THROUGHPUT, DataTypes.DoubleType, false)
          .add(KHAT_REPORTED, DataTypes.IntegerType)
          .add(KSTAR_OFFLINE_REPORTED, DataTypes.IntegerType)
          .add(KSTAR_ONLINE_REPORTED, DataTypes.IntegerType)
          .add(P_OFFLINE_REPORTED, DataTypes.DoubleType)
          .add(P_ONLINE_REPORTED, DataTypes.DoubleType)
          .add(SOURCE_PATH, DataTypes.StringType, false)
          .add(LINE_NUMBER, DataTypes.LongType, false);

  /** Rows of the one simulation job: which scheduler run to simulate. */
  static final StructType SIMULATION_TASK_SCHEMA =
      new StructType()
          .add(MODEL, DataTypes.StringType, false)
          .add(N, DataTypes.IntegerType, false)
          .add(K, DataTypes.IntegerType, false)
          .add(REPLICATE, DataTypes.IntegerType, false);

  static final StructType SIMULATION_RESULT_SCHEMA =
      SIMULATION_TASK_SCHEMA.add(THROUGHPUT, DataTypes.DoubleType, false);
}
