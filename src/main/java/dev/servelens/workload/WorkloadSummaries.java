package dev.servelens.workload;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.servelens.stats.Distributions;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The per-model and whole-trace aggregates of one scan (SPEC 2.W.1 and the totals the other
 * analyses need), computed in a single Spark aggregation: each request counts once for its
 * model, once for the whole trace and once for its hour. One row per model, one for the trace
 * and one per hour come back to the driver, which builds the overview tables from them.
 */
final class WorkloadSummaries {
  static final String[] COUNTED_COLUMNS = {
    WorkloadColumns.USER_ID, WorkloadColumns.MODEL_ID, WorkloadColumns.INPUT_TOKENS,
    WorkloadColumns.OUTPUT_TOKENS, WorkloadColumns.STARTED_AT, WorkloadColumns.COMPLETED_AT,
    WorkloadColumns.TTFT, WorkloadColumns.DURATION
  };

  private static final int MODEL = 0;
  private static final int TRACE = 1;
  private static final int HOUR = 2;
  private static final String KIND = "_kind";
  private static final String KEY = "_model";
  private static final String PERIOD = "_period";

  /** The moments and approximate percentiles of one numeric column in one group. */
  record Numeric(long count, long nulls, Double mean, Double stddev, Double min,
      List<Double> quantiles, Double max) {}

  /** One model's (or the whole trace's) aggregates. */
  record Group(
      String model,
      long requests,
      Map<String, Numeric> numeric,
      long zeroInput,
      long missingTokens,
      long inputValues,
      long outputValues,
      long ratioValues) {}

  /** The whole trace's own aggregates. */
  record Trace(
      Group all,
      Timestamp firstStarted,
      Timestamp lastStarted,
      Map<String, Long> nonNull,
      Map<String, Long> distinctApprox) {}

  final Trace trace;
  /** Per model, null model included (key null), in no particular order. */
  final List<Group> models;
  /** Requests per hour (start of the hour), quiet hours absent. */
  final TreeMap<Timestamp, Long> hours;

  private WorkloadSummaries(Trace trace, List<Group> models, TreeMap<Timestamp, Long> hours) {
    this.trace = trace;
    this.models = models;
    this.hours = hours;
  }

