package dev.servelens.cli;

import picocli.CommandLine.Option;

/** The options every generator shares: where it writes and the seed that makes it repeatable. */
final class GeneratedSet {
  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Output folder (Hadoop path); it must not exist yet or be empty.")
  String out;

  @Option(names = "--seed", defaultValue = "42",
      description = "Seed: the same seed and options give the same files (default"
          + " ${DEFAULT-VALUE}).")
  long seed;
}
