package dev.servelens.runs;

import java.util.ArrayList;
import java.util.List;

/** Options of {@link RunsIngestJob}. */
public final class RunsIngestOptions {
  /** Roots searched at any depth for run directories; Hadoop paths or globs. */
  public List<String> inputs = new ArrayList<>();

  /** Root of the catalog. */
  public String catalog;

  /** Fail at the first rejected row instead of recording it. */
  public boolean strict;

  /** Zone of the driver's zone-less log timestamps, e.g. UTC or Asia/Shanghai. */
  public String driverZone = "UTC";

  /** Label map file ({@code <dir name or glob> = system,concurrency}), or null. */
  public String labels;
}
