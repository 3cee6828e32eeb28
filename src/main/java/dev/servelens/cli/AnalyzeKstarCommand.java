package dev.servelens.cli;

import dev.servelens.kstar.KstarAnalyzeJob;
import dev.servelens.kstar.KstarAnalyzeOptions;
import dev.servelens.kstar.KstarOptionException;
import dev.servelens.kstar.LengthsFor;
import dev.servelens.kstar.ServiceProfile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code servelens analyze kstar}: k* against the simulated k-hat. */
@Command(
    name = "kstar",
    mixinStandardHelpOptions = true,
    description = {
      "Timing fits, p offline and online (EMA), k*, N* under a KV budget, and a simulation of",
      "the prefill/decode competition scheduler for k = 1..N giving k-hat and the throughput gap.",
      "Writes OUT/kstar/fit|kstar|measured.csv|.md and OUT/kstar/figures/*.csv."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  servelens analyze kstar --catalog cat/ --out results/ --n 32 --n 64",
      "  servelens analyze kstar --catalog cat/ --out r/ --profile 0.015,0.00006,0.012,0.0001 \\",
      "      --memory-budget-tokens 400000 --epsilon 0.05 --replicates 5 --requests 4000",
      "  servelens analyze kstar --catalog cat/ --out r/ \\",
      "      --profile-for code=llama2-70b/a100-80gb/tp8 --profile-for conv=llama2-70b/h100-80gb/tp8",
      "  servelens analyze kstar --catalog cat/ --out r/ \\",
      "      --lengths-for llama2-70b/h100-80gb/tp8=geometric:512,in:1024 \\",
      "      --lengths-for llama2-70b/a100-80gb/tp8=file:hdfs:///data/lengths.csv"
    })
final class AnalyzeKstarCommand implements Callable<Integer> {
  @Mixin AnalyzeLocations locations;

  @Option(names = "--n", paramLabel = "N",
      description = "Batch size N (slots). Repeatable. Default: 32.")
  List<Integer> batchSizes = new ArrayList<>();

  @Option(names = "--replicates", defaultValue = "3", paramLabel = "R",
      description = "Simulation replicates per (model, N, k) (default ${DEFAULT-VALUE}).")
  int replicates;

  @Option(names = "--requests", defaultValue = "2000", paramLabel = "M",
      description = "Requests per simulated run (default ${DEFAULT-VALUE}).")
  int requests;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
      description = "Seed of the simulation (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--memory-budget-tokens", paramLabel = "B",
      description = "KV-cache budget in tokens; computes N* (Cantelli bound).")
  Long memoryBudgetTokens;

  @Option(names = "--epsilon", defaultValue = "0.05", paramLabel = "E",
      description = "Tolerated probability of exceeding the budget (default ${DEFAULT-VALUE}).")
  double epsilon;

  @Option(names = "--ema-alpha", defaultValue = "0.3", paramLabel = "A",
      description = "EMA weight of the newest completion (default ${DEFAULT-VALUE}).")
  double emaAlpha;

  @Option(names = "--ema-of-inverse",
      description = "Online p as an EMA of 1/L (the seed's variant) instead of 1 / EMA of L.")
  boolean emaOfInverse;

  @Option(names = "--kstar-update-interval", defaultValue = "32", paramLabel = "C",
      description = "Completions between online k* updates (default ${DEFAULT-VALUE}).")
  int updateInterval;

  @Option(names = "--profile", paramLabel = "AP,BP,AD,BD",
      description = "alpha_p,beta_p,alpha_d,beta_d (seconds) for models without profiling"
          + " samples, e.g. 0.015,0.00006,0.012,0.0001.")
  String profile;

  @Option(names = "--profile-for", paramLabel = "MODEL=PROFILE",
      description = "Analyse workload model MODEL with the fitted timing of profile PROFILE"
          + " (a kstar_profiles name, e.g. conv=llama2-70b/h100-80gb/tp8 for a Splitwise"
          + " profile). Repeatable.")
  Map<String, String> profileFor = new LinkedHashMap<>();

  @Option(names = "--lengths-for", paramLabel = "PROFILE=SPEC",
      description = "Analyse profile PROFILE with a plain length distribution, as the series"
          + " PROFILE@SPEC. SPEC: geometric:MEAN[,in:TOKENS] (output lengths geometric with"
          + " mean MEAN, p = 1/MEAN; prompts of TOKENS tokens, default 0) or file:PATH (a"
          + " file or folder, one request a line: 'output' or 'input,output'). Repeatable.")
  List<String> lengthsFor = new ArrayList<>();

  @Option(names = "--model", paramLabel = "MODEL",
      description = "Analyse only this model. Repeatable.")
  List<String> models = new ArrayList<>();

  @Mixin SparkOptions spark;

  @Override
  public Integer call() {
    KstarAnalyzeOptions options = new KstarAnalyzeOptions();
    options.catalog = locations.catalog;
    options.out = locations.out;
    if (!batchSizes.isEmpty()) {
      options.batchSizes = batchSizes;
    }
    for (int n : options.batchSizes) {
      AnalyzeCommand.positive(n, "--n");
    }
    options.replicates = AnalyzeCommand.positive(replicates, "--replicates");
    options.requests = AnalyzeCommand.positive(requests, "--requests");
    options.updateInterval = AnalyzeCommand.positive(updateInterval, "--kstar-update-interval");
    options.seed = seed;
    if (memoryBudgetTokens != null && memoryBudgetTokens <= 0) {
      throw new UsageException("--memory-budget-tokens must be positive");
    }
    options.memoryBudgetTokens = memoryBudgetTokens;
    if (!(epsilon > 0 && epsilon < 1)) {
      throw new UsageException("--epsilon must be in (0, 1), got " + epsilon);
    }
    options.epsilon = epsilon;
    if (!(emaAlpha > 0 && emaAlpha <= 1)) {
      throw new UsageException("--ema-alpha must be in (0, 1], got " + emaAlpha);
    }
    options.emaAlpha = emaAlpha;
    options.emaOfInverse = emaOfInverse;
    options.models = models;
    options.profileFor = profileFor;
    for (String value : lengthsFor) {
      try {
        options.lengthsFor.add(LengthsFor.parse(value));
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    if (profile != null) {
      try {
        options.profile = ServiceProfile.parse(profile);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--profile: " + e.getMessage());
      }
    }
    return spark.run("servelens analyze kstar", session -> {
      try {
        return "analyze kstar: " + KstarAnalyzeJob.run(session, options).size()
            + " (model, N) rows; tables in " + locations.out + "/kstar/";
      } catch (KstarOptionException e) {
        throw new UsageException(e.getMessage());
      }
    });
  }
}
