package dev.servelens.workload;

import java.util.ArrayList;
import java.util.List;

/** Options of {@link WorkloadAnalyzeJob}. */
public final class WorkloadAnalyzeOptions {
  /** Root of the catalog to read. */
  public String catalog;

  /** Output folder; tables go to {@code <out>/workload/}. */
  public String out;

  /** Models shown in the per-model figures (the busiest ones), besides the combined series. */
  public int topModels = 10;

  /** Rows of the top-N tables (users, categorical values). */
  public int topN = 20;

  /** W: requests per window of the per-user model-diversity analysis. */
  public int diversityWindow = 1000;

  /** Users with box statistics in the model-diversity analysis. */
  public int diversityTopUsers = 50;

  /** Pairs of consecutive gaps per series in the lag-1 scatter (a sample fixed by a hash). */
  public int lagScatterPoints = 1000;

  /** Also compute inter-arrival gaps within each user's own requests. */
  public boolean perUserGaps;

  /** Only these models (all when empty). */
  public List<String> models = new ArrayList<>();

  /** First date analysed (inclusive, yyyy-MM-dd), or null. */
  public String from;

  /** Last date analysed (inclusive, yyyy-MM-dd), or null. */
  public String to;
}
