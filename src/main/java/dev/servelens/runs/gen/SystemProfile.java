package dev.servelens.runs.gen;

import java.util.Locale;

/**
 * How each serving system behaves in the synthetic runs: its port and KV metric, its nominal
 * throughput in steps/s at 32, 64 and 128 concurrent agents (the magnitudes of the published
 * ThunderReact / Continuum / baseline vLLM comparison, so the comparison tables have clear
 * winners and near-ties), and the share and size of its very slow orchestrator calls.
 */
enum SystemProfile {
  /** Router plus vLLM backend: fast calls, but paused programs wait in the router (long tails). */
  THUNDERREACT(8100, 1900, false, new double[] {2.97, 3.37, 2.52},
      new double[] {0.010, 0.020, 0.070}, 420_000),
  /** vLLM with the Continuum policy (an older vLLM fork: {@code gpu_cache_usage_perc}). */
  CONTINUUM(1900, 8100, true, new double[] {2.83, 1.89, 1.97},
      new double[] {0.010, 0.040, 0.060}, 380_000),
  /** Plain vLLM: slower typical call, light tail. */
  BASELINE(1900, 8100, false, new double[] {2.95, 2.82, 2.83},
      new double[] {0.002, 0.002, 0.003}, 250_000);

  /** The concurrencies the throughput table is given at; others are interpolated in log2. */
  private static final int[] REFERENCE_CONCURRENCIES = {32, 64, 128};

  private static final String MODEL_LABELS = "model_name=\"Nemotron-Orchestrator-8B\"}";

  final int port;
  final int otherPort;
  final boolean olderVllm;
  private final double[] stepsPerSecond;
  private final double[] stallProbability;
  final double stallMedianMillis;

  SystemProfile(int port, int otherPort, boolean olderVllm, double[] stepsPerSecond,
      double[] stallProbability, double stallMedianMillis) {
    this.port = port;
    this.otherPort = otherPort;
    this.olderVllm = olderVllm;
    this.stepsPerSecond = stepsPerSecond;
    this.stallProbability = stallProbability;
    this.stallMedianMillis = stallMedianMillis;
  }

  /** The system named {@code name} (case ignored), or an error listing the known ones. */
  static SystemProfile named(String name) {
    for (SystemProfile profile : values()) {
      if (profile.label().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return profile;
      }
    }
    throw new IllegalArgumentException("unknown system '" + name
        + "' in option systems: use thunderreact, continuum or baseline");
  }

  /** The name used in run directory names, e.g. {@code thunderreact}. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the runs of this system write {@code scheduler_timestamps}. */
  boolean writesSchedulerTimestamps() {
    return this == CONTINUUM;
  }

  /** The Prometheus series of KV usage, labels joined by {@code ;} as the sampler writes it. */
  String kvMetric() {
    return olderVllm
        ? "vllm:gpu_cache_usage_perc{" + MODEL_LABELS
        : "vllm:kv_cache_usage_perc{engine=\"0\";" + MODEL_LABELS;
  }

  /** Another series of the same scrape (not KV usage), e.g. {@code num_requests_running}. */
  String gaugeMetric(String name) {
    return "vllm:" + name + (olderVllm ? "{" : "{engine=\"0\";") + MODEL_LABELS;
  }

  /** Nominal steps/s with {@code concurrency} agents. */
  double stepsPerSecond(int concurrency) {
    return interpolate(stepsPerSecond, concurrency);
  }

  /** Share of orchestrator calls that stall (minutes, sometimes half an hour). */
  double stallProbability(int concurrency) {
    return interpolate(stallProbability, concurrency);
  }

  private static double interpolate(double[] table, int concurrency) {
    double position = Math.log(concurrency) / Math.log(2) - 5;
    if (position <= 0) {
      return table[0];
    }
    if (position >= REFERENCE_CONCURRENCIES.length - 1) {
      return table[REFERENCE_CONCURRENCIES.length - 1];
    }
    int low = (int) position;
    double weight = position - low;
    return table[low] * (1 - weight) + table[low + 1] * weight;
  }
}
