package dev.servelens.bench;

import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import dev.servelens.io.SparkValues;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Configuration and environment diffs between two runs, and runs that could not be loaded. */
final class BenchConfigs {
  private BenchConfigs() {}

  /** The environment variable's category: NCCL, SGLANG, CUDA or other. */
  static Column category(Column key) {
    Column name = upper(key);
    return when(name.startsWith("NCCL"), "NCCL")
        .when(name.startsWith("SGLANG").or(name.startsWith("SGL_")), "SGLANG")
        .when(name.startsWith("CUDA").or(name.startsWith("NVIDIA")), "CUDA")
        .otherwise("other");
  }

  /**
   * {@code config_snapshot}: the configuration entries of the selected runs, environment
   * variables with their category.
   */
  static Dataset<Row> snapshot(Dataset<Row> configs, Dataset<Row> runs) {
    return configs.join(runs.select(BenchColumns.RUN_DIR), BenchColumns.RUN_DIR)
        .select(col(BenchColumns.JOB_ID), col(BenchColumns.ROLE), col(BenchColumns.NODE),
            col("key_group"), when(col("key_group").equalTo("environment"),
                category(col("key"))).as("category"), col("key"), col("value"),
            col(BenchColumns.RUN_DIR))
        .orderBy(BenchColumns.JOB_ID, BenchColumns.RUN_DIR, BenchColumns.ROLE,
            BenchColumns.NODE, "key_group", "category", "key");
  }

  /**
   * Entries of {@code bench_node_configs} that differ between job {@code a} and job {@code b},
   * per (role, group, key); the values of all nodes of that role, distinct and sorted, joined
   * with {@code " | "}; a key one run lacks has an empty value on that side.
   *
   * @param environment true for {@code env_diff} (group environment, with a category), false
   *     for {@code config_diff} (every other group)
   */
  static Dataset<Row> diff(Dataset<Row> configs, String a, String b, boolean environment) {
    Column isEnvironment = col("key_group").equalTo("environment");
    Dataset<Row> entries = configs.where(environment ? isEnvironment : not(isEnvironment));
    Dataset<Row> left = values(entries, a, "value_a");
    Dataset<Row> right = values(entries, b, "value_b");
    Dataset<Row> joined = left.join(right, SparkValues.columns(BenchColumns.ROLE,
            "key_group", "key"), "full_outer")
        .where(not(col("value_a").eqNullSafe(col("value_b"))));
    Column group = environment ? category(col("key")).as("category") : col("key_group");
    return joined.select(lit(a).as("job_a"), lit(b).as("job_b"), col(BenchColumns.ROLE), group,
            col("key"), col("value_a"), col("value_b"))
        .orderBy(BenchColumns.ROLE, environment ? "category" : "key_group", "key");
  }

  private static Dataset<Row> values(Dataset<Row> entries, String job, String name) {
    return entries.where(col(BenchColumns.JOB_ID).equalTo(job))
        .withColumn(BenchColumns.ROLE, coalesce(col(BenchColumns.ROLE), lit("")))
        .groupBy(BenchColumns.ROLE, "key_group", "key")
        .agg(array_join(array_sort(collect_set(coalesce(col("value"), lit("")))), " | ")
            .as(name));
  }

  private static final String RUN_DIR_PATTERN = "^(.*/[^/_]+_[^/]+_[0-9]{8}_[0-9]{6})/";

  /**
   * {@code not_loaded_runs}: run directories with ingested files but no run in {@code
   * bench_runs}: reason {@code invalid: ...} when the metadata file was rejected, else {@code
   * missing} (no {@code {jobid}.json}).
   */
  static Dataset<Row> notLoaded(Dataset<Row> manifest, Dataset<Row> runs, Dataset<Row> rejects) {
    Dataset<Row> seen = manifest.where(col("family").equalTo(BenchColumns.FAMILY))
        .select(regexp_extract(col(BenchColumns.SOURCE_PATH), RUN_DIR_PATTERN, 1)
            .as(BenchColumns.RUN_DIR))
        .where(col(BenchColumns.RUN_DIR).notEqual(""))
        .distinct()
        .join(runs.select(BenchColumns.RUN_DIR), BenchColumns.RUN_DIR, "left_anti");
    Dataset<Row> invalid = rejects == null ? null : rejects
        .withColumn(BenchColumns.RUN_DIR, regexp_extract(col(BenchColumns.SOURCE_PATH),
            RUN_DIR_PATTERN, 1))
        .where(col(BenchColumns.SOURCE_PATH).endsWith(".json")
            .and(regexp_extract(col(BenchColumns.SOURCE_PATH), "/([^/_]+)_[^/]+_[0-9]{8}_"
                + "[0-9]{6}/([^/]+)\\.json$", 1).equalTo(regexp_extract(
                    col(BenchColumns.SOURCE_PATH), "/([^/]+)\\.json$", 1))))
        .groupBy(BenchColumns.RUN_DIR)
        .agg(org.apache.spark.sql.functions.first("reason").as("invalid_reason"));
    Column jobId = regexp_extract(col(BenchColumns.RUN_DIR), "/([^/_]+)_[^/]+_[0-9]{8}_[0-9]{6}$",
        1);
    Dataset<Row> withReason = invalid == null ? seen.withColumn("invalid_reason", lit(null))
        : seen.join(invalid, BenchColumns.RUN_DIR, "left");
    return withReason.select(jobId.as(BenchColumns.JOB_ID), col(BenchColumns.RUN_DIR),
            when(col("invalid_reason").isNull(), "missing: no {jobid}.json")
                .otherwise(org.apache.spark.sql.functions.concat(lit("invalid: "),
                    col("invalid_reason"))).as("reason"))
        .orderBy(BenchColumns.JOB_ID, BenchColumns.RUN_DIR);
  }

}
