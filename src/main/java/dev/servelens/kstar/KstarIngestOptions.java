package dev.servelens.kstar;

import java.util.ArrayList;
import java.util.List;

/** Options of {@link KstarIngestJob}. */
public final class KstarIngestOptions {
  /** Input files, directories (searched at any depth) or globs; Hadoop paths. */
  public List<String> inputs = new ArrayList<>();

  /** Root of the catalog. */
  public String catalog;

  /** Fail at the first rejected row instead of recording it. */
  public boolean strict;
}
