package dev.servelens.workload;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.servelens.stats.Distributions;
import dev.servelens.stats.ExactCdfs;
import dev.servelens.stats.Frequencies;
import dev.servelens.stats.SparkOrder;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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
  /** The model shown for requests without one in the numeric summary. */
  static final String NO_MODEL = "(none)";
  static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99, 0.999};
  private static final String[] QUANTILE_NAMES = {"p50", "p90", "p95", "p99", "p999"};

  /** The requests with the derived {@code completion_tps = tokens / duration}. */
  static Dataset<Row> withDerived(Dataset<Row> requests) {
    return requests.withColumn(COMPLETION_TPS, completionTps());
  }

  /** {@code completion_tps}: (input + output tokens) / duration, null unless duration > 0. */
  static Column completionTps() {
    Column duration = col(WorkloadColumns.DURATION);
    return when(duration.gt(0),
        col(WorkloadColumns.INPUT_TOKENS).plus(col(WorkloadColumns.OUTPUT_TOKENS))
            .divide(duration));
  }

  /** The numeric columns summarised: the canonical ones and completion_tps. */
  static List<String> numericColumns() {
    List<String> columns = new ArrayList<>(List.of(WorkloadColumns.NUMERIC_COLUMNS));
    columns.add(COMPLETION_TPS);
    return columns;
  }

  /**
   * {@code column, model, count, nulls, mean, stddev, min, p50, p90, p95, p99, p999, max} for
   * every numeric column, per model and for the whole trace (model {@code *}), ordered by column
   * and model. Percentiles are exact: the smallest value v with CDF(v) >= q, from {@code cdfs}
   * (series {@link WorkloadTokens#cdfSeries}, the requests without a model under {@link
   * WorkloadTokens#NO_MODEL}).
   */
  static List<Row> numericSummary(WorkloadSummaries summaries,
      Map<String, ExactCdfs.Result> cdfs) {
    List<WorkloadSummaries.Group> groups = new ArrayList<>();
    groups.add(summaries.trace.all());
    groups.addAll(summaries.models);
    List<Row> rows = new ArrayList<>();
    List<String> columns = numericColumns();
    columns.sort(SparkOrder::compare);
    for (String column : columns) {
      List<Row> perColumn = new ArrayList<>();
      for (WorkloadSummaries.Group group : groups) {
        String model = group == summaries.trace.all() ? ALL
            : group.model() == null ? NO_MODEL : group.model();
        WorkloadSummaries.Numeric n = group.numeric().get(column);
        Object[] values = new Object[7 + QUANTILE_NAMES.length + 1];
        values[0] = column;
        values[1] = model;
        values[2] = n.count();
        values[3] = n.nulls();
        values[4] = n.mean();
        values[5] = n.stddev();
        values[6] = n.min();
        String series = group == summaries.trace.all() ? ALL
            : group.model() == null ? WorkloadTokens.NO_MODEL : group.model();
        ExactCdfs.Result cdf = cdfs.get(WorkloadTokens.cdfSeries(column, series));
        for (int i = 0; i < QUANTILE_NAMES.length; i++) {
          values[7 + i] = cdf == null ? null : cdf.quantile(QUANTILES[i]);
        }
        values[values.length - 1] = n.max();
        perColumn.add(RowFactory.create(values));
      }
      perColumn.sort((a, b) -> SparkOrder.compare(a.getString(1), b.getString(1)));
      rows.addAll(perColumn);
    }
    return rows;
  }

  static final StructType NUMERIC_SCHEMA = numericSchema();

  private static StructType numericSchema() {
    StructType schema = new StructType()
        .add("column", DataTypes.StringType, false)
        .add("model", DataTypes.StringType)
        .add("count", DataTypes.LongType)
        .add("nulls", DataTypes.LongType)
        .add("mean", DataTypes.DoubleType)
        .add("stddev", DataTypes.DoubleType)
        .add("min", DataTypes.DoubleType);
    for (String name : QUANTILE_NAMES) {
      schema = schema.add(name, DataTypes.DoubleType);
    }
    return schema.add("max", DataTypes.DoubleType);
  }

  /** One row: requests, first and last start, span in days, distinct models and users. */
  static List<Row> summary(WorkloadSummaries summaries) {
    WorkloadSummaries.Trace trace = summaries.trace;
    Double span = trace.firstStarted() == null || trace.lastStarted() == null ? null
        : (seconds(trace.lastStarted()) - seconds(trace.firstStarted())) / 86_400.0;
    return List.of(RowFactory.create(trace.all().requests(), trace.firstStarted(),
        trace.lastStarted(), trace.distinctApprox().get(WorkloadColumns.MODEL_ID),
        trace.distinctApprox().get(WorkloadColumns.USER_ID), span));
  }

  static final StructType SUMMARY_SCHEMA = new StructType()
      .add("requests", DataTypes.LongType)
      .add("first_started_at", DataTypes.TimestampType)
      .add("last_started_at", DataTypes.TimestampType)
      .add("models_approx", DataTypes.LongType)
      .add("users_approx", DataTypes.LongType)
      .add("span_days", DataTypes.DoubleType);

  /** A timestamp as Spark casts it to double: seconds, with the microseconds as fraction. */
  private static double seconds(Timestamp timestamp) {
    long micros = Math.floorDiv(timestamp.getTime(), 1000L) * 1_000_000L
        + timestamp.getNanos() / 1000;
    return micros / 1_000_000.0;
  }

  /** {@code column, non_null, nulls, distinct_approx} for every canonical column. */
  static List<Row> columnCounts(WorkloadSummaries summaries) {
    WorkloadSummaries.Trace trace = summaries.trace;
    List<Row> rows = new ArrayList<>();
    for (String column : WorkloadSummaries.COUNTED_COLUMNS) {
      long nonNull = trace.nonNull().get(column);
      rows.add(RowFactory.create(column, nonNull, trace.all().requests() - nonNull,
          trace.distinctApprox().get(column)));
    }
    return rows;
  }

  static final StructType COLUMNS_SCHEMA = new StructType()
      .add("column", DataTypes.StringType, false)
      .add("non_null", DataTypes.LongType)
      .add("nulls", DataTypes.LongType)
      .add("distinct_approx", DataTypes.LongType);

  /** {@code model, requests, zero_input_excluded, missing_tokens}: rows left out of the ratio. */
  static List<Row> ratioExclusions(WorkloadSummaries summaries) {
    List<WorkloadSummaries.Group> models = new ArrayList<>(summaries.models);
    models.sort((a, b) -> SparkOrder.compare(a.model(), b.model()));
    List<Row> rows = new ArrayList<>();
    for (WorkloadSummaries.Group model : models) {
      rows.add(RowFactory.create(model.model(), model.requests(), model.zeroInput(),
          model.missingTokens()));
    }
    return rows;
  }

  static final StructType RATIO_EXCLUSIONS_SCHEMA = new StructType()
      .add("model", DataTypes.StringType)
      .add("requests", DataTypes.LongType)
      .add("zero_input_excluded", DataTypes.LongType)
      .add("missing_tokens", DataTypes.LongType);

  /**
   * The top {@code topN} values of a categorical column by requests (ties by value, null last),
   * then one row {@code (other)} for the rest: {@code column, rank, value, requests, share}.
   *
   * @param counts requests per value (null for rows without one); all of them, or at least
   *     the top {@code topN}
   */
  static List<Row> categorical(String column, Map<String, Long> counts, int topN, long total) {
    List<Map.Entry<String, Long>> top = topValues(counts, topN);
    List<Row> rows = new ArrayList<>();
    long shown = 0;
    for (int i = 0; i < top.size(); i++) {
      long n = top.get(i).getValue();
      shown += n;
      rows.add(RowFactory.create(column, i + 1, top.get(i).getKey(), n,
          n / (double) Math.max(total, 1)));
    }
    if (total > shown) {
      rows.add(RowFactory.create(column, top.size() + 1, OTHER, total - shown,
          (total - shown) / (double) total));
    }
    return rows;
  }

  /** The {@code n} values with most requests, ties by value (null last). */
  static List<Map.Entry<String, Long>> topValues(Map<String, Long> counts, int n) {
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort((a, b) -> {
      int byCount = Long.compare(b.getValue(), a.getValue());
      if (byCount != 0) {
        return byCount;
      }
      if (a.getKey() == null || b.getKey() == null) {
        return a.getKey() == null ? (b.getKey() == null ? 0 : 1) : -1;
      }
      return SparkOrder.compare(a.getKey(), b.getKey());
    });
    return sorted.subList(0, Math.min(n, sorted.size()));
  }

  /** Requests per model, the rows without a model under null. */
  static Map<String, Long> requestsPerModel(WorkloadSummaries summaries) {
    Map<String, Long> counts = new HashMap<>();
    for (WorkloadSummaries.Group model : summaries.models) {
      counts.put(model.model(), model.requests());
    }
    return counts;
  }

  /** The category of the requests outside the top values. */
  static final String OTHER = "(other)";

  /**
   * Bar figure rows of a categorical column: {@link #categorical} with the requests without a
   * value named {@link #NO_MODEL} (a bar needs a name), so the top {@code topN} and the
   * {@code (other)} bar together hold every request.
   */
  static List<Row> topBars(String column, Map<String, Long> counts, int topN, long total) {
    List<Row> rows = new ArrayList<>();
    for (Row row : categorical(column, counts, topN, total)) {
      rows.add(row.isNullAt(2) ? RowFactory.create(row.get(0), row.get(1), NO_MODEL, row.get(3),
          row.get(4)) : row);
    }
    return rows;
  }

  /**
   * {@code rank, model, series, tokens}: the input and output tokens (sums over the requests
   * that have them) of the {@code topN} models with most requests, in that order, then of the
   * rest as {@code (other)} (the whole trace's sums less the shown models'); a row per metric
   * in {@code metrics}.
   */
  static List<Row> tokensPerModel(WorkloadSummaries summaries, int topN, List<String> metrics) {
    Map<String, WorkloadSummaries.Group> byModel = new HashMap<>();
    summaries.models.forEach(group -> byModel.put(group.model(), group));
    List<Row> rows = new ArrayList<>();
    long[] shown = new long[2];
    long shownRequests = 0;
    int rank = 0;
    for (Map.Entry<String, Long> model : topValues(requestsPerModel(summaries), topN)) {
      WorkloadSummaries.Group group = byModel.get(model.getKey());
      long[] tokens = {group.inputTokensSum(), group.outputTokensSum()};
      rank++;
      addTokenRows(rows, rank, model.getKey() == null ? NO_MODEL : model.getKey(), tokens,
          metrics);
      shown[0] += tokens[0];
      shown[1] += tokens[1];
      shownRequests += group.requests();
    }
    WorkloadSummaries.Group all = summaries.trace.all();
    if (all.requests() > shownRequests) {
      addTokenRows(rows, rank + 1, OTHER, new long[] {all.inputTokensSum() - shown[0],
          all.outputTokensSum() - shown[1]}, metrics);
    }
    return rows;
  }

  private static void addTokenRows(List<Row> rows, int rank, String model, long[] tokens,
      List<String> metrics) {
    if (metrics.contains(WorkloadColumns.INPUT_TOKENS)) {
      rows.add(RowFactory.create(rank, model, WorkloadColumns.INPUT_TOKENS, tokens[0]));
    }
    if (metrics.contains(WorkloadColumns.OUTPUT_TOKENS)) {
      rows.add(RowFactory.create(rank, model, WorkloadColumns.OUTPUT_TOKENS, tokens[1]));
    }
  }

  static final StructType TOKENS_PER_MODEL_SCHEMA = new StructType()
      .add("rank", DataTypes.IntegerType, false)
      .add("model", DataTypes.StringType, false)
      .add(Distributions.SERIES, DataTypes.StringType, false)
      .add("tokens", DataTypes.LongType, false);

  static final StructType CATEGORICAL_SCHEMA =
      new StructType()
          .add("column", DataTypes.StringType)
          .add("rank", DataTypes.IntegerType)
          .add("value", DataTypes.StringType)
          .add("requests", DataTypes.LongType)
          .add("share", DataTypes.DoubleType);

  /**
   * The CDF over the distinct values of a categorical column of the requests each value has,
   * thinned for plotting: rows {@code series} (the column), {@code value}, {@code cdf}.
   */
  static List<Row> uniqueValueCdf(String column, Frequencies<Long> requestsPerValue) {
    List<Row> rows = new ArrayList<>();
    for (Frequencies.Point<Long> point : requestsPerValue.thinnedCdf()) {
      rows.add(RowFactory.create(column, point.value(), point.cdf()));
    }
    return rows;
  }

  static final StructType UNIQUE_VALUE_CDF_SCHEMA = new StructType()
      .add(Distributions.SERIES, DataTypes.StringType, false)
      .add(Distributions.VALUE, DataTypes.LongType, false)
      .add(Distributions.CDF, DataTypes.DoubleType);

  /**
   * Requests per {@code unit} ("hour" or "day") over the span, quiet periods with 0: {@code
   * period, requests}, from the requests per hour.
   */
  static List<Row> requestsPer(TreeMap<Timestamp, Long> hours, String unit) {
    long step = unit.equals("hour") ? 3_600_000L : 86_400_000L;
    TreeMap<Long, Long> counts = new TreeMap<>();
    for (Map.Entry<Timestamp, Long> hour : hours.entrySet()) {
      long start = Math.floorDiv(hour.getKey().getTime(), step) * step;
      counts.merge(start, hour.getValue(), Long::sum);
    }
    List<Row> rows = new ArrayList<>();
    if (counts.isEmpty()) {
      return rows;
    }
    for (long period = counts.firstKey(); period <= counts.lastKey(); period += step) {
      rows.add(RowFactory.create(new Timestamp(period), counts.getOrDefault(period, 0L)));
    }
    return rows;
  }

  /** Requests per hour of day (UTC, 0-23) summed over every day: 24 rows, 0 for a quiet hour. */
  static List<Row> requestsByHourOfDay(TreeMap<Timestamp, Long> hours) {
    long[] counts = new long[24];
    for (Map.Entry<Timestamp, Long> hour : hours.entrySet()) {
      counts[(int) Math.floorMod(Math.floorDiv(hour.getKey().getTime(), 3_600_000L), 24L)] +=
          hour.getValue();
    }
    List<Row> rows = new ArrayList<>();
    for (int hour = 0; hour < counts.length; hour++) {
      rows.add(RowFactory.create(hour, counts[hour]));
    }
    return rows;
  }

  /**
   * Requests per minute of the day (UTC), summed over every day of the trace: for a one-day
   * trace, its requests minute by minute. Every minute 0-1439 has a row (0 when quiet); {@code
   * time} is the minute as HH:MM.
   */
  static List<Row> requestsByMinuteOfDay(long[] minutesOfDay) {
    List<Row> rows = new ArrayList<>();
    for (int minute = 0; minute < minutesOfDay.length; minute++) {
      rows.add(RowFactory.create(minute, String.format(Locale.ROOT, "%02d:%02d", minute / 60,
          minute % 60), minutesOfDay[minute]));
    }
    return rows;
  }

  static final StructType MINUTE_OF_DAY_SCHEMA = new StructType()
      .add("minute", DataTypes.IntegerType, false)
      .add("time", DataTypes.StringType, false)
      .add("requests", DataTypes.LongType, false);

  static final StructType HOUR_OF_DAY_SCHEMA = new StructType()
      .add("hour", DataTypes.IntegerType, false)
      .add("requests", DataTypes.LongType, false);

  static final StructType REQUESTS_PER_SCHEMA = new StructType()
      .add("period", DataTypes.TimestampType)
      .add("requests", DataTypes.LongType, false);
}
