package dev.servelens.cli;

import dev.servelens.bench.RunTags;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code servelens tag add|remove JOB TAG}: a serving-benchmark run's tags. */
@Command(
    name = "tag",
    mixinStandardHelpOptions = true,
    description = {
      "Add or remove a tag of a serving-benchmark run. Rewrites the tags list of",
      "the run's {jobid}.json atomically (both metadata shapes) and, with",
      "--catalog, records the new list in table bench_tags, which analyze bench",
      "prefers over the tags ingested earlier."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  servelens tag add 3667 baseline --logs logs/ --catalog cat/",
      "  servelens tag remove 3667 baseline --logs logs/ --catalog cat/"
    })
final class TagCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "add|remove", description = "add or remove.")
  String action;

  @Parameters(index = "1", paramLabel = "JOB", description = "Job id of the run.")
  String job;

  @Parameters(index = "2", paramLabel = "TAG", description = "The tag.")
  String tag;

  @Option(names = "--logs", required = true, paramLabel = "LOGS",
      description = "Logs tree holding the run directory (or the run directory). Repeatable.")
  List<String> logs;

  @Option(names = "--catalog", paramLabel = "DIR",
      description = "Catalog to record the change in (table bench_tags).")
  String catalog;

  @Mixin SingleWriterOption singleWriter;

  @Mixin SparkOptions spark;

  @Override
  public Integer call() {
    if (!action.equals("add") && !action.equals("remove")) {
      throw new UsageException("tag: first argument must be add or remove, got " + action);
    }
    return spark.run("servelens tag", session -> "tag " + action + " " + job + " " + tag
        + ": tags now " + RunTags.change(session, logs, catalog, job, tag, action.equals("add")));
  }
}
