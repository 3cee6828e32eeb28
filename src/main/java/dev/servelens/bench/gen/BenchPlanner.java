package dev.servelens.bench.gen;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans the runs of a generated sweep on the driver. Runs come in families (one deployment on
 * one GPU type and topology, re-run nightly on newer containers) so that tagged baseline and
 * current runs can be compared; run {@code i} belongs to family {@code i mod F} with F = runs / 4,
 * which cycles deployments, containers and metadata shapes so that a 24-run sweep holds every
 * variant. Which runs are profiling, incomplete, dirty, nested or have a decoy folder is drawn
 * from a seeded shuffle, disjointly where it matters.
 */
final class BenchPlanner {

  private static final LocalDateTime FIRST_RUN = LocalDateTime.of(2025, 11, 3, 18, 21, 45);
  private static final int RUNS_PER_FAMILY = 4;

  private final BenchGenerateOptions options;
  private final BenchRandom random;

  private BenchPlanner(BenchGenerateOptions options) {
    this.options = options;
    this.random = new BenchRandom(BenchRandom.streamSeed(options.seed, -1, 0));
  }

  /** The plans of all runs, in job order. */
  static List<BenchRunPlan> plan(BenchGenerateOptions options) {
    return new BenchPlanner(options).plan();
  }

  private List<BenchRunPlan> plan() {
    int families = Math.max(1, (options.runs + RUNS_PER_FAMILY - 1) / RUNS_PER_FAMILY);
    List<BenchRunPlan> templates = new ArrayList<>();
    for (int family = 0; family < families; family++) {
      templates.add(family(family));
    }
    List<BenchRunPlan> runs = new ArrayList<>();
    LocalDateTime started = FIRST_RUN;
    int jobId = 3600 + random.below(100);
    for (int index = 0; index < options.runs; index++) {
      BenchRunPlan family = templates.get(index % families);
      runs.add(run(family, index, index / families, jobId, started));
      jobId += 1 + random.below(30);
      started = started.plusMinutes(240 + random.below(480)).plusSeconds(random.below(60));
    }
    markSpecialRuns(runs);
    return runs;
  }

  private BenchRunPlan family(int family) {
    Deployment[] deployments = Deployment.values();
    Deployment deployment = deployments[family % deployments.length];
    BenchRunPlan plan = new BenchRunPlan();
    plan.deployment = deployment;
    plan.gpu = random.pick(deployment.gpus);
    int[] lengths = random.pick(deployment.sequenceLengths);
    plan.isl = lengths[0];
    plan.osl = lengths[1];
    plan.groups = groups(deployment, plan.gpu);
    plan.concurrencies = concurrencies(deployment);
    plan.inputRangeRatio = random.chance(0.25) ? 0.8 : 1.0;
    plan.goodputSlo = random.chance(0.3);
    plan.firstNodeNumber = 1 + random.below(40);
    return plan;
  }

  private List<WorkerGroup> groups(Deployment deployment, GpuType gpu) {
    int perNode = gpu.gpusPerNode;
    boolean ranks = deployment.dataParallelAttention();
    int decodeGpus = deployment.gpusPerWorker(deployment.decodeGpus, gpu);
    if (!deployment.disaggregated) {
      int workers = 1 << random.inclusive(0, log2(deployment.maxDecodeWorkers));
      return List.of(new WorkerGroup("agg", workers, decodeGpus, perNode, 0, ranks));
    }
    int prefillGpus = deployment.gpusPerWorker(deployment.prefillGpus, gpu);
    int prefillWorkers = random.inclusive(deployment.minWorkers, deployment.maxPrefillWorkers);
    int decodeWorkers = random.inclusive(deployment.minWorkers, deployment.maxDecodeWorkers);
    WorkerGroup prefill = new WorkerGroup("prefill", prefillWorkers, prefillGpus, perNode, 0, ranks);
    WorkerGroup decode =
        new WorkerGroup("decode", decodeWorkers, decodeGpus, perNode, prefill.nodes(), ranks);
    return List.of(prefill, decode);
  }

  private static int log2(int value) {
    return 31 - Integer.numberOfLeadingZeros(value);
  }

