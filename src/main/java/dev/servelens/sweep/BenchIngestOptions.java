package dev.servelens.sweep;

import java.util.ArrayList;
import java.util.List;

/** Options of {@link BenchIngestJob}. */
public final class BenchIngestOptions {
  /** Logs trees, run directories or single files; Hadoop paths or globs. */
  public List<String> inputs = new ArrayList<>();

  /** Root of the catalog. */
  public String catalog;

  /** Fail at the first rejected record instead of recording it. */
  public boolean strict;
}
