package dev.servelens.workload;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.servelens.stats.Distributions;
import dev.servelens.stats.RunningSum;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Per-user model diversity (SPEC 2.W.5): each user's requests in time order are cut into
 * consecutive windows of W requests (the last, partial window counts) and the distinct models
 * of each window are counted.
 */
final class WorkloadDiversity {
  private WorkloadDiversity() {}

  static final String WINDOW = "window";
  static final String MODELS_IN_WINDOW = "models_in_window";
  static final String REQUESTS_IN_WINDOW = "requests_in_window";

  /** {@code user_id, window, models_in_window, requests_in_window}. */
  static Dataset<Row> windows(Dataset<Row> requests, int windowSize, int partitions) {
    Dataset<Row> rows =
        requests
            .where(col(WorkloadColumns.USER_ID).isNotNull())
            .select(col(WorkloadColumns.USER_ID), col(WorkloadColumns.MODEL_ID),
                col(WorkloadColumns.STARTED_AT), lit(1L).as("_one"));
    Dataset<Row> sequenced =
        RunningSum.compute(rows, WorkloadColumns.USER_ID,
            List.of(rows.col(WorkloadColumns.STARTED_AT), rows.col(WorkloadColumns.MODEL_ID)),
            "_one", partitions);
    return sequenced
        .withColumn(WINDOW, floor(col(RunningSum.CUMULATIVE).minus(1).divide(windowSize))
            .cast("long"))
        .groupBy(WorkloadColumns.USER_ID, WINDOW)
        .agg(countDistinct(WorkloadColumns.MODEL_ID).as(MODELS_IN_WINDOW),
            count(lit(1)).as(REQUESTS_IN_WINDOW));
  }

  /** {@code models_in_window, windows, share, cdf}: the histogram over all windows. */
  static Dataset<Row> histogram(Dataset<Row> windows) {
    Dataset<Row> counts = windows.groupBy(MODELS_IN_WINDOW).agg(count(lit(1)).as("windows"));
    return counts
        .withColumn("share", col("windows").divide(sum("windows").over(Window.partitionBy())))
        .withColumn("cdf", sum("windows").over(Window.orderBy(MODELS_IN_WINDOW))
            .divide(sum("windows").over(Window.partitionBy())))
        .orderBy(MODELS_IN_WINDOW);
  }

  /**
   * Box statistics of models per window for the top users: {@code user_id, rank, requests,
   * p5, p25, p50, p75, p95, mean, n}.
   */
  static Dataset<Row> topUsers(Dataset<Row> windows, Dataset<Row> requestsPerUser, int topN) {
    Dataset<Row> top =
        requestsPerUser.where(col(WorkloadUsers.RANK).leq(topN))
            .select(WorkloadColumns.USER_ID, WorkloadUsers.RANK, WorkloadUsers.REQUESTS);
    return Distributions.boxStats(
            windows.join(broadcast(top), WorkloadColumns.USER_ID), MODELS_IN_WINDOW,
            WorkloadColumns.USER_ID, WorkloadUsers.RANK, WorkloadUsers.REQUESTS)
        .orderBy(WorkloadUsers.RANK);
  }
}
