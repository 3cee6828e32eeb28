package dev.servelens.cli;

import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every ingest shares: what it reads ({@code --input}), the catalog it writes
 * ({@code --catalog}, {@code --single-writer}) and what a bad input does ({@code --strict}).
 */
final class IngestSource {
  @Option(names = {"-i", "--input"}, required = true, arity = "1..*", paramLabel = "PATH",
      description = "Files, directories (searched at any depth) or globs; Hadoop paths."
          + " Several after one --input, or --input repeated.")
  List<String> inputs;

  @Option(names = "--catalog", required = true, paramLabel = "DIR",
      description = "Catalog root (local dir, hdfs://, s3a://).")
  String catalog;

  @Mixin SingleWriterOption singleWriter;

  @Option(names = "--strict",
      description = "Fail at the first rejected row, record or line (naming file, line and"
          + " field) instead of sending it to the rejects table.")
  boolean strict;
}
