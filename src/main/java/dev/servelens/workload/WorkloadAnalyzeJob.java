package dev.servelens.workload;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;

import dev.servelens.catalog.Catalog;
import dev.servelens.figures.Figures;
import dev.servelens.io.TableOutput;
import dev.servelens.stats.Distributions;
import java.util.ArrayList;
import java.util.List;
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
 * data of the output contract under {@code <out>/workload/}. Only bounded results (top-N rows,
 * figure points, summaries) reach the driver.
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
    return new WorkloadAnalyzeJob(spark, options).analyze();
  }

  private long analyze() {
    Catalog catalog = new Catalog(spark, options.catalog);
    Dataset<Row> requests =
        select(catalog.requireTable(WorkloadColumns.REQUESTS_TABLE, "servelens ingest workload"))
            .drop(WorkloadColumns.HASH_IDS, WorkloadColumns.EXTRA)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      stage("overview");
      long rows = requests.count();
      if (rows == 0) {
        throw new IllegalArgumentException("no requests in catalog " + options.catalog
            + " for the selected models and dates");
      }
      int partitions = (int) Math.max(2L * spark.sparkContext().defaultParallelism(),
          (rows + ROWS_PER_SCAN_PARTITION - 1) / ROWS_PER_SCAN_PARTITION);
      LOG.info("Analysing {} requests ({} scan partitions)", rows, partitions);
      Availability available = overview(requests, rows, catalog, partitions);
      List<String> topModels = topModels(requests, rows);
      tokens(requests, topModels, partitions, available);
      interArrival(requests, topModels, partitions);
      if (available.users) {
        users(requests, partitions);
      }
      available.write(spark, options.out, WorkloadColumns.FAMILY);
      Figures.renderFamily(spark.sparkContext().hadoopConfiguration(),
          options.out + "/" + WorkloadColumns.FAMILY);
      return rows;
    } finally {
      requests.unpersist();
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

  private Availability overview(Dataset<Row> requests, long rows, Catalog catalog,
      int partitions) {
    table(WorkloadOverview.summary(requests), "overview_summary");
    Dataset<Row> columns = WorkloadOverview.columnCounts(requests);
    table(columns, "overview_columns");
    Availability available = Availability.of(columns.collectAsList());
    table(WorkloadOverview.numericSummary(requests), "overview_numeric");
    Dataset<Row> categorical =
        WorkloadOverview.categorical(requests, WorkloadColumns.MODEL_ID, options.topN, rows);
    if (available.users) {
      categorical = categorical.unionByName(
          WorkloadOverview.categorical(requests, WorkloadColumns.USER_ID, options.topN, rows));
    }
    table(categorical, "overview_categorical");
    figure(WorkloadOverview.uniqueValueCdf(requests, available.users
        ? List.of(WorkloadColumns.MODEL_ID, WorkloadColumns.USER_ID)
        : List.of(WorkloadColumns.MODEL_ID), partitions), "cdf_requests_per_unique_value");
    figure(WorkloadOverview.requestsPer(requests, "hour"), "requests_per_hour");
    figure(WorkloadOverview.requestsPer(requests, "day"), "requests_per_day");
    catalog.table(WorkloadColumns.REJECTS_TABLE).ifPresent(rejects ->
        table(rejects
            .groupBy(regexp_extract(col("reason"), "^([^:(']*)", 1).as("reason_kind"))
            .agg(count(lit(1)).as("rows"))
            .orderBy(col("rows").desc()), "rejects_summary"));
    return available;
  }

  private List<String> topModels(Dataset<Row> requests, long rows) {
    List<String> models = new ArrayList<>();
    for (Row row : WorkloadOverview.categorical(requests, WorkloadColumns.MODEL_ID,
        options.topModels, rows).collectAsList()) {
      if (!"(other)".equals(row.getString(2)) && row.getString(2) != null) {
        models.add(row.getString(2));
      }
    }
    models.add(WorkloadOverview.ALL);
    return models;
  }

  private void tokens(Dataset<Row> requests, List<String> topModels, int partitions,
      Availability available) {
    stage("tokens");
    List<Row> quantiles = new ArrayList<>();
    for (String metric : WorkloadTokens.METRICS) {
      if (!available.tokens(metric)) {
        continue;
      }
      Dataset<Row> cdf = Distributions.cdf(WorkloadTokens.values(requests, metric), partitions)
          .persist(StorageLevel.MEMORY_AND_DISK());
      figure(cdfFigure(cdf, topModels), "cdf_" + metric);
      // One row per (model, q): bounded by the number of models.
      quantiles.addAll(WorkloadTokens.quantiles(cdf, metric).collectAsList());
      cdf.unpersist();
    }
    table(spark.createDataFrame(quantiles, TOKEN_QUANTILES_SCHEMA).orderBy("metric", "model", "q"),
        "token_quantiles");
    table(WorkloadTokens.ratioExclusions(requests), "token_ratio_exclusions");
  }

  private static final StructType TOKEN_QUANTILES_SCHEMA =
      new StructType()
          .add("model", DataTypes.StringType)
          .add("metric", DataTypes.StringType)
          .add("q", DataTypes.DoubleType)
          .add("value", DataTypes.DoubleType);

  private void interArrival(Dataset<Row> requests, List<String> topModels, int partitions) {
    stage("inter-arrival");
    Dataset<Row> gaps =
        WorkloadInterArrival.gaps(requests, col(WorkloadColumns.MODEL_ID), partitions)
            .unionByName(WorkloadInterArrival.gaps(requests, lit(WorkloadOverview.ALL),
                partitions));
    gaps = materialized(gaps);
    Dataset<Row> cdf = materialized(WorkloadInterArrival.cdf(gaps, partitions));
    try {
      table(WorkloadInterArrival.stats(gaps, cdf), "interarrival_stats");
      figure(cdfFigure(cdf, topModels), "cdf_interarrival");
      Dataset<Row> shown = gaps.where(col(Distributions.SERIES).isin(topModels.toArray()));
      figure(Distributions.boxStats(shown, WorkloadInterArrival.GAP, Distributions.SERIES, "hour")
          .orderBy(Distributions.SERIES, "hour"), "interarrival_hourly_box");
      figure(Distributions.boxStats(shown, WorkloadInterArrival.GAP, Distributions.SERIES,
          WorkloadColumns.DATE).orderBy(Distributions.SERIES, WorkloadColumns.DATE),
          "interarrival_daily_box");
      figure(WorkloadInterArrival.heatmap(shown), "interarrival_heatmap");
    } finally {
      cdf.unpersist();
      gaps.unpersist();
    }
    if (options.perUserGaps) {
      stage("inter-arrival per user");
      Dataset<Row> userGaps =
          WorkloadInterArrival.gaps(requests, col(WorkloadColumns.USER_ID), partitions)
              .withColumn(Distributions.SERIES, lit(WorkloadOverview.ALL))
              .persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> userCdf = WorkloadInterArrival.cdf(userGaps, partitions);
      figure(cdfFigure(userCdf, List.of(WorkloadOverview.ALL)), "cdf_interarrival_per_user");
      userGaps.unpersist();
    }
  }

  private void users(Dataset<Row> requests, int partitions) {
    stage("users");
    Dataset<Row> perUser = materialized(WorkloadUsers.requestsPerUser(requests, partitions));
    try {
      long users = perUser.count();
      table(perUser.orderBy(WorkloadUsers.RANK), "requests_per_user");
      table(perUser.where(col(WorkloadUsers.RANK).leq(options.topN))
          .orderBy(WorkloadUsers.RANK), "top_users");
      figure(WorkloadUsers.rankPlot(perUser, WorkloadUsers.REQUESTS, users, partitions),
          "rank_requests_per_user");
      figure(WorkloadUsers.rankPlot(perUser, WorkloadUsers.DISTINCT_MODELS, users, partitions),
          "rank_models_per_user");
      figure(WorkloadUsers.cdfPlot(perUser, WorkloadUsers.REQUESTS, partitions),
          "cdf_requests_per_user");
      figure(WorkloadUsers.cdfPlot(perUser, WorkloadUsers.DISTINCT_MODELS, partitions),
          "cdf_models_per_user");
      stage("model diversity");
      Dataset<Row> windows =
          WorkloadDiversity.windows(requests, options.diversityWindow, partitions)
              .persist(StorageLevel.MEMORY_AND_DISK());
      table(WorkloadDiversity.histogram(windows), "diversity_histogram");
      table(WorkloadDiversity.topUsers(windows, perUser, options.diversityTopUsers),
          "diversity_top_users");
      windows.unpersist();
    } finally {
      perUser.unpersist();
    }
  }

  /**
   * Keeps {@code rows} and computes them now: a kept Dataset read by several branches of one
   * query would otherwise be computed by each branch at once.
   */
  private static Dataset<Row> materialized(Dataset<Row> rows) {
    Dataset<Row> kept = rows.persist(StorageLevel.MEMORY_AND_DISK());
    kept.count();
    return kept;
  }

  private static Dataset<Row> cdfFigure(Dataset<Row> cdf, List<String> series) {
    return Distributions.thin(cdf.where(col(Distributions.SERIES).isin(series.toArray())))
        .select(Distributions.SERIES, Distributions.VALUE, Distributions.CDF)
        .orderBy(Distributions.SERIES, Distributions.VALUE);
  }

  private void table(Dataset<Row> table, String name) {
    TableOutput.write(table, options.out, WorkloadColumns.FAMILY, name);
  }

  private void figure(Dataset<Row> data, String name) {
    TableOutput.writeCsvFile(data,
        options.out + "/" + WorkloadColumns.FAMILY + "/figures/" + name + ".csv");
  }

  /** Which analyses the columns present allow; written as {@code availability.csv}. */
  private record Availability(boolean users, boolean input, boolean output, List<Row> rows) {
    static Availability of(List<Row> columnCounts) {
      boolean users = nonNull(columnCounts, WorkloadColumns.USER_ID);
      boolean input = nonNull(columnCounts, WorkloadColumns.INPUT_TOKENS);
      boolean output = nonNull(columnCounts, WorkloadColumns.OUTPUT_TOKENS);
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

    private static boolean nonNull(List<Row> counts, String column) {
      for (Row row : counts) {
        if (row.getString(0).equals(column)) {
          return row.getLong(1) > 0;
        }
      }
      return false;
    }

    boolean tokens(String metric) {
      return switch (metric) {
        case WorkloadColumns.INPUT_TOKENS -> input;
        case WorkloadColumns.OUTPUT_TOKENS -> output;
        default -> input && output;
      };
    }

    void write(SparkSession spark, String out, String family) {
      StructType schema = new StructType().add("analysis", DataTypes.StringType)
          .add("available", DataTypes.BooleanType).add("reason", DataTypes.StringType);
      TableOutput.write(spark.createDataFrame(rows, schema), out, family, "availability");
    }
  }
}
