package dev.servelens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servelens.testing.CommandRun;
import dev.servelens.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end: help, exit codes, one-line errors, ingest and query. */
class MainTest {
  @TempDir Path temp;

  @BeforeAll
  static void shareTheTestSession() {
    SparkSessions.share(SharedSpark.session());
  }

  @AfterAll
  static void unshare() {
    SparkSessions.unshare();
  }

  private static CommandRun run(String... args) {
    return CommandRun.of(args);
  }


  @Test
  void helpTeachesWithExamples() {
    CommandRun help = run("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("ingest", "analyze", "query", "generate", "demo", "Examples:");
    // The agentic family's commands answer to the name of its outputs too.
    CommandRun agentic = run("analyze", "agentic", "--help");
    assertThat(agentic.code()).isZero();
    assertThat(agentic.out()).contains("--threshold", "OUT/agentic/");
    CommandRun ingestHelp = run("ingest", "workload", "--help");
    assertThat(ingestHelp.code()).isZero();
    assertThat(ingestHelp.out()).contains("--input", "--catalog", "--strict", "Examples:");
  }

  @Test
  void badUsageExitsWithTwoNamingTheFault() {
    CommandRun missing = run("ingest", "workload");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required options", "--input", "--catalog");
    CommandRun zero = run("analyze", "workload", "--catalog", "c", "--out", "o", "--top-n", "0");
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.err()).contains("--top-n");
    CommandRun unknown = run("no-such-command");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("no-such-command");
  }

  @Test
  void badLengthsForExitsWithTwoNamingTheOptionAndValue() {
    CommandRun mean = run("analyze", "kstar", "--catalog", "c", "--out", "o",
        "--lengths-for", "llama2-70b/h100-80gb/tp8=geometric:0.5");
    assertThat(mean.code()).isEqualTo(2);
    assertThat(mean.err()).contains("--lengths-for llama2-70b/h100-80gb/tp8=geometric:0.5: ",
        "the mean output length must be a number in 1..1000000");
    String catalog = temp.resolve("kcat").toString();
    assertThat(run("ingest", "kstar", "--catalog", catalog, "--input",
        "src/test/resources/KstarSplitwiseTest").code()).isZero();
    CommandRun profile = run("analyze", "kstar", "--catalog", catalog, "--out",
        temp.resolve("ko").toString(), "--n", "2", "--replicates", "1", "--requests", "4",
        "--lengths-for", "no/such/tp1=geometric:20");
    assertThat(profile.code()).isEqualTo(2);
    assertThat(profile.err()).contains(
        "--lengths-for no/such/tp1=geometric:20: no profile of that name", "m7b/gpu1/tp2");
  }

  @Test
  void failuresExitWithOneAndNameTheFault() {
    CommandRun strict = run("ingest", "workload", "--strict", "--catalog",
        temp.resolve("cat").toString(), "--input",
        "src/test/resources/WorkloadIngestJobTest/canonical.csv");
    assertThat(strict.code()).isEqualTo(1);
    assertThat(strict.err()).contains("canonical.csv: line 5: input_tokens: not a number 'abc'");
    assertThat(strict.err().lines().filter(l -> l.contains("error:")).count()).isEqualTo(1);
    CommandRun missing = run("analyze", "workload", "--catalog", temp.resolve("none").toString(),
        "--out", temp.resolve("o").toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("has no table workload_requests");
  }

  @Test
  void ingestThenQueryTheCatalog() throws Exception {
    String catalog = temp.resolve("cat").toString();
    CommandRun ingest = run("ingest", "workload", "--catalog", catalog, "--input",
        "src/test/resources/WorkloadAnalyzeJobTest/requests.csv");
    assertThat(ingest.code()).isZero();
    assertThat(ingest.out()).contains("rows read 8 = kept 7 + rejected 1");
    Path csv = temp.resolve("q.csv");
    CommandRun query = run("query", "--catalog", catalog, "--csv", csv.toString(),
        "SELECT model_id, count(*) AS n FROM workload_requests GROUP BY model_id ORDER BY 1");
    assertThat(query.code()).isZero();
    assertThat(Files.readAllLines(csv)).containsExactly("model_id,n", "m1,5", "m2,2");
    CommandRun printed = run("query", "--catalog", catalog,
        "SELECT line_number, reason FROM workload_rejects");
    assertThat(printed.out()).contains("| 9 | input_tokens: not a number 'oops' |");
  }

  @Test
  void pipelineDryRunSubstitutesTheDefinition() {
    CommandRun dry = run("pipeline", "--jobs", "jobs/nightly.properties", "--date", "2025-01-15",
        "--set", "dump=/data/d", "--dry-run");
    assertThat(dry.code()).isZero();
    assertThat(dry.out()).contains(
        "require: /data/d/2025-01-15",
        "ingest-workload: servelens ingest workload --input /data/d/2025-01-15/workload"
            + " --catalog catalog   (if /data/d/2025-01-15/workload exists)",
        "ingest-runs: servelens ingest runs --input /data/d/2025-01-15/runs",
        "ingest-bench: servelens ingest bench --input /data/d/2025-01-15/bench",
        "analyze-workload: servelens analyze workload --catalog catalog --out results/2025-01-15",
        "report: servelens report --catalog catalog --out results/2025-01-15");
    assertThat(PipelineCommand.split("a 'b c' \"d\"")).isEqualTo(List.of("a", "b c", "d"));
  }

  @Test
  void pipelineFailsOnAMissingNightAndSkipsAbsentFamilies() throws Exception {
    Path dump = temp.resolve("dump");
    Path night = dump.resolve("2025-01-15");
    Path jobs = temp.resolve("nightly.properties");
    Files.writeString(jobs, String.join("\n",
        "night = ${dump}/${date}",
        "require = ${night}",
        "steps = runs, workload, check",
        "step.runs = ingest workload --input ${night}/runs --catalog ${catalog}",
        "step.runs.if-exists = ${night}/runs",
        "step.workload = ingest workload --input ${night}/workload --catalog ${catalog}",
        "step.workload.if-exists = ${night}/workload",
        "step.check = query --catalog ${catalog} --fail-if-any 'unusable files' \"SELECT"
            + " source_path FROM ingest_manifest WHERE rows_kept = 0 AND rows_rejected > 0\""));
    String catalog = temp.resolve("cat").toString();
    String[] args = {"pipeline", "--jobs", jobs.toString(), "--date", "2025-01-15",
        "--set", "dump=" + dump, "--set", "catalog=" + catalog};

    CommandRun missing = run(args);
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("required input " + night + " does not exist");

    Files.createDirectories(night.resolve("workload"));
    Files.copy(Path.of("src/test/resources/WorkloadAnalyzeJobTest/requests.csv"),
        night.resolve("workload/requests.csv"));
    CommandRun first = run(args);
    assertThat(first.code()).isZero();
    assertThat(first.out()).contains("[1/3] runs: skipped, " + night.resolve("runs")
        + " does not exist", "rows read 8 = kept 7 + rejected 1");
    CommandRun second = run(args);
    assertThat(second.code()).isZero();
    assertThat(second.out()).contains("1 file(s) found, 0 ingested, 1 already in the catalog",
        "check passed: no rows");

    Files.writeString(night.resolve("workload/noheader.csv"), "a,b,c\n1,2,3\n");
    CommandRun unusable = run(args);
    assertThat(unusable.code()).isEqualTo(1);
    assertThat(unusable.out()).contains("noheader.csv");
    assertThat(unusable.err()).contains("unusable files (1 row(s), listed above)",
        "step check failed with exit code 1");
  }
}
