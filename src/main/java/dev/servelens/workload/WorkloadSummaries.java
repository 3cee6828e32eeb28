package dev.servelens.workload;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.servelens.stats.SparkOrder;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;

/**
 * The per-model and whole-trace aggregates (SPEC 2.W.1 and the totals the other analyses
 * need): one aggregation for the models and the whole trace together, and one per model and
 * hour and per minute of the day. One row per model, one for the trace, one per model and hour
 * and one per minute of the day come back to the driver, which builds the overview tables from
 * them.
 */
final class WorkloadSummaries {
  static final String[] COUNTED_COLUMNS = {
    WorkloadColumns.USER_ID, WorkloadColumns.MODEL_ID, WorkloadColumns.INPUT_TOKENS,
    WorkloadColumns.OUTPUT_TOKENS, WorkloadColumns.STARTED_AT, WorkloadColumns.COMPLETED_AT,
    WorkloadColumns.TTFT, WorkloadColumns.DURATION
  };


  /** The moments of one numeric column in one group (its percentiles are exact CDFs'). */
  record Numeric(long count, long nulls, Double mean, Double stddev, Double min, Double max) {}

  /** One model's (or the whole trace's) aggregates. */
  record Group(
      String model,
      long requests,
      Map<String, Numeric> numeric,
      long zeroInput,
      long missingTokens,
      long inputTokensSum,
      long outputTokensSum) {}

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

  /** Requests per minute of the day (UTC, 0 = 00:00), summed over every day. */
  final long[] minutesOfDay;

  /**
   * {@link WorkloadThroughput#SCHEMA} rows: requests and throughput means per model and hour,
   * by model and hour.
   */
  final List<Row> modelHours;

  private WorkloadSummaries(Trace trace, List<Group> models, TreeMap<Timestamp, Long> hours,
      long[] minutesOfDay, List<Row> modelHours) {
    this.minutesOfDay = minutesOfDay;
    this.modelHours = modelHours;
    this.trace = trace;
    this.models = models;
    this.hours = hours;
  }

