package dev.servelens.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An exact frequency table of one series (distinct value to count), small enough for the
 * driver, and what follows from it exactly: the thinned CDF points ({@link
 * Distributions#keepsPoint}), the exact quantiles ({@link Distributions#reaches}) and the
 * values at the log-spaced ranks of a rank plot ({@link Distributions#keepsRank}). The
 * arithmetic is the one Spark's expressions do (double division, then the step), so the same
 * points come out as from {@link ExactCdfs}.
 *
 * @param <V> the value type (Long or Double), in ascending order
 */
public final class Frequencies<V extends Comparable<V>> {
  private final TreeMap<V, Long> counts = new TreeMap<>();
  private long total;

  public void add(V value, long count) {
    counts.merge(value, count, Long::sum);
    total += count;
  }

  public long total() {
    return total;
  }

  public boolean isEmpty() {
    return total == 0;
  }

  /** One point of a CDF: the value, P(X <= value) and the running count. */
  public record Point<V>(V value, double cdf, long cumulative, long count) {}

  /** The points a thinned CDF keeps, in ascending order of value. */
  public List<Point<V>> thinnedCdf() {
    List<Point<V>> points = new ArrayList<>();
    long cumulative = 0;
    for (Map.Entry<V, Long> entry : counts.entrySet()) {
      long count = entry.getValue();
      cumulative += count;
      if (Distributions.keepsPoint(cumulative, count, total)) {
        points.add(new Point<>(entry.getKey(), (double) cumulative / (double) total, cumulative,
            count));
      }
    }
    return points;
  }

  /** For each q, the smallest value v with CDF(v) >= q (null when the table is empty). */
  public List<V> quantiles(double... qs) {
    List<V> values = new ArrayList<>();
    for (double q : qs) {
      V found = null;
      long cumulative = 0;
      for (Map.Entry<V, Long> entry : counts.entrySet()) {
        cumulative += entry.getValue();
        if (Distributions.reaches(cumulative, total, q)) {
          found = entry.getKey();
          break;
        }
      }
      values.add(found);
    }
    return values;
  }

  /**
   * The value at each rank a rank plot keeps ({@link Distributions#keepsRank}) when the
   * observations are ranked in descending order of value (rank 1 = the largest): {@code (rank,
   * value)} pairs.
   */
  public List<Map.Entry<Long, V>> valuesAtLogSpacedRanks() {
    List<Map.Entry<Long, V>> kept = new ArrayList<>();
    long rankBefore = 0;
    for (Map.Entry<V, Long> entry : counts.descendingMap().entrySet()) {
      long last = rankBefore + entry.getValue();
      long rank = rankBefore + 1;
      while (rank <= last) {
        if (Distributions.keepsRank(rank, total)) {
          kept.add(Map.entry(rank, entry.getKey()));
          rank++;
        } else {
          rank = Math.min(last, Math.max(rank + 1, Distributions.nextRankCandidate(rank)));
          if (rank == last && !Distributions.keepsRank(rank, total)) {
            break;
          }
        }
      }
      rankBefore = last;
    }
    return kept;
  }
}
