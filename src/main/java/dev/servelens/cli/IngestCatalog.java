package dev.servelens.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The catalog an ingest writes into ({@code --catalog}). */
final class IngestCatalog {
  @Option(names = "--catalog", required = true, paramLabel = "DIR",
      description = "Catalog root (local dir, hdfs://, s3a://).")
  String catalog;

  @Mixin SingleWriterOption singleWriter;
}
