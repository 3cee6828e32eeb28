package dev.servelens.bench;

import java.util.ArrayList;
import java.util.List;

/** Options of {@link BenchAnalyzeJob}. */
public final class BenchAnalyzeOptions {
  /** Root of the catalog to read. */
  public String catalog;

  /** Output folder; tables go to {@code <out>/bench/}. */
  public String out;

  /** Keep only runs whose GPU type contains this text (case ignored); null: all. */
  public String gpuType;

  /** Keep only runs of this topology, e.g. {@code 1P_4D}; null: all. */
  public String topology;

  /** Keep only runs with this input length; null: all. */
  public Integer isl;

  /** Keep only runs with this output length; null: all. */
  public Integer osl;

  /** Keep only runs whose container contains this text; null: all. */
  public String container;

  /** Keep only runs carrying every one of these tags. */
  public List<String> tags = new ArrayList<>();

  /** Pareto y axis: {@code output} (output TPS/GPU) or {@code total} (total TPS/GPU). */
  public String paretoMetric = "output";

  /** Leave points with TPS/User below this out of the Pareto front; null: no cutoff. */
  public Double tpsUserCutoff;

  /** TTFT target for {@code best_concurrency}, in ms; null: table not written. */
  public Double ttftTargetMs;

  /** Which TTFT statistic must meet the target: {@code p99}, {@code mean} or {@code median}. */
  public String ttftStat = "p99";

  /** Tag of the baseline runs of the regression table; null: not written. */
  public String baselineTag;

  /** Tag of the current runs of the regression table. */
  public String currentTag;

  /** Two job ids whose configurations and environments are compared; empty: not written. */
  public List<String> diff = new ArrayList<>();

  /** At most this many time buckets per run in the node metrics. */
  public int maxBuckets = 500;
}
