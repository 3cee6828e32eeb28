package dev.servelens.runs;

import java.util.ArrayList;
import java.util.List;

/** Options of {@link RunsAnalyzeJob}. */
public final class RunsAnalyzeOptions {
  /** Root of the catalog to read. */
  public String catalog;

  /** Output folder; tables go to {@code <out>/agentic/}. */
  public String out;

  /** T, percent: a KV sample is above it when {@code value * 100 > T}. */
  public double threshold = 70;

  /** The thresholds of the sensitivity table, percent. */
  public List<Double> thresholds = new ArrayList<>(List.of(50.0, 60.0, 70.0, 80.0, 90.0));

  /** Instant (epoch seconds) of the KV-after-cutoff check, or null for no check. */
  public Long cutoffEpochSeconds;

  /** Long-tail bounds of the latency table, seconds. */
  public List<Double> tailSeconds = new ArrayList<>(List.of(300.0, 1200.0));

  /** Slowest calls listed per run and kind. */
  public int topN = 20;

  /** Bootstrap replicates of the comparison tables. */
  public int bootstrap = 1000;

  /** Seed of the bootstrap. */
  public long seed = 42;

  /** Trial files a complete run has when its metrics_global.json does not give the total. */
  public int expectedTrials = 278;
}
