package dev.servelens.workload;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;

import dev.servelens.stats.Distributions;
import dev.servelens.stats.RunningSum;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The user analyses (SPEC 2.W.2): requests and distinct models per user, ranks and CDFs. */
final class WorkloadUsers {
  private WorkloadUsers() {}

  static final String REQUESTS = "requests";
  static final String DISTINCT_MODELS = "distinct_models";
  static final String RANK = "rank";
  private static final String ALL_KEY = "_all";

  /**
   * {@code user_id, requests, distinct_models, rank}: rank 1 is the user with the most
   * requests, ties broken by user_id. Rows without a user are left out.
   */
  static Dataset<Row> requestsPerUser(Dataset<Row> requests, int partitions) {
    Dataset<Row> perUser =
        requests
            .where(col(WorkloadColumns.USER_ID).isNotNull())
            .groupBy(WorkloadColumns.USER_ID)
            .agg(
                count(lit(1)).as(REQUESTS),
                countDistinct(col(WorkloadColumns.MODEL_ID)).as(DISTINCT_MODELS));
    return rank(perUser, REQUESTS, partitions)
        .select(WorkloadColumns.USER_ID, REQUESTS, DISTINCT_MODELS, RANK);
  }

  /** Adds {@code rank} by {@code measure} descending, ties by user_id. */
  static Dataset<Row> rank(Dataset<Row> perUser, String measure, int partitions) {
    Dataset<Row> keyed = perUser.withColumn(ALL_KEY, lit(ALL_KEY)).withColumn("_one", lit(1L));
    return RunningSum.compute(
            keyed,
            ALL_KEY,
            List.of(keyed.col(measure).desc(), keyed.col(WorkloadColumns.USER_ID).asc()),
            "_one",
            partitions)
        .withColumnRenamed(RunningSum.CUMULATIVE, RANK)
        .drop(ALL_KEY, "_one");
  }

  /** Rank plot data {@code rank, <measure>} at log-spaced ranks. */
  static Dataset<Row> rankPlot(Dataset<Row> perUser, String measure, long users,
      int partitions) {
    Dataset<Row> ranked =
        measure.equals(REQUESTS) ? perUser : rank(perUser.drop(RANK), measure, partitions);
    return Distributions.logSpacedRanks(ranked, RANK, users)
        .select(col(RANK), col(measure))
        .orderBy(RANK);
  }

  /** CDF figure data of a per-user measure: {@code series, value, cdf} (thinned). */
  static Dataset<Row> cdfPlot(Dataset<Row> perUser, String measure, int partitions) {
    Dataset<Row> values =
        perUser.select(lit(WorkloadOverview.ALL).as(Distributions.SERIES),
            col(measure).as(Distributions.VALUE));
    return Distributions.thin(Distributions.cdf(values, partitions))
        .select(Distributions.SERIES, Distributions.VALUE, Distributions.CDF)
        .orderBy(Distributions.SERIES, Distributions.VALUE);
  }
}
