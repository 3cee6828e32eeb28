package dev.servelens.workload;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;

import dev.servelens.catalog.Catalog;
import dev.servelens.figures.Figures;
import dev.servelens.io.OutputSet;
import dev.servelens.io.SessionSettings;
import dev.servelens.io.TableOutput;
import dev.servelens.stats.Distributions;
import dev.servelens.stats.ExactCdfs;
import dev.servelens.stats.Frequencies;
import dev.servelens.stats.SparkOrder;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every workload analysis of SPEC 2.W over the catalog and writes the tables and figure
 * data of the output contract under {@code <out>/workload/}, in a few passes over the data:
 * one aggregation for the per-model and whole-trace summaries, one scan for the inter-arrival
 * gaps and one aggregation over them, one sorted scan for every exact CDF (tokens and gaps
 * together), a join for the rank correlation, and the per-user aggregations. Only bounded
 * results (per-model rows, thinned CDF points, box statistics, frequency tables of counts)
 * reach the driver, which builds the tables and writes them; the per-user table, which grows
 * with the users, is written by Spark when it is large.
 */
public final class WorkloadAnalyzeJob {
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadAnalyzeJob.class);
  private static final long ROWS_PER_SCAN_PARTITION = 1_000_000L;

  private final SparkSession spark;
  private final WorkloadAnalyzeOptions options;
  private int step;

  private WorkloadAnalyzeJob(SparkSession spark, WorkloadAnalyzeOptions options) {
    this.spark = spark;
    this.options = options;
  }

  /** Runs the analyses; returns the number of requests analysed. */
  public static long run(SparkSession spark, WorkloadAnalyzeOptions options) {
    // The outputs are written aside and replace the previous set as one (OutputSet).
    return SessionSettings.with(spark, SessionSettings.ANALYSIS,
        () -> OutputSet.replace(spark, options.out, WorkloadColumns.FAMILY,
            out -> options.out = out, () -> new WorkloadAnalyzeJob(spark, options).analyze()));
  }

  private long analyze() {
    Catalog catalog = new Catalog(spark, options.catalog);
    Dataset<Row> requests =
        select(catalog.requireTable(WorkloadColumns.REQUESTS_TABLE,
                WorkloadColumns.REQUESTS_TABLE_SCHEMA, "servelens ingest workload"))
            .select(WorkloadColumns.USER_ID, WorkloadColumns.MODEL_ID,
                WorkloadColumns.INPUT_TOKENS, WorkloadColumns.OUTPUT_TOKENS,
                WorkloadColumns.STARTED_AT, WorkloadColumns.COMPLETED_AT, WorkloadColumns.TTFT,
                WorkloadColumns.DURATION)
            .persist(StorageLevel.MEMORY_AND_DISK());
    List<Dataset<Row>> kept = new ArrayList<>();
    kept.add(requests);
    try {
      stage("overview");
      // A row per model and per hour: as many reduce tasks as cores, not the configured number.
      WorkloadSummaries summaries = SessionSettings.withShufflePartitions(spark,
          spark.sparkContext().defaultParallelism(), () -> WorkloadSummaries.of(requests));
      long rows = summaries.rows();
      if (rows == 0) {
        throw new IllegalArgumentException("no requests in catalog " + options.catalog
            + " for the selected models and dates");
      }
      int partitions = (int) Math.max(2L * spark.sparkContext().defaultParallelism(),
          (rows + ROWS_PER_SCAN_PARTITION - 1) / ROWS_PER_SCAN_PARTITION);
      // The shuffles from here on need no more partitions than the scan has (a small trace
      // would otherwise pay for the configured number of tasks in every one of them).
      int shuffle = Math.min(partitions,
          Integer.parseInt(spark.conf().get(SessionSettings.SHUFFLE_PARTITIONS, "200")));
      LOG.info("Analysing {} requests ({} partitions per shuffle)", rows, shuffle);
      Availability available = Availability.of(summaries.trace.nonNull());
      List<String> topModels = topModels(summaries);
      overview(summaries, catalog);
      throughput(summaries, topModels);
      // Rows per distinct model first; the users' are added when the trace has users.
      List<Row> categorical = new ArrayList<>(WorkloadOverview.categorical(
          WorkloadColumns.MODEL_ID, WorkloadOverview.requestsPerModel(summaries), options.topN,
          rows));
      topModelBars(summaries, available);
      List<Row> uniqueValueCdf = new ArrayList<>(WorkloadOverview.uniqueValueCdf(
          WorkloadColumns.MODEL_ID, modelCounts(summaries)));
      SessionSettings.withShufflePartitions(spark, shuffle, () -> {
        Map<String, ExactCdfs.Result> cdfs = distributions(requests, summaries, topModels,
            available, kept);
        tokens(requests, summaries, topModels, available, cdfs);
        table(WorkloadOverview.NUMERIC_SCHEMA, WorkloadOverview.numericSummary(summaries, cdfs),
            "overview_numeric");
        if (available.users) {
          users(requests, summaries, kept, categorical, uniqueValueCdf);
        }
        return null;
      });
      table(WorkloadOverview.CATEGORICAL_SCHEMA, categorical, "overview_categorical");
      figure(WorkloadOverview.UNIQUE_VALUE_CDF_SCHEMA, uniqueValueCdf,
          "cdf_requests_per_unique_value");
      available.write(conf(), options.out, WorkloadColumns.FAMILY);
      Figures.renderFamily(conf(), options.out + "/" + WorkloadColumns.FAMILY);
      return rows;
    } finally {
      for (Dataset<Row> dataset : kept) {
        dataset.unpersist();
      }
      spark.sparkContext().clearJobGroup();
    }
  }

  private Dataset<Row> select(Dataset<Row> requests) {
    Dataset<Row> selected = requests;
    if (options.from != null) {
      selected = selected.where(col(WorkloadColumns.DATE).geq(lit(options.from).cast("date")));
    }
    if (options.to != null) {
      selected = selected.where(col(WorkloadColumns.DATE).leq(lit(options.to).cast("date")));
    }
    if (!options.models.isEmpty()) {
      selected = selected.where(col(WorkloadColumns.MODEL_ID).isin(options.models.toArray()));
    }
    return selected;
  }

  private void stage(String name) {
    step++;
    LOG.info("Workload analysis step {}: {}", step, name);
    spark.sparkContext().setJobGroup("analyze-workload-" + name, "workload: " + name, false);
  }

  private Configuration conf() {
    return spark.sparkContext().hadoopConfiguration();
  }

  /** The tables of the scan's aggregates, all built on the driver, and the rejects by kind. */
  private void overview(WorkloadSummaries summaries, Catalog catalog) {
    table(WorkloadOverview.SUMMARY_SCHEMA, WorkloadOverview.summary(summaries),
        "overview_summary");
    table(WorkloadOverview.COLUMNS_SCHEMA, WorkloadOverview.columnCounts(summaries),
        "overview_columns");
    figure(WorkloadOverview.REQUESTS_PER_SCHEMA,
        WorkloadOverview.requestsPer(summaries.hours, "hour"), "requests_per_hour");
    figure(WorkloadOverview.REQUESTS_PER_SCHEMA,
        WorkloadOverview.requestsPer(summaries.hours, "day"), "requests_per_day");
    figure(WorkloadOverview.HOUR_OF_DAY_SCHEMA,
        WorkloadOverview.requestsByHourOfDay(summaries.hours), "requests_by_hour_of_day");
    figure(WorkloadOverview.MINUTE_OF_DAY_SCHEMA,
        WorkloadOverview.requestsByMinuteOfDay(summaries.minutesOfDay),
        "requests_by_minute_of_day");
    table(WorkloadOverview.RATIO_EXCLUSIONS_SCHEMA, WorkloadOverview.ratioExclusions(summaries),
        "token_ratio_exclusions");
    catalog.table(WorkloadColumns.REJECTS_TABLE).ifPresent(rejects ->
        TableOutput.write(rejects
            .groupBy(regexp_extract(col("reason"), "^([^:(']*)", 1).as("reason_kind"))
            .agg(count(lit(1)).as("rows"))
            .orderBy(col("rows").desc()), options.out, WorkloadColumns.FAMILY,
            "rejects_summary"));
  }

  /**
   * The bars of the {@code --top-models} busiest models and the rest: requests, and input and
   * output tokens when the trace has them; from the per-model aggregates.
   */
  /**
   * Prefill and decode throughput and TPOT per model and hour (every model), and their figures
   * for the top models (each drawn when some request has its values).
   */
  private void throughput(WorkloadSummaries summaries, List<String> topModels) {
    table(WorkloadThroughput.SCHEMA, summaries.modelHours, "throughput_per_model_hour");
    Set<String> shown = new HashSet<>(topModels);
    for (String measure : WorkloadThroughput.MEASURES) {
      List<Row> points = WorkloadThroughput.figure(summaries.modelHours, shown, measure);
      if (!points.isEmpty()) {
        figure(WorkloadThroughput.SCHEMA, points, measure + "_per_hour");
      }
    }
  }

  private void topModelBars(WorkloadSummaries summaries, Availability available) {
    figure(WorkloadOverview.CATEGORICAL_SCHEMA, WorkloadOverview.topBars(
        WorkloadColumns.MODEL_ID, WorkloadOverview.requestsPerModel(summaries),
        options.topModels, summaries.rows()), "requests_top_models");
    List<String> tokenMetrics = new ArrayList<>();
    for (String metric : List.of(WorkloadColumns.INPUT_TOKENS, WorkloadColumns.OUTPUT_TOKENS)) {
      if (available.tokens(metric)) {
        tokenMetrics.add(metric);
      }
    }
    if (!tokenMetrics.isEmpty()) {
      figure(WorkloadOverview.TOKENS_PER_MODEL_SCHEMA, WorkloadOverview.tokensPerModel(
          summaries, options.topModels, tokenMetrics), "tokens_per_model");
    }
  }

  /** Models per request count: the distinct models' requests as a frequency table. */
  private static Frequencies<Long> modelCounts(WorkloadSummaries summaries) {
    Frequencies<Long> counts = new Frequencies<>();
    WorkloadOverview.requestsPerModel(summaries).forEach((model, requests) -> {
      if (model != null) {
        counts.add(requests, 1);
      }
    });
    return counts;
  }

  private List<String> topModels(WorkloadSummaries summaries) {
    List<String> models = new ArrayList<>();
    for (Map.Entry<String, Long> model : WorkloadOverview.topValues(
        WorkloadOverview.requestsPerModel(summaries), options.topModels)) {
      if (model.getKey() != null) {
        models.add(model.getKey());
      }
    }
    models.add(WorkloadOverview.ALL);
    return models;
  }

  /**
   * The inter-arrival gaps and every exact CDF (tokens and gaps together, one scan of their
   * frequencies), the inter-arrival tables and figures; returns the token CDFs.
   */
  private Map<String, ExactCdfs.Result> distributions(Dataset<Row> requests,
      WorkloadSummaries summaries, List<String> topModels, Availability available,
      List<Dataset<Row>> kept) {
    stage("inter-arrival");
    List<Dataset<Row>> windowed = new ArrayList<>();
    Dataset<Row> gaps =
        WorkloadInterArrival.gaps(requests, options.perUserGaps, sliceMicros(summaries), windowed)
            .persist(StorageLevel.MEMORY_AND_DISK());
    kept.add(gaps);
    WorkloadInterArrival.Summary gapSummary =
        WorkloadInterArrival.summarise(gaps, topModels, options.lagScatterPoints);
    // The gaps are kept now: the windowed rows they came from are no longer needed.
    windowed.forEach(Dataset::unpersist);
    stage("distributions");
    List<ExactCdfs.Values> values = new ArrayList<>(WorkloadTokens.cdfValues(requests));
    values.add(new ExactCdfs.Values(
        WorkloadInterArrival.cdfValues(gaps, GAP_SERIES, USER_GAP_SERIES), false));
    ExactCdfs.Computed computed =
        ExactCdfs.compute(values, GAP_SERIES, kept, WorkloadOverview.QUANTILES);
    Map<String, ExactCdfs.Result> gapCdfs = withPrefix(computed.results(), GAP_SERIES);
    stage("inter-arrival correlations");
    Dataset<Row> gapRunning =
        computed.running()
            .withColumn(Distributions.SERIES,
                col(Distributions.SERIES).substr(GAP_SERIES.length() + 1, Integer.MAX_VALUE));
    Map<String, Double> spearman =
        WorkloadInterArrival.spearman(gaps, gapRunning, gapSummary.moments());
    table(WorkloadInterArrival.STATS_SCHEMA,
        WorkloadInterArrival.stats(gapSummary.moments(), gapCdfs, spearman),
        "interarrival_stats");
    figure(CDF_SCHEMA, cdfFigure(gapCdfs, topModels), "cdf_interarrival");
    figure(WorkloadInterArrival.boxSchema("hour", DataTypes.IntegerType),
        gapSummary.hourlyBox(), "interarrival_hourly_box");
    figure(WorkloadInterArrival.boxSchema(WorkloadColumns.DATE, DataTypes.DateType),
        gapSummary.dailyBox(), "interarrival_daily_box");
    figure(WorkloadInterArrival.HEATMAP_SCHEMA, gapSummary.heatmap(), "interarrival_heatmap");
    figure(WorkloadInterArrival.LAG_SCATTER_SCHEMA, gapSummary.lagScatter(),
        "interarrival_lag1_scatter");
    if (options.perUserGaps) {
      figure(CDF_SCHEMA, cdfFigure(withPrefix(computed.results(), USER_GAP_SERIES),
          List.of(WorkloadOverview.ALL)), "cdf_interarrival_per_user");
    }
    return computed.results();
  }

  /** Requests per time slice of the whole trace in the inter-arrival scan. */
  private static final long ROWS_PER_SLICE = 500_000L;

  /** A slice width that cuts the whole trace into slices of about {@link #ROWS_PER_SLICE}. */
  private static long sliceMicros(WorkloadSummaries summaries) {
    Timestamp first = summaries.trace.firstStarted();
    Timestamp last = summaries.trace.lastStarted();
    long spanMicros = (last.getTime() - first.getTime()) * 1000L + 1;
    double slices = Math.ceil((double) summaries.rows() / ROWS_PER_SLICE);
    return Math.max(1_000_000L, (long) Math.ceil(spanMicros / slices));
  }

  private static final String GAP_SERIES = "gap\u0001";
  private static final String USER_GAP_SERIES = "user_gap\u0001";

  private static Map<String, ExactCdfs.Result> withPrefix(Map<String, ExactCdfs.Result> all,
      String prefix) {
    Map<String, ExactCdfs.Result> selected = new HashMap<>();
    for (Map.Entry<String, ExactCdfs.Result> entry : all.entrySet()) {
      if (entry.getKey().startsWith(prefix)) {
        selected.put(entry.getKey().substring(prefix.length()), entry.getValue());
      }
    }
    return selected;
  }

  private void tokens(Dataset<Row> requests, WorkloadSummaries summaries,
      List<String> topModels, Availability available, Map<String, ExactCdfs.Result> cdfs) {
    stage("tokens");
    for (String metric : WorkloadTokens.METRICS) {
      if (available.tokens(metric)) {
        metricCdfFigure(cdfs, metric, topModels);
      }
    }
    for (String latency : WorkloadTokens.LATENCIES) {
      if (summaries.trace.nonNull().get(latency) > 0) {
        metricCdfFigure(cdfs, latency, topModels);
      }
    }
    if (summaries.trace.nonNull().get(WorkloadColumns.TTFT) > 0 && available.input) {
      figure(WorkloadTtftByInput.SCHEMA, WorkloadTtftByInput.boxes(requests, topModels),
          "ttft_by_input_tokens_box");
    }
    table(WorkloadTokens.QUANTILES_SCHEMA, WorkloadTokens.quantiles(cdfs), "token_quantiles");
  }

  /** {@code figures/cdf_<metric>.csv}: the metric's thinned exact CDF of the shown series. */
  private void metricCdfFigure(Map<String, ExactCdfs.Result> cdfs, String metric,
      List<String> shown) {
    figure(CDF_SCHEMA, cdfFigure(withPrefix(cdfs, WorkloadTokens.cdfSeries(metric, "")), shown),
        "cdf_" + metric);
  }

  /**
   * The user tables and figures; adds the users' rows to the {@code categorical} table and
   * the {@code uniqueValueCdf} figure.
   */
  private void users(Dataset<Row> requests, WorkloadSummaries summaries,
      List<Dataset<Row>> kept, List<Row> categorical, List<Row> uniqueValueCdf) {
    stage("users");
    Dataset<Row> perUser =
        WorkloadUsers.perUser(requests).persist(StorageLevel.MEMORY_AND_DISK());
    kept.add(perUser);
    WorkloadUsers users = WorkloadUsers.summarise(perUser,
        Math.max(Math.max(options.topN, options.diversityTopUsers), TOP_USERS_BARS));
    Map<String, Long> userCounts = new HashMap<>();
    users.addTopCounts(userCounts);
    long withoutUser = summaries.rows()
        - summaries.trace.nonNull().get(WorkloadColumns.USER_ID);
    if (withoutUser > 0) {
      userCounts.put(null, withoutUser);
    }
    categorical.addAll(WorkloadOverview.categorical(WorkloadColumns.USER_ID, userCounts,
        options.topN, summaries.rows()));
    uniqueValueCdf.addAll(
        WorkloadOverview.uniqueValueCdf(WorkloadColumns.USER_ID, users.requestsPerUser));
    TableOutput.write(WorkloadUsers.ranked(perUser), options.out, WorkloadColumns.FAMILY,
        "requests_per_user");
    table(WorkloadUsers.PER_USER_SCHEMA, users.top(options.topN), "top_users");
    List<Row> usersPerModel =
        users.usersPerModelRows(WorkloadOverview.requestsPerModel(summaries));
    table(WorkloadUsers.USERS_PER_MODEL_SCHEMA, usersPerModel, "users_per_model");
    figure(WorkloadUsers.USERS_PER_MODEL_SCHEMA,
        usersPerModel.subList(0, Math.min(options.topModels, usersPerModel.size())),
        "users_per_model");
    figure(WorkloadOverview.CATEGORICAL_SCHEMA, WorkloadOverview.topBars(WorkloadColumns.USER_ID,
        userCounts, TOP_USERS_BARS, summaries.rows()), "requests_top_users");
    figure(WorkloadUsers.rankPlotSchema(WorkloadUsers.REQUESTS),
        WorkloadUsers.rankPlot(users.requestsPerUser), "rank_requests_per_user");
    figure(WorkloadUsers.rankPlotSchema(WorkloadUsers.DISTINCT_MODELS),
        WorkloadUsers.rankPlot(users.modelsPerUser), "rank_models_per_user");
    figure(WorkloadUsers.CDF_SCHEMA, WorkloadUsers.cdfPlot(users.requestsPerUser),
        "cdf_requests_per_user");
    figure(WorkloadUsers.CDF_SCHEMA, WorkloadUsers.cdfPlot(users.modelsPerUser),
        "cdf_models_per_user");
    stage("model diversity");
    WorkloadDiversity.Results diversity = WorkloadDiversity.summarise(
        WorkloadDiversity.windows(requests, options.diversityWindow),
        users.top(options.diversityTopUsers));
    table(WorkloadDiversity.HISTOGRAM_SCHEMA, diversity.histogram(), "diversity_histogram");
    table(WorkloadDiversity.TOP_USERS_SCHEMA, diversity.topUsers(), "diversity_top_users");
    figure(WorkloadDiversity.HISTOGRAM_SCHEMA, diversity.histogram(), "cdf_models_per_window");
    figure(WorkloadDiversity.HISTOGRAM_SCHEMA, diversity.histogram(),
        "models_per_window_histogram");
    figure(WorkloadDiversity.TOP_USERS_SCHEMA, diversity.topUsers(), "diversity_top_users_box");
  }

  /** Users drawn as their own bar in {@code requests_top_users}; the rest are (other). */
  private static final int TOP_USERS_BARS = 10;

  private static final StructType CDF_SCHEMA = new StructType()
      .add(Distributions.SERIES, DataTypes.StringType)
      .add(Distributions.VALUE, DataTypes.DoubleType)
      .add(Distributions.CDF, DataTypes.DoubleType);

  /** Thinned CDF figure rows {@code series, value, cdf} of the {@code shown} series. */
  private static List<Row> cdfFigure(Map<String, ExactCdfs.Result> cdfs, List<String> shown) {
    List<String> series = new ArrayList<>();
    for (String name : shown) {
      if (cdfs.containsKey(name)) {
        series.add(name);
      }
    }
    series.sort(SparkOrder::compare);
    List<Row> rows = new ArrayList<>();
    for (String name : series) {
      for (Frequencies.Point<Double> point : cdfs.get(name).points()) {
        rows.add(RowFactory.create(name, point.value(), point.cdf()));
      }
    }
    return rows;
  }

  private void table(StructType schema, List<Row> rows, String name) {
    TableOutput.writeRows(conf(), schema, rows, options.out, WorkloadColumns.FAMILY, name);
  }

  private void figure(StructType schema, List<Row> rows, String name) {
    TableOutput.writeCsvRows(conf(), schema, rows,
        options.out + "/" + WorkloadColumns.FAMILY + "/figures/" + name + ".csv");
  }

  /** Which analyses the columns present allow; written as {@code availability.csv}. */
  private record Availability(boolean users, boolean input, boolean output, List<Row> rows) {
    static Availability of(Map<String, Long> nonNull) {
      boolean users = nonNull.get(WorkloadColumns.USER_ID) > 0;
      boolean input = nonNull.get(WorkloadColumns.INPUT_TOKENS) > 0;
      boolean output = nonNull.get(WorkloadColumns.OUTPUT_TOKENS) > 0;
      List<Row> rows = new ArrayList<>();
      rows.add(row("users", users, "user_id"));
      rows.add(row("model_diversity", users, "user_id"));
      rows.add(row("tokens_input", input, "input_tokens"));
      rows.add(row("tokens_output", output, "output_tokens"));
      rows.add(row("tokens_ratio", input && output, "input_tokens and output_tokens"));
      rows.add(row("interarrival", true, "started_at"));
      return new Availability(users, input, output, rows);
    }

    private static Row row(String analysis, boolean available, String needs) {
      return RowFactory.create(analysis, available,
          available ? "" : "not available: no " + needs + " in the trace");
    }

    boolean tokens(String metric) {
      return switch (metric) {
        case WorkloadColumns.INPUT_TOKENS -> input;
        case WorkloadColumns.OUTPUT_TOKENS -> output;
        default -> input && output;
      };
    }

    void write(Configuration conf, String out, String family) {
      StructType schema = new StructType().add("analysis", DataTypes.StringType)
          .add("available", DataTypes.BooleanType).add("reason", DataTypes.StringType);
      TableOutput.writeRows(conf, schema, rows, out, family, "availability");
    }
  }
}