  /**
   * Runs the aggregations over {@code requests}: per model and over the whole trace, and
   * requests per hour and per minute of the day (two Spark actions, returning a row per model
   * and one for the trace, and a row per hour and per minute of the day).
   */
  static WorkloadSummaries of(Dataset<Row> requests) {
    // Every row twice, in its model's group and in the trace's: one aggregation for both. The
    // trace's own aggregates see nulls in the model groups.
    Column traceScope = col(SCOPE).equalTo(TRACE);
    Dataset<Row> derived = WorkloadOverview.withDerived(requests)
        .withColumn(SCOPE, explode(array(lit(MODEL), lit(TRACE))));
    List<Column> aggregates = groupAggregates();
    aggregates.add(min(when(traceScope, col(WorkloadColumns.STARTED_AT)))
        .as("first_started_at"));
    aggregates.add(max(when(traceScope, col(WorkloadColumns.STARTED_AT)))
        .as("last_started_at"));
    for (String column : COUNTED_COLUMNS) {
      aggregates.add(count(when(traceScope, col(column))).as(column + "__non_null"));
      aggregates.add(approx_count_distinct(when(traceScope, col(column)))
          .as(column + "__distinct"));
    }
    List<Group> models = new ArrayList<>();
    Trace trace = null;
    for (Row row : derived
        .groupBy(col(SCOPE),
            when(col(SCOPE).equalTo(MODEL), col(WorkloadColumns.MODEL_ID)).as("_model"))
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(new Column[0]))
        .collectAsList()) {
      long rows = row.getLong(row.fieldIndex("rows"));
      if (row.getInt(0) == MODEL) {
        models.add(group(row, row.getString(1), rows));
        continue;
      }
      Map<String, Long> nonNull = new HashMap<>();
      Map<String, Long> distinct = new HashMap<>();
      for (String column : COUNTED_COLUMNS) {
        nonNull.put(column, row.getLong(row.fieldIndex(column + "__non_null")));
        distinct.put(column, row.getLong(row.fieldIndex(column + "__distinct")));
      }
      trace = new Trace(group(row, null, rows),
          row.getTimestamp(row.fieldIndex("first_started_at")),
          row.getTimestamp(row.fieldIndex("last_started_at")), nonNull, distinct);
    }
    // Requests per model and hour, with the means of the per-request throughput measures, and
    // requests per minute of the day (UTC): one aggregation, each request counted once under
    // its (model, hour) and once under its minute of the day.
    Column started = col(WorkloadColumns.STARTED_AT);
    Column byHour = struct(date_trunc("hour", started).as("hour"),
        col(WorkloadColumns.MODEL_ID).as("model"),
        lit(null).cast(DataTypes.IntegerType).as("minute"));
    Column byMinute = struct(lit(null).cast(DataTypes.TimestampType).as("hour"),
        lit(null).cast(DataTypes.StringType).as("model"),
        pmod(floor(started.cast(DataTypes.DoubleType).divide(60)), lit(MINUTES_PER_DAY))
            .cast(DataTypes.IntegerType).as("minute"));
    List<Column> select = new ArrayList<>(List.of(explode(array(byHour, byMinute)).as("key")));
    select.addAll(WorkloadThroughput.perRequest());
    List<Column> measures = new ArrayList<>();
    for (String measure : WorkloadThroughput.MEASURES) {
      measures.add(count(col(measure)));
      measures.add(avg(col(measure)));
    }
    TreeMap<Timestamp, Long> hours = new TreeMap<>();
    List<Row> modelHours = new ArrayList<>();
    long[] minutesOfDay = new long[MINUTES_PER_DAY];
    for (Row key : requests.where(started.isNotNull())
        .select(select.toArray(new Column[0]))
        .groupBy(col("key.hour"), col("key.model"), col("key.minute"))
        .agg(count(lit(1)), measures.toArray(new Column[0])).collectAsList()) {
      if (key.isNullAt(0)) {
        minutesOfDay[key.getInt(2)] = key.getLong(3);
        continue;
      }
      hours.merge(key.getTimestamp(0), key.getLong(3), Long::sum);
      if (!key.isNullAt(1)) {
        Object[] values = new Object[WorkloadThroughput.SCHEMA.size()];
        values[0] = key.getString(1);
        values[1] = key.getTimestamp(0);
        for (int i = 2; i < values.length; i++) {
          values[i] = key.get(i + 1);
        }
        modelHours.add(RowFactory.create(values));
      }
    }
    modelHours.sort(Comparator.<Row, String>comparing(row -> row.getString(0), SparkOrder::compare)
        .thenComparing(row -> row.getTimestamp(1)));
    return new WorkloadSummaries(trace, models, hours, minutesOfDay, modelHours);
  }

  static final int MINUTES_PER_DAY = 24 * 60;

  private static final String SCOPE = "_scope";
  private static final int MODEL = 0;
  private static final int TRACE = 1;

  /** The aggregates of every group (a model, or the whole trace). */
  private static List<Column> groupAggregates() {
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)).as("rows"));
    for (String column : WorkloadOverview.numericColumns()) {
      Column v = col(column).cast("double");
      aggregates.add(count(v).as(column + "__count"));
      aggregates.add(sum(when(v.isNull(), 1).otherwise(0)).cast("long").as(column + "__nulls"));
      aggregates.add(avg(v).as(column + "__mean"));
      aggregates.add(stddev_samp(v).as(column + "__stddev"));
      aggregates.add(min(v).as(column + "__min"));
      aggregates.add(max(v).as(column + "__max"));
    }
    Column input = col(WorkloadColumns.INPUT_TOKENS);
    Column output = col(WorkloadColumns.OUTPUT_TOKENS);
    aggregates.add(sum(when(input.equalTo(0), 1).otherwise(0)).cast("long").as("zero_input"));
    aggregates.add(sum(when(input.isNull().or(output.isNull()), 1).otherwise(0)).cast("long")
        .as("missing_tokens"));
    aggregates.add(sum(input).cast("long").as("input_tokens__sum"));
    aggregates.add(sum(output).cast("long").as("output_tokens__sum"));
    return aggregates;
  }

  private static Group group(Row row, String model, long requests) {
    Map<String, Numeric> numeric = new HashMap<>();
    for (String column : WorkloadOverview.numericColumns()) {
      numeric.put(column, new Numeric(
          row.getLong(row.fieldIndex(column + "__count")),
          row.getLong(row.fieldIndex(column + "__nulls")),
          nullableDouble(row, column + "__mean"),
          nullableDouble(row, column + "__stddev"),
          nullableDouble(row, column + "__min"),
          nullableDouble(row, column + "__max")));
    }
    return new Group(model, requests, numeric,
        row.getLong(row.fieldIndex("zero_input")),
        row.getLong(row.fieldIndex("missing_tokens")),
        nullAsZero(row, "input_tokens__sum"),
        nullAsZero(row, "output_tokens__sum"));
  }

  /** A sum over no values (null in Spark) as 0. */
  private static long nullAsZero(Row row, String field) {
    int index = row.fieldIndex(field);
    return row.isNullAt(index) ? 0 : row.getLong(index);
  }

  private static Double nullableDouble(Row row, String field) {
    int index = row.fieldIndex(field);
    return row.isNullAt(index) ? null : row.getDouble(index);
  }

  long rows() {
    return trace == null ? 0 : trace.all().requests();
  }
}
