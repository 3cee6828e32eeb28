package dev.servelens.kstar;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Options of {@link KstarAnalyzeJob}. */
public final class KstarAnalyzeOptions {
  /** Root of the catalog to read. */
  public String catalog;

  /** Output folder; tables go to {@code <out>/kstar/}. */
  public String out;

  /** Batch sizes N analysed (slots of the engine). */
  public List<Integer> batchSizes = new ArrayList<>(List.of(32));

  /** Simulation replicates per (model, N, k). */
  public int replicates = 3;

  /** Requests per simulated run. */
  public int requests = 2000;

  /** Seed of the simulation's random streams. */
  public long seed = 42L;

  /** KV-cache budget in tokens for N*; null: N* is not computed. */
  public Long memoryBudgetTokens;

  /** Tolerated probability of exceeding the KV budget. */
  public double epsilon = 0.05;

  /** EMA weight a of the newest completion in the online estimate. */
  public double emaAlpha = 0.3;

  /** Use the seed's EMA of 1/L instead of the EMA of L. */
  public boolean emaOfInverse;

  /** Completions between recomputations of the online k*. */
  public int updateInterval = 32;

  /** Points kept per model in the online trajectory figure (about). */
  public int maxTrajectoryPoints = 1000;

  /** Timing profile for models without profiling samples; null: such models are skipped. */
  public ServiceProfile profile;

  /**
   * Workload model -> the kstar_profiles name whose fitted timing it is analysed with, for
   * profiles named otherwise than the trace's models (e.g. {@code conv ->
   * llama2-70b/h100-80gb/tp8}). A model not in the map uses the profile of its own name.
   */
  public Map<String, String> profileFor = new LinkedHashMap<>();

  /**
   * Profiles analysed with a plain length distribution instead of a workload model's lengths
   * ({@code --lengths-for PROFILE=SPEC}), each as the series {@code PROFILE@SPEC}; analysed
   * whatever {@link #models} says.
   */
  public List<LengthsFor> lengthsFor = new ArrayList<>();

  /** Only these models (all when empty). */
  public List<String> models = new ArrayList<>();
}
