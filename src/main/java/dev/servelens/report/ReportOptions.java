package dev.servelens.report;

/** Options of {@link ReportJob}. */
public final class ReportOptions {
  /** Catalog root (Hadoop path). */
  public String catalog;

  /** The analyses' output folder; {@code index.html} is written there. */
  public String out;

  /** Rows of each table shown in the report (the CSV link has them all). */
  public int tableRows = 10;

  /** Example rows shown per kind of reject reason. */
  public int rejectExamples = 3;

  /** Per-user throughput (tokens/s) drawn as a cutoff line on Pareto figures, or null. */
  public Double paretoCutoff;
}
