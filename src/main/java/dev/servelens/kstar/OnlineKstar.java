package dev.servelens.kstar;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * The online estimate of p over a model's completion stream (in completion order) and the k*
 * recomputed from it every {@code interval} completions.
 *
 * <p>Default (SPEC): an exponential moving average of the output length, {@code m <- a * L + (1 -
 * a) * m}, {@code p = 1 / m}. The seed's variant ({@code ofInverse}): an EMA of {@code 1 / L},
 * {@code q <- a / L + (1 - a) * q}, {@code p = q}. Both start at the first completion's value
 * ({@code m = L_1}, or {@code q = 1 / L_1}). Lengths below 1 count as 1.
 *
 * <p>At most about {@code maxPoints} points are kept: when the list reaches twice that, every
 * other point is dropped and the spacing doubles, so the trajectory stays plottable whatever the
 * stream's length; the last estimate is always available from {@link #p()}.
 */
final class OnlineKstar implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One recomputation: after {@code completions} completions the estimate was {@code mean}. */
  record Point(long completions, double mean, double p) implements Serializable {}

  private final double alpha;
  private final boolean ofInverse;
  private final long interval;
  private final int maxPoints;
  private final List<Point> points = new ArrayList<>();
  private long stride = 1;
  private long completions;
  private double estimate;

  OnlineKstar(double alpha, boolean ofInverse, long interval, int maxPoints) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("EMA alpha must be in (0, 1], got " + alpha);
    }
    if (interval < 1 || maxPoints < 1) {
      throw new IllegalArgumentException("interval and maxPoints must be at least 1");
    }
    this.alpha = alpha;
    this.ofInverse = ofInverse;
    this.interval = interval;
    this.maxPoints = maxPoints;
  }

  void complete(long outputLength) {
    double length = Math.max(1, outputLength);
    double observed = ofInverse ? 1.0 / length : length;
    estimate = completions == 0 ? observed : alpha * observed + (1 - alpha) * estimate;
    completions++;
    if (completions % (interval * stride) == 0) {
      points.add(new Point(completions, ofInverse ? 1.0 / estimate : estimate, p()));
      if (points.size() >= 2 * maxPoints) {
        List<Point> kept = new ArrayList<>();
        for (int i = 1; i < points.size(); i += 2) {
          kept.add(points.get(i));
        }
        points.clear();
        points.addAll(kept);
        stride *= 2;
      }
    }
  }

  long completions() {
    return completions;
  }

  /** The current estimate of p (NaN before the first completion). */
  double p() {
    if (completions == 0) {
      return Double.NaN;
    }
    return ofInverse ? estimate : 1.0 / estimate;
  }

  List<Point> points() {
    return List.copyOf(points);
  }

  /**
   * The estimates of every model in a partition of {@code (model, output length)} rows sorted
   * by model and then completion order: each model's rows in one run, one estimate per model.
   */
  static final class Streams
      implements FlatMapFunction<Iterator<Row>, Tuple2<String, OnlineKstar>> {
    private static final long serialVersionUID = 1L;
    private final double alpha;
    private final boolean ofInverse;
    private final long interval;
    private final int maxPoints;

    Streams(double alpha, boolean ofInverse, long interval, int maxPoints) {
      this.alpha = alpha;
      this.ofInverse = ofInverse;
      this.interval = interval;
      this.maxPoints = maxPoints;
      // Settings the estimate refuses fail here, on the driver, not in a task.
      new OnlineKstar(alpha, ofInverse, interval, maxPoints);
    }

    @Override
    public Iterator<Tuple2<String, OnlineKstar>> call(Iterator<Row> rows) {
      List<Tuple2<String, OnlineKstar>> estimates = new ArrayList<>();
      String model = null;
      OnlineKstar estimate = null;
      while (rows.hasNext()) {
        Row row = rows.next();
        if (estimate == null || !row.getString(0).equals(model)) {
          model = row.getString(0);
          estimate = new OnlineKstar(alpha, ofInverse, interval, maxPoints);
          estimates.add(new Tuple2<>(model, estimate));
        }
        estimate.complete(row.getLong(1));
      }
      return estimates.iterator();
    }
  }
}
