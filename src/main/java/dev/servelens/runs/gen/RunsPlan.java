package dev.servelens.runs.gen;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Plans a run set on the driver: names, folders, start times, seeds, and which runs get stuck,
 * contaminated or lose their driver.log. Bounded by the number of runs asked for.
 */
final class RunsPlan {

  /** Runs start one slot apart (a run takes about 1.5 h), plus up to {@link #JITTER_S}. */
  private static final long SLOT_S = 2 * 3600 + 600;
  private static final int JITTER_S = 900;
  /** Folders of large sets: every {@value} th run sits one level deeper. */
  private static final int DEEPER_EVERY = 4;
  private static final int MAX_RUNS = 1_000_000;

  private RunsPlan() {}

  static List<RunSpec> plan(RunsGenerateOptions options) {
    List<SystemProfile> systems = systems(options);
    List<Integer> concurrencies = options.concurrencies;
    if (concurrencies == null || concurrencies.isEmpty()) {
      throw new IllegalArgumentException("option concurrencies must list at least one number");
    }
    for (int concurrency : concurrencies) {
      if (concurrency < 1 || concurrency > 4096) {
        throw new IllegalArgumentException(
            "option concurrencies: " + concurrency + " is not in 1..4096");
      }
    }
    requireFraction(options.contaminate, "contaminate");
    requireFraction(options.stuck, "stuck");
    requireFraction(options.dirtyFraction, "dirty-fraction");
    if (options.runs < 0 || options.runs > MAX_RUNS) {
      throw new IllegalArgumentException("option runs must be in 0.." + MAX_RUNS);
    }
    boolean grid = options.runs == 0;
    int count = grid ? systems.size() * concurrencies.size() : options.runs;
    long firstSecond = startSecond(options.start);
    RunRandom random = RunRandom.stream(options.seed, 0);
    BitSet stuck = choose(RunRandom.stream(options.seed, 1), count, options.stuck);
    BitSet contaminated = choose(RunRandom.stream(options.seed, 2), count, options.contaminate);
    BitSet withoutDriverLog =
        choose(RunRandom.stream(options.seed, 3), count, options.dirtyFraction);
    List<RunSpec> runs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      SystemProfile system = systems.get(i / concurrencies.size() % systems.size());
      int concurrency = concurrencies.get(i % concurrencies.size());
      long start = firstSecond + i * SLOT_S + random.below(JITTER_S);
      String base = system.label() + "_c" + concurrency;
      String name = grid && system == SystemProfile.THUNDERREACT
          ? base : base + "_" + LogTime.compact(start);
      String dir = grid ? name : folder(i, start) + name;
      runs.add(new RunSpec(i, system, concurrency, name, dir, start, random.nextLong(),
          stuck.get(i), contaminated.get(i), withoutDriverLog.get(i), options.big,
          options.dirtyFraction));
    }
    return runs;
  }

  private static String folder(int index, long start) {
    String date = LogTime.date(start);
    return index % DEEPER_EVERY == DEEPER_EVERY - 1
        ? date + "/5090_tau2_global_" + LogTime.compact(start).substring(0, 8) + "/"
        : date + "/";
  }

  private static List<SystemProfile> systems(RunsGenerateOptions options) {
    if (options.systems == null || options.systems.isEmpty()) {
      throw new IllegalArgumentException("option systems must list at least one system");
    }
    List<SystemProfile> systems = new ArrayList<>();
    for (String name : options.systems) {
      systems.add(SystemProfile.named(name));
    }
    return systems;
  }

  /** Exactly round(fraction * count) runs, chosen at random. */
  private static BitSet choose(RunRandom random, int count, double fraction) {
    BitSet chosen = new BitSet(count);
    int wanted = (int) Math.round(fraction * count);
    while (chosen.cardinality() < wanted) {
      chosen.set(random.below(count));
    }
    return chosen;
  }

  private static long startSecond(String start) {
    try {
      return LocalDateTime.parse(start).toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "option start must look like 2026-01-04T10:00:00, got '" + start + "'", e);
    }
  }

  private static void requireFraction(double value, String option) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException("option " + option + " must be in [0, 1], got " + value);
    }
  }
}
