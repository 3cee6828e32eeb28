package dev.servelens.workload;

import java.util.ArrayList;
import java.util.List;

/** Options of {@link WorkloadIngestJob}. */
public final class WorkloadIngestOptions {
  /** Input files, directories (searched at any depth) or globs; Hadoop paths. */
  public List<String> inputs = new ArrayList<>();

  /** Root of the catalog. */
  public String catalog;

  /** Fail at the first rejected row instead of recording it. */
  public boolean strict;

  /** Offset of zone-less timestamps, e.g. {@code UTC}, {@code +08:00}. */
  public String defaultZone = "UTC";

  /**
   * The model of every row of the files without a model column, instead of the one their name
   * gives; null: from the name. A file with a model column keeps its own.
   */
  public String model;

  /** The instant that relative timestamps (BurstGPT, Mooncake) count from. */
  public String traceStart = "1970-01-01T00:00:00Z";
}
