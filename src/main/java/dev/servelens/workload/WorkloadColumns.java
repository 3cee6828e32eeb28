package dev.servelens.workload;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Column names and schemas of the workload family's tables. */
public final class WorkloadColumns {
  private WorkloadColumns() {}

  public static final String USER_ID = "user_id";
  public static final String MODEL_ID = "model_id";
  public static final String INPUT_TOKENS = "input_tokens";
  public static final String OUTPUT_TOKENS = "output_tokens";
  public static final String STARTED_AT = "started_at";
  public static final String COMPLETED_AT = "completed_at";
  public static final String TTFT = "ttft";
  public static final String DURATION = "duration";
  public static final String HASH_IDS = "hash_ids";
  public static final String EXTRA = "extra";
  public static final String DATE = "date";

  /** The catalog table of kept requests, partitioned by {@link #DATE}. */
  public static final String REQUESTS_TABLE = "workload_requests";
  /** The catalog table of rejected lines. */
  public static final String REJECTS_TABLE = "workload_rejects";
  /** The family name used in the manifest and output folders. */
  public static final String FAMILY = "workload";

  /** Columns of {@link #REQUESTS_TABLE}, in order, without the partition column. */
  public static final StructType REQUESTS_SCHEMA =
      new StructType()
          .add(USER_ID, DataTypes.StringType)
          .add(MODEL_ID, DataTypes.StringType)
          .add(INPUT_TOKENS, DataTypes.LongType)
          .add(OUTPUT_TOKENS, DataTypes.LongType)
          .add(STARTED_AT, DataTypes.TimestampType)
          .add(COMPLETED_AT, DataTypes.TimestampType)
          .add(TTFT, DataTypes.DoubleType)
          .add(DURATION, DataTypes.DoubleType)
          .add(HASH_IDS, DataTypes.createArrayType(DataTypes.LongType))
          .add(EXTRA, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));

  /** {@link #REQUESTS_TABLE} as read: its columns and the date partition column. */
  public static final StructType REQUESTS_TABLE_SCHEMA =
      REQUESTS_SCHEMA.add(DATE, DataTypes.DateType);

  /** The numeric columns summarised by the overview. */
  public static final String[] NUMERIC_COLUMNS = {INPUT_TOKENS, OUTPUT_TOKENS, TTFT, DURATION};
}
