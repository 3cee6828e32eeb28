package dev.servelens.workload;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.servelens.stats.Distributions;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The overview analyses (SPEC 2.W.1): summary, per-column counts, numeric distributions per
 * model and overall, categorical top-N, and requests per hour and day.
 */
final class WorkloadOverview {
  private WorkloadOverview() {}

  static final String ALL = "*";
  static final String COMPLETION_TPS = "completion_tps";
  private static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99, 0.999};
  private static final String[] QUANTILE_NAMES = {"p50", "p90", "p95", "p99", "p999"};

  /** The requests with the derived {@code completion_tps = tokens / duration}. */
  static Dataset<Row> withDerived(Dataset<Row> requests) {
    Column duration = col(WorkloadColumns.DURATION);
    return requests.withColumn(
        COMPLETION_TPS,
        when(duration.gt(0),
            col(WorkloadColumns.INPUT_TOKENS).plus(col(WorkloadColumns.OUTPUT_TOKENS))
                .divide(duration)));
  }

  /** The numeric columns summarised: the canonical ones and completion_tps. */
  static List<String> numericColumns() {
    List<String> columns = new ArrayList<>(List.of(WorkloadColumns.NUMERIC_COLUMNS));
    columns.add(COMPLETION_TPS);
    return columns;
  }

  /**
   * {@code column, model, count, nulls, mean, stddev, min, p50, p90, p95, p99, p999, max} for
   * every numeric column, per model and for the whole trace (model {@code *}). Percentiles are
   * approximate (relative rank error 1e-4; exact for small data).
   */
  static Dataset<Row> numericSummary(Dataset<Row> requests) {
    Dataset<Row> withDerived = withDerived(requests);
    Dataset<Row> perModel =
        summarise(withDerived.withColumn(WorkloadColumns.MODEL_ID,
            coalesce(col(WorkloadColumns.MODEL_ID), lit("(none)"))));
    Dataset<Row> overall = summarise(withDerived.withColumn(WorkloadColumns.MODEL_ID, lit(ALL)));
    return overall.unionByName(perModel).orderBy(col("column"), col("model"));
  }

  private static Dataset<Row> summarise(Dataset<Row> rows) {
    List<Column> aggregates = new ArrayList<>();
    List<String> columns = numericColumns();
    for (String column : columns) {
      Column v = col(column).cast("double");
      aggregates.add(count(v).as(column + "__count"));
      aggregates.add(sum(when(v.isNull(), 1).otherwise(0)).cast("long").as(column + "__nulls"));
      aggregates.add(avg(v).as(column + "__mean"));
      aggregates.add(stddev_samp(v).as(column + "__stddev"));
      aggregates.add(min(v).as(column + "__min"));
      aggregates.add(Distributions.percentiles(v, QUANTILES).as(column + "__quantiles"));
      aggregates.add(max(v).as(column + "__max"));
    }
    Dataset<Row> wide =
        rows.groupBy(WorkloadColumns.MODEL_ID)
            .agg(aggregates.get(0), aggregates.subList(1, aggregates.size())
                .toArray(new Column[0]))
            .cache();
    // One row per model: materialise it once, before the per-column selects read it.
    wide.count();
    Dataset<Row> result = null;
    for (String column : columns) {
      List<Column> select = new ArrayList<>();
      select.add(lit(column).as("column"));
      select.add(col(WorkloadColumns.MODEL_ID).as("model"));
      for (String stat : new String[] {"count", "nulls", "mean", "stddev", "min"}) {
        select.add(col(column + "__" + stat).as(stat));
      }
      for (int i = 0; i < QUANTILE_NAMES.length; i++) {
        select.add(col(column + "__quantiles").getItem(i).as(QUANTILE_NAMES[i]));
      }
      select.add(col(column + "__max").as("max"));
      Dataset<Row> one = wide.select(select.toArray(new Column[0]));
      result = result == null ? one : result.unionByName(one);
    }
    return result;
  }

  /** One row: requests, first and last start, span in days, distinct models and users. */
  static Dataset<Row> summary(Dataset<Row> requests) {
    return requests.agg(
            count(lit(1)).as("requests"),
            min(WorkloadColumns.STARTED_AT).as("first_started_at"),
            max(WorkloadColumns.STARTED_AT).as("last_started_at"),
            approx_count_distinct(WorkloadColumns.MODEL_ID).as("models_approx"),
            approx_count_distinct(WorkloadColumns.USER_ID).as("users_approx"))
        .withColumn(
            "span_days",
            col("last_started_at").cast("double").minus(col("first_started_at").cast("double"))
                .divide(86_400.0));
  }

  /** {@code column, non_null, nulls, distinct_approx} for every canonical column. */
  static Dataset<Row> columnCounts(Dataset<Row> requests) {
    List<Column> aggregates = new ArrayList<>();
    String[] columns = {
      WorkloadColumns.USER_ID, WorkloadColumns.MODEL_ID, WorkloadColumns.INPUT_TOKENS,
      WorkloadColumns.OUTPUT_TOKENS, WorkloadColumns.STARTED_AT, WorkloadColumns.COMPLETED_AT,
      WorkloadColumns.TTFT, WorkloadColumns.DURATION
    };
    for (String column : columns) {
      aggregates.add(count(col(column)).as(column + "__non_null"));
      aggregates.add(approx_count_distinct(col(column)).as(column + "__distinct"));
    }
    aggregates.add(count(lit(1)).as("__rows"));
    Dataset<Row> wide =
        requests.agg(aggregates.get(0), aggregates.subList(1, aggregates.size())
            .toArray(new Column[0])).cache();
    wide.count();
    Dataset<Row> result = null;
    for (String column : columns) {
      Dataset<Row> one =
          wide.select(
              lit(column).as("column"),
              col(column + "__non_null").as("non_null"),
              col("__rows").minus(col(column + "__non_null")).as("nulls"),
              col(column + "__distinct").as("distinct_approx"));
      result = result == null ? one : result.unionByName(one);
    }
    return result;
  }

  /**
   * The top {@code topN} values of a categorical column by requests (ties by value), then one
   * row {@code (other)} for the rest: {@code column, rank, value, requests, share}.
   */
  static Dataset<Row> categorical(Dataset<Row> requests, String column, int topN, long total) {
    Dataset<Row> counts =
        requests.groupBy(col(column).cast("string").as("value"))
            .agg(count(lit(1)).as("requests"));
    List<Row> top =
        counts.orderBy(desc("requests"), col("value").asc_nulls_last()).limit(topN)
            .collectAsList();
    List<Row> rows = new ArrayList<>();
    long shown = 0;
    for (int i = 0; i < top.size(); i++) {
      long n = top.get(i).getLong(1);
      shown += n;
      rows.add(RowFactory.create(column, i + 1, top.get(i).getString(0), n,
          n / (double) Math.max(total, 1)));
    }
    if (total > shown) {
      rows.add(RowFactory.create(column, top.size() + 1, "(other)", total - shown,
          (total - shown) / (double) total));
    }
    return requests.sparkSession().createDataFrame(rows, CATEGORICAL_SCHEMA);
  }

  private static final StructType CATEGORICAL_SCHEMA =
      new StructType()
          .add("column", DataTypes.StringType)
          .add("rank", DataTypes.IntegerType)
          .add("value", DataTypes.StringType)
          .add("requests", DataTypes.LongType)
          .add("share", DataTypes.DoubleType);

  /**
   * For each categorical column, the CDF over its distinct values of the requests each value
   * has: {@code series} (the column), {@code value} (requests of one distinct value), {@code
   * cdf}. Thinned for plotting.
   */
  static Dataset<Row> uniqueValueCdf(Dataset<Row> requests, List<String> columns,
      int partitions) {
    Dataset<Row> perValue = null;
    for (String column : columns) {
      Dataset<Row> one = requests.where(col(column).isNotNull()).groupBy(col(column))
          .agg(count(lit(1)).as(Distributions.VALUE))
          .select(lit(column).as(Distributions.SERIES), col(Distributions.VALUE));
      perValue = perValue == null ? one : perValue.unionByName(one);
    }
    return Distributions.thin(Distributions.cdf(perValue, partitions))
        .select(Distributions.SERIES, Distributions.VALUE, Distributions.CDF)
        .orderBy(Distributions.SERIES, Distributions.VALUE);
  }

  /** Requests per {@code unit} ("hour" or "day") over the span: {@code period, requests}. */
  static Dataset<Row> requestsPer(Dataset<Row> requests, String unit) {
    Dataset<Row> counts =
        requests
            .groupBy(date_trunc(unit, col(WorkloadColumns.STARTED_AT)).as("period"))
            .agg(count(lit(1)).as("requests"));
    // Every period of the span, quiet ones with 0: a bounded sequence (the span's periods).
    Dataset<Row> periods =
        counts.agg(min("period").as("first"), max("period").as("last"))
            .select(explode(sequence(col("first"), col("last"),
                expr("interval 1 " + unit))).as("period"));
    return periods.join(counts, scalaSeq("period"), "left")
        .select(col("period"), coalesce(col("requests"), lit(0L)).as("requests"))
        .orderBy("period");
  }

  private static scala.collection.Seq<String> scalaSeq(String name) {
    return scala.collection.JavaConverters.asScalaBuffer(List.of(name)).toSeq();
  }
}
