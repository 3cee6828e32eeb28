package dev.servelens.workload;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;

import dev.servelens.stats.Distributions;
import dev.servelens.stats.Frequencies;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The user analyses (SPEC 2.W.2): requests and distinct models per user, ranks and CDFs. The
 * per-user table grows with the users and stays in Spark; its rank plots and CDFs follow exactly
 * from two small frequency tables (users per request count, users per model count), computed in
 * one aggregation and finished on the driver.
 */
final class WorkloadUsers {
  static final String REQUESTS = "requests";
  static final String DISTINCT_MODELS = "distinct_models";
  static final String RANK = "rank";
  static final String DISTINCT_USERS = "distinct_users";
  private static final String MODELS = "models";

  /** Users per value of requests and of distinct models. */
  final Frequencies<Long> requestsPerUser = new Frequencies<>();
  final Frequencies<Long> modelsPerUser = new Frequencies<>();
  /** Distinct users per model, for the models that have a user. */
  final Map<String, Long> usersPerModel = new HashMap<>();
  /** The busiest users, rank order: {@code user_id, requests, distinct_models, rank}. */
  final List<Row> top;

  private WorkloadUsers(List<Row> top) {
    this.top = top;
  }

  /**
   * {@code user_id, requests, distinct_models, models} (the user's distinct models), one row per
   * user; rows without a user are left out.
   */
  static Dataset<Row> perUser(Dataset<Row> requests) {
    return requests
        .where(col(WorkloadColumns.USER_ID).isNotNull())
        .groupBy(WorkloadColumns.USER_ID)
        .agg(
            count(lit(1)).as(REQUESTS),
            collect_set(col(WorkloadColumns.MODEL_ID)).as(MODELS))
        .select(col(WorkloadColumns.USER_ID), col(REQUESTS),
            size(col(MODELS)).cast(DataTypes.LongType).as(DISTINCT_MODELS), col(MODELS));
  }

  /**
   * The frequency tables, the distinct users per model and the {@code topN} busiest users of
   * {@code perUser} (two Spark actions, each returning rows bounded by the distinct counts, the
   * models or topN).
   */
  static WorkloadUsers summarise(Dataset<Row> perUser, int topN) {
    List<Row> top = new ArrayList<>();
    long rank = 0;
    for (Row row : perUser.orderBy(desc(REQUESTS), col(WorkloadColumns.USER_ID).asc())
        .limit(topN).collectAsList()) {
      top.add(RowFactory.create(row.getString(0), row.getLong(1), row.getLong(2), ++rank));
    }
    WorkloadUsers users = new WorkloadUsers(top);
    // Users per request count and per distinct-model count, and per model (each user once
    // under each of its models): one aggregation.
    Column noModel = lit(null).cast(DataTypes.StringType);
    Dataset<Row> perMeasure = perUser.select(explode(array(
            struct(lit(0).as("measure"), col(REQUESTS).as("value"), noModel.as("model")),
            struct(lit(1).as("measure"), col(DISTINCT_MODELS).as("value"), noModel.as("model"))))
        .as("m")).select("m.*");
    Dataset<Row> perModel = perUser.select(lit(2).as("measure"),
        lit(null).cast(DataTypes.LongType).as("value"), explode(col(MODELS)).as("model"));
    List<Row> frequencies = perMeasure.unionByName(perModel)
        .groupBy(col("measure"), col("value"), col("model"))
        .agg(count(lit(1)).as("users"))
        .collectAsList();
    for (Row row : frequencies) {
      switch (row.getInt(0)) {
        case 0 -> users.requestsPerUser.add(row.getLong(1), row.getLong(3));
        case 1 -> users.modelsPerUser.add(row.getLong(1), row.getLong(3));
        default -> users.usersPerModel.put(row.getString(2), row.getLong(3));
      }
    }
    return users;
  }

  /**
   * {@code user_id, requests, distinct_models, rank}: rank 1 is the user with the most
   * requests, ties broken by user_id. One Spark sort of the users.
   */
  static Dataset<Row> ranked(Dataset<Row> perUser) {
    return perUser.select(WorkloadColumns.USER_ID, REQUESTS, DISTINCT_MODELS)
        .withColumn(RANK, row_number().over(
            Window.orderBy(desc(REQUESTS), col(WorkloadColumns.USER_ID).asc())).cast("long"))
        .orderBy(RANK);
  }

  long users() {
    return requestsPerUser.total();
  }

  /** The first {@code n} of the busiest users. */
  List<Row> top(int n) {
    return top.subList(0, Math.min(n, top.size()));
  }

  /** Requests of the busiest users by user id, for the categorical table. */
  void addTopCounts(Map<String, Long> counts) {
    for (Row row : top) {
      counts.put(row.getString(0), row.getLong(1));
    }
  }

  /**
   * {@code rank, model_id, requests, distinct_users}: every model with a model id, by requests
   * (most first, ties by model id), its requests (with or without a user) and its distinct
   * users (0 when none of its requests has a user).
   */
  List<Row> usersPerModelRows(Map<String, Long> requestsPerModel) {
    Map<String, Long> models = new HashMap<>(requestsPerModel);
    models.remove(null);
    List<Row> rows = new ArrayList<>();
    int rank = 0;
    for (Map.Entry<String, Long> model : WorkloadOverview.topValues(models, models.size())) {
      rows.add(RowFactory.create(++rank, model.getKey(), model.getValue(),
          usersPerModel.getOrDefault(model.getKey(), 0L)));
    }
    return rows;
  }

  static final StructType USERS_PER_MODEL_SCHEMA = new StructType()
      .add(RANK, DataTypes.IntegerType, false)
      .add(WorkloadColumns.MODEL_ID, DataTypes.StringType, false)
      .add(REQUESTS, DataTypes.LongType, false)
      .add(DISTINCT_USERS, DataTypes.LongType, false);

  static final StructType PER_USER_SCHEMA = new StructType()
      .add(WorkloadColumns.USER_ID, DataTypes.StringType)
      .add(REQUESTS, DataTypes.LongType, false)
      .add(DISTINCT_MODELS, DataTypes.LongType, false)
      .add(RANK, DataTypes.LongType, false);

  /** Rank plot data {@code rank, <measure>} at log-spaced ranks. */
  static List<Row> rankPlot(Frequencies<Long> perUser) {
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<Long, Long> point : perUser.valuesAtLogSpacedRanks()) {
      rows.add(RowFactory.create(point.getKey(), point.getValue()));
    }
    return rows;
  }

  static StructType rankPlotSchema(String measure) {
    return new StructType().add(RANK, DataTypes.LongType, false)
        .add(measure, DataTypes.LongType, false);
  }

  /** CDF figure data of a per-user measure: {@code series, value, cdf} (thinned). */
  static List<Row> cdfPlot(Frequencies<Long> perUser) {
    List<Row> rows = new ArrayList<>();
    for (Frequencies.Point<Long> point : perUser.thinnedCdf()) {
      rows.add(RowFactory.create(WorkloadOverview.ALL, point.value(), point.cdf()));
    }
    return rows;
  }

  static final StructType CDF_SCHEMA = new StructType()
      .add(Distributions.SERIES, DataTypes.StringType, false)
      .add(Distributions.VALUE, DataTypes.LongType, false)
      .add(Distributions.CDF, DataTypes.DoubleType);
}
