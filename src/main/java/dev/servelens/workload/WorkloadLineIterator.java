package dev.servelens.workload;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The lines of one output file: the header, then the slice's rows in time order, generated one at a
 * time (memory does not grow with the rows).
 *
 * <p>Arrivals come from {@link WorkloadArrivals}. Now and then an arrival opens a burst (decided by
 * {@link WorkloadBursts}): the same user firing tens of requests at the same model within seconds,
 * some in the same millisecond, merged in time order with the ordinary arrivals. Dirty rows are
 * picked by selection sampling from a separate random stream, so a dirty trace is the clean trace
 * with some rows replaced.
 */
final class WorkloadLineIterator implements Iterator<String> {

  private static final long MAIN_STREAM = 1L;
  private static final long DIRTY_STREAM = 2L;

  private static final double BURST_GAP_MEAN_MS = 120.0;
  private static final double BURST_TIE_PROBABILITY = 0.15;

  private static final double TTFT_SIGMA = 0.4;
  private static final double QUEUEING_PROBABILITY = 0.01;
  private static final double DECODE_SIGMA = 0.2;

  /** A burst in progress: its user and model, its next request time and how many are left. */
  private static final class Burst {
    final int user;
    final int model;
    long nextMs;
    long left;

    Burst(int user, int model, long nextMs, long left) {
      this.user = user;
      this.model = model;
      this.nextMs = nextMs;
      this.left = left;
    }
  }

  private final long rowCount;
  private final long sliceEndMs;
  private final WorkloadRandom random;
  private final WorkloadRandom dirtyRandom;
  private final WorkloadArrivals arrivals;
  private final WorkloadBursts bursts;
  private final WorkloadPopulation population;
  private final WorkloadLineFormat format;
  private final List<WorkloadModels.Profile> profiles;
  private final boolean truncateLast;
  private final long selectableRows;
  private final List<Burst> openBursts = new ArrayList<>();
  private final StringBuilder line = new StringBuilder(192);

  private boolean headerDone;
  private long emitted;
  private long dirtyLeft;
  private boolean hasPendingArrival;
  private long pendingArrivalMs;

  WorkloadLineIterator(WorkloadPlan plan, int partition) {
    this.rowCount = plan.sliceRows[partition];
    this.sliceEndMs = plan.sliceBounds[partition + 1];
    this.random = new WorkloadRandom(WorkloadRandom.seedFor(plan.seed, MAIN_STREAM, partition));
    this.dirtyRandom =
        new WorkloadRandom(WorkloadRandom.seedFor(plan.seed, DIRTY_STREAM, partition));
    this.arrivals =
        new WorkloadArrivals(
            plan.rateModel,
            plan.sliceBounds[partition],
            sliceEndMs,
            WorkloadBursts.countArrivals(plan.seed, partition, rowCount));
    this.bursts = new WorkloadBursts(plan.seed, partition, rowCount);
    this.population = new WorkloadPopulation(plan.seed, plan.users, plan.models);
    this.format = new WorkloadLineFormat(plan.timestampStyle);
    this.profiles = WorkloadModels.ALL;
    this.truncateLast = plan.truncateFinalLine && partition == plan.partitions() - 1;
    this.selectableRows = rowCount - (truncateLast ? 1 : 0);
    this.dirtyLeft = plan.sliceDirtyRows[partition] - (truncateLast ? 1 : 0);
  }

  @Override
  public boolean hasNext() {
    return !headerDone || emitted < rowCount;
  }