  /** Runs the aggregation over {@code requests} (one Spark action). */
  static WorkloadSummaries of(Dataset<Row> requests) {
    Dataset<Row> keyed =
        WorkloadOverview.withDerived(requests)
            .withColumn("_k", explode(array(
                struct(lit(MODEL).as(KIND), col(WorkloadColumns.MODEL_ID).as(KEY),
                    lit(null).cast("timestamp").as(PERIOD)),
                struct(lit(TRACE).as(KIND), lit(null).cast("string").as(KEY),
                    lit(null).cast("timestamp").as(PERIOD)),
                struct(lit(HOUR).as(KIND), lit(null).cast("string").as(KEY),
                    date_trunc("hour", col(WorkloadColumns.STARTED_AT)).as(PERIOD)))))
            .select(col("*"), col("_k." + KIND).as(KIND), col("_k." + KEY).as(KEY),
                col("_k." + PERIOD).as(PERIOD));
    Column grouped = col(KIND).notEqual(HOUR);
    Column trace = col(KIND).equalTo(TRACE);
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)).as("rows"));
    for (String column : WorkloadOverview.numericColumns()) {
      Column v = when(grouped, col(column).cast("double"));
      aggregates.add(count(v).as(column + "__count"));
      aggregates.add(sum(when(grouped.and(col(column).isNull()), 1).otherwise(0)).cast("long")
          .as(column + "__nulls"));
      aggregates.add(avg(v).as(column + "__mean"));
      aggregates.add(stddev_samp(v).as(column + "__stddev"));
      aggregates.add(min(v).as(column + "__min"));
      aggregates.add(Distributions.percentiles(v, WorkloadOverview.QUANTILES).as(column + "__quantiles"));
      aggregates.add(max(v).as(column + "__max"));
    }
    Column input = col(WorkloadColumns.INPUT_TOKENS);
    Column output = col(WorkloadColumns.OUTPUT_TOKENS);
    aggregates.add(sum(when(grouped.and(input.equalTo(0)), 1).otherwise(0)).cast("long")
        .as("zero_input"));
    aggregates.add(sum(when(grouped.and(input.isNull().or(output.isNull())), 1).otherwise(0))
        .cast("long").as("missing_tokens"));
    aggregates.add(count(when(grouped.and(input.gt(0)), output)).as("ratio_values"));
    aggregates.add(min(when(trace, col(WorkloadColumns.STARTED_AT))).as("first_started_at"));
    aggregates.add(max(when(trace, col(WorkloadColumns.STARTED_AT))).as("last_started_at"));
    for (String column : COUNTED_COLUMNS) {
      aggregates.add(count(when(trace, col(column))).as(column + "__non_null"));
      aggregates.add(approx_count_distinct(when(trace, col(column))).as(column + "__distinct"));
    }
    List<Row> rows =
        keyed.groupBy(col(KIND), col(KEY), col(PERIOD))
            .agg(aggregates.get(0), aggregates.subList(1, aggregates.size())
                .toArray(new Column[0]))
            .collectAsList();
    return fromRows(rows);
  }

  private static WorkloadSummaries fromRows(List<Row> rows) {
    Trace trace = null;
    List<Group> models = new ArrayList<>();
    TreeMap<Timestamp, Long> hours = new TreeMap<>();
    for (Row row : rows) {
      int kind = row.getInt(row.fieldIndex(KIND));
      long requests = row.getLong(row.fieldIndex("rows"));
      if (kind == HOUR) {
        Timestamp period = row.getTimestamp(row.fieldIndex(PERIOD));
        if (period != null) {
          hours.put(period, requests);
        }
        continue;
      }
      Group group = group(row, row.getString(row.fieldIndex(KEY)), requests);
      if (kind == MODEL) {
        models.add(group);
        continue;
      }
      Map<String, Long> nonNull = new HashMap<>();
      Map<String, Long> distinct = new HashMap<>();
      for (String column : COUNTED_COLUMNS) {
        nonNull.put(column, row.getLong(row.fieldIndex(column + "__non_null")));
        distinct.put(column, row.getLong(row.fieldIndex(column + "__distinct")));
      }
      trace = new Trace(group, row.getTimestamp(row.fieldIndex("first_started_at")),
          row.getTimestamp(row.fieldIndex("last_started_at")), nonNull, distinct);
    }
    return new WorkloadSummaries(trace, models, hours);
  }

  private static Group group(Row row, String model, long requests) {
    Map<String, Numeric> numeric = new HashMap<>();
    for (String column : WorkloadOverview.numericColumns()) {
      List<Double> quantiles = row.isNullAt(row.fieldIndex(column + "__quantiles"))
          ? null : row.getList(row.fieldIndex(column + "__quantiles"));
      numeric.put(column, new Numeric(
          row.getLong(row.fieldIndex(column + "__count")),
          row.getLong(row.fieldIndex(column + "__nulls")),
          nullableDouble(row, column + "__mean"),
          nullableDouble(row, column + "__stddev"),
          nullableDouble(row, column + "__min"),
          quantiles,
          nullableDouble(row, column + "__max")));
    }
    return new Group(model, requests, numeric,
        row.getLong(row.fieldIndex("zero_input")),
        row.getLong(row.fieldIndex("missing_tokens")),
        numeric.get(WorkloadColumns.INPUT_TOKENS).count(),
        numeric.get(WorkloadColumns.OUTPUT_TOKENS).count(),
        row.getLong(row.fieldIndex("ratio_values")));
  }

  private static Double nullableDouble(Row row, String field) {
    int index = row.fieldIndex(field);
    return row.isNullAt(index) ? null : row.getDouble(index);
  }

  long rows() {
    return trace == null ? 0 : trace.all().requests();
  }
}
