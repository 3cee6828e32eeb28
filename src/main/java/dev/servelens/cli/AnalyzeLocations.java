package dev.servelens.cli;

import picocli.CommandLine.Option;

/** Where an analysis reads ({@code --catalog}) and writes ({@code --out}). */
final class AnalyzeLocations {
  @Option(names = "--catalog", required = true, paramLabel = "DIR", description = "Catalog root.")
  String catalog;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Output folder (Hadoop path).")
  String out;
}