  @Override
  public String next() {
    if (!headerDone) {
      headerDone = true;
      return WorkloadLineFormat.HEADER;
    }
    if (emitted >= rowCount) {
      throw new NoSuchElementException("slice exhausted after " + rowCount + " rows");
    }
    if (!hasPendingArrival && arrivals.remaining() > 0) {
      pendingArrivalMs = arrivals.next(random);
      hasPendingArrival = true;
    }
    Burst burst = earliestBurst();
    long startedMs;
    int user;
    int model;
    if (hasPendingArrival && (burst == null || pendingArrivalMs <= burst.nextMs)) {
      hasPendingArrival = false;
      startedMs = pendingArrivalMs;
      user = population.sampleUser(random);
      model = population.sampleModel(user, random);
      maybeOpenBurst(user, model, startedMs);
    } else {
      startedMs = burst.nextMs;
      user = burst.user;
      model = burst.model;
      advance(burst);
    }
    String clean = requestLine(user, model, startedMs);
    return dirtyOrClean(clean, startedMs, emitted++);
  }

  private Burst earliestBurst() {
    Burst earliest = null;
    for (Burst burst : openBursts) {
      if (earliest == null || burst.nextMs < earliest.nextMs) {
        earliest = burst;
      }
    }
    return earliest;
  }

  private void maybeOpenBurst(int user, int model, long startedMs) {
    long followers = bursts.followersOfNextArrival();
    if (followers > 0) {
      Burst burst = new Burst(user, model, startedMs, followers);
      stepTime(burst);
      openBursts.add(burst);
    }
  }

  private void advance(Burst burst) {
    burst.left--;
    if (burst.left == 0) {
      openBursts.remove(burst);
    } else {
      stepTime(burst);
    }
  }

  private void stepTime(Burst burst) {
    long gap =
        random.chance(BURST_TIE_PROBABILITY)
            ? 0L
            : Math.round(random.nextExponential(BURST_GAP_MEAN_MS));
    burst.nextMs = Math.min(burst.nextMs + gap, sliceEndMs - 1);
  }

  private String requestLine(int user, int model, long startedMs) {
    WorkloadModels.Profile profile = profiles.get(model);
    long inputTokens =
        clampTokens(
            random.nextLogNormal(profile.inputMedian(), profile.inputSigma()),
            WorkloadModels.MAX_INPUT_TOKENS);
    long outputTokens =
        clampTokens(
            random.nextLogNormal(profile.outputMedian(), profile.outputSigma()),
            WorkloadModels.MAX_OUTPUT_TOKENS);
    double prefill = profile.ttftBaseSeconds() + inputTokens / profile.prefillTokensPerSecond();
    double ttft = prefill * random.nextLogNormal(1.0, TTFT_SIGMA);
    if (random.chance(QUEUEING_PROBABILITY)) {
      ttft *= 2.0 + 8.0 * random.nextUnit(); // queued behind a long batch
    }
    double decode =
        outputTokens * profile.secondsPerOutputToken() * random.nextLogNormal(1.0, DECODE_SIGMA);
    ttft = Math.round(ttft * 1e6) / 1e6;
    double duration = Math.round((ttft + decode) * 1e6) / 1e6;
    long completedMs = startedMs + Math.round(duration * 1000.0);
    line.setLength(0);
    format.appendLine(
        line,
        population.userId(user),
        profile.name(),
        inputTokens,
        outputTokens,
        startedMs,
        completedMs,
        ttft,
        duration);
    return line.toString();
  }

  private static long clampTokens(double tokens, long max) {
    return Math.max(1L, Math.min(max, Math.round(tokens)));
  }

  private String dirtyOrClean(String clean, long startedMs, long rowIndex) {
    if (truncateLast && rowIndex == rowCount - 1) {
      return WorkloadDirtyLines.corrupt(
          WorkloadDirtyLines.Kind.TRUNCATED, clean, startedMs, format, dirtyRandom);
    }
    if (dirtyLeft > 0 && dirtyRandom.nextLong(selectableRows - rowIndex) < dirtyLeft) {
      dirtyLeft--;
      WorkloadDirtyLines.Kind kind = WorkloadDirtyLines.drawInnerKind(dirtyRandom);
      return WorkloadDirtyLines.corrupt(kind, clean, startedMs, format, dirtyRandom);
    }
    return clean;
  }
}