  private int[] concurrencies(Deployment deployment) {
    int length = random.inclusive(4, 8);
    int maxStart = Math.max(deployment.minConcurrencyExponent,
        deployment.maxConcurrencyExponent - length + 1);
    int first = random.inclusive(deployment.minConcurrencyExponent, maxStart);
    int last = Math.min(deployment.maxConcurrencyExponent, first + length - 1);
    int[] values = new int[last - first + 1];
    for (int i = 0; i < values.length; i++) {
      values[i] = 1 << (first + i);
    }
    return values;
  }

  private BenchRunPlan run(
      BenchRunPlan family, int index, int position, int jobId, LocalDateTime started) {
    BenchRunPlan plan = new BenchRunPlan();
    plan.index = index;
    plan.seed = BenchRandom.streamSeed(options.seed, index, 0);
    plan.jobId = jobId;
    plan.started = started;
    plan.deployment = family.deployment;
    plan.gpu = family.gpu;
    plan.groups = family.groups;
    plan.isl = family.isl;
    plan.osl = family.osl;
    plan.concurrencies = family.concurrencies;
    plan.presentCount = family.concurrencies.length;
    plan.inputRangeRatio = family.inputRangeRatio;
    plan.goodputSlo = family.goodputSlo;
    plan.firstNodeNumber = family.firstNodeNumber;
    plan.release = SglangRelease.values()[position % SglangRelease.values().length];
    plan.shape = MetadataShape.values()[(index + position) % MetadataShape.values().length];
    plan.speed = plan.release.speedup * random.jitter(1.0, 0.02);
    plan.memoryFraction = random.pick(List.of(0.82, 0.85, 0.88));
    plan.nvlsEnabled = random.chance(0.5);
    plan.jitDeepGemm = random.chance(0.7);
    plan.tags = tags(plan, position, index);
    return plan;
  }

  private static List<String> tags(BenchRunPlan plan, int position, int index) {
    List<String> tags = new ArrayList<>();
    tags.add(position == 0 ? "baseline" : "nightly");
    if (plan.deployment.modelPath.contains("FP8") || plan.deployment.speculative) {
      tags.add("fp8");
    }
    if (index % 3 == 0) {
      tags.add(plan.gpu.tag);
    }
    return tags;
  }

  /** Chooses profiling, incomplete and dirty runs disjointly, then nested and decoy layouts. */
  private void markSpecialRuns(List<BenchRunPlan> runs) {
    List<BenchRunPlan> order = shuffled(runs);
    int next = 0;
    for (int i = 0; i < count(options.profilingFraction) && next < order.size(); i++, next++) {
      BenchRunPlan plan = order.get(next);
      plan.profiling = true;
      plan.concurrencies = new int[] {plan.concurrencies[plan.concurrencies.length / 2]};
      plan.presentCount = 0;
    }
    for (int i = 0; i < count(options.incompleteFraction) && next < order.size(); i++, next++) {
      BenchRunPlan plan = order.get(next);
      int length = plan.concurrencies.length;
      plan.presentCount = length - 1 - random.below(Math.min(3, length - 1));
    }
    DirtyKind[] kinds = DirtyKind.values();
    for (int i = 0; i < count(options.dirtyFraction) && next < order.size(); i++, next++) {
      order.get(next).dirty = kinds[1 + i % (kinds.length - 1)];
    }
    for (BenchRunPlan plan : shuffled(runs).subList(0, Math.max(1, runs.size() / 5))) {
      plan.nestedLogs = true;
    }
    int decoys = Math.max(1, runs.size() / 8);
    for (BenchRunPlan plan : shuffled(runs)) {
      if (decoys > 0 && !plan.profiling && plan.osl == 1024) {
        plan.decoyNeighbour = true;
        decoys--;
      }
    }
  }

  private int count(double fraction) {
    return fraction <= 0 ? 0 : Math.max(1, (int) Math.round(fraction * options.runs));
  }

  private List<BenchRunPlan> shuffled(List<BenchRunPlan> runs) {
    List<BenchRunPlan> order = new ArrayList<>(runs);
    for (int i = order.size() - 1; i > 0; i--) {
      int j = random.below(i + 1);
      BenchRunPlan swap = order.get(i);
      order.set(i, order.get(j));
      order.set(j, swap);
    }
    return order;
  }
}
