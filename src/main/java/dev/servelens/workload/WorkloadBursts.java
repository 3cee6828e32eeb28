package dev.servelens.workload;

/**
 * Decides which arrivals of a slice open a burst (one user firing tens of requests at one model
 * within seconds) and how many requests follow each, from a random stream of its own.
 *
 * <p>Burst requests come on top of the slice's arrivals, so the number of arrivals must be known
 * before the first one is drawn: {@link #countArrivals} replays the same decisions once, cheaply,
 * to find it. Taking the followers out of the remaining arrivals instead would thin out the end of
 * every slice.
 */
final class WorkloadBursts {

  private static final long BURST_STREAM = 3L;
  private static final double BURST_PROBABILITY = 0.004;
  private static final int MIN_SIZE = 8;
  private static final double EXTRA_SIZE_MEAN = 22.0;
  private static final int MAX_SIZE = 150;

  private final WorkloadRandom random;
  private final long rows;
  private long scheduled;

  WorkloadBursts(long seed, int partition, long rows) {
    this.random = new WorkloadRandom(WorkloadRandom.seedFor(seed, BURST_STREAM, partition));
    this.rows = rows;
  }

  /** How many arrivals the slice needs so that arrivals plus burst followers make its rows. */
  static long countArrivals(long seed, int partition, long rows) {
    WorkloadBursts replay = new WorkloadBursts(seed, partition, rows);
    long arrivals = 0;
    while (replay.scheduled < rows) {
      replay.followersOfNextArrival();
      arrivals++;
    }
    return arrivals;
  }

  /**
   * The number of burst requests that follow the next arrival: 0 for an ordinary request. Must be
   * called once per arrival, in order.
   */
  long followersOfNextArrival() {
    scheduled++;
    if (scheduled >= rows || !random.chance(BURST_PROBABILITY)) {
      return 0;
    }
    long size = Math.min(MAX_SIZE, MIN_SIZE + (long) random.nextExponential(EXTRA_SIZE_MEAN));
    long followers = Math.min(size - 1, rows - scheduled);
    scheduled += followers;
    return followers;
  }
}
