package dev.servelens.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Options of {@link BenchIngestJob}. */
public final class BenchIngestOptions {
  /** Logs trees, run directories or single files; Hadoop paths or globs. */
  public List<String> inputs = new ArrayList<>();

  /** Root of the catalog. */
  public String catalog;

  /** Fail at the first rejected record instead of recording it. */
  public boolean strict;

  /** GPU type of the tool result files that do not name one; null: unknown. */
  public String gpuType;

  /** GPUs serving the tool result files that do not say; null: unknown (no TPS/GPU). */
  public Integer gpus;

  /** Run name by result file name (e.g. {@code vllm-4qps.json -> sweep-a}); default: the
   * file name without extension. Files given one name in one folder form one run. */
  public Map<String, String> labels = new HashMap<>();

  /** Tags of the runs of the tool result files read (for regression between tags). */
  public List<String> tags = new ArrayList<>();
}
