package dev.servelens.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servelens.runs.gen.RunsGenerateJob;
import dev.servelens.runs.gen.RunsGenerateOptions;
import dev.servelens.testing.OutputCsv;
import dev.servelens.testing.SharedSpark;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated run directories, ingested and analysed, give the active windows the generator
 * computed from the records it wrote ({@code _truth/active_window.csv}): a second,
 * independent implementation of the reference semantics, on files with the wild's damage.
 */
class GeneratedRunsEndToEndTest {
  @TempDir Path temp;

  @Test
  void activeWindowsMatchTheGeneratorsTruth() throws Exception {
    RunsGenerateOptions generate = new RunsGenerateOptions();
    generate.out = temp.resolve("runs").toString();
    generate.systems = List.of("thunderreact", "continuum");
    generate.concurrencies = List.of(32, 64);
    generate.contaminate = 0.25;
    generate.dirtyFraction = 0.25;
    RunsGenerateJob.run(SharedSpark.session(), generate);

    RunsIngestOptions ingest = new RunsIngestOptions();
    ingest.inputs = List.of(generate.out);
    ingest.catalog = temp.resolve("catalog").toString();
    RunsIngestJob.run(SharedSpark.session(), ingest);
    RunsAnalyzeOptions analyze = new RunsAnalyzeOptions();
    analyze.catalog = ingest.catalog;
    analyze.out = temp.resolve("out").toString();
    RunsAnalyzeJob.run(SharedSpark.session(), analyze);

    List<Map<String, String>> truth =
        OutputCsv.read(temp.resolve("runs").resolve(RunsGenerateJob.TRUTH_FILE));
    List<Map<String, String>> found = OutputCsv.read(temp.resolve("out/agentic/active_window.csv"));
    assertThat(truth).hasSize(4);
    assertThat(found).hasSize(truth.size());
    int withoutDriverLog = 0;
    for (Map<String, String> expected : truth) {
      Map<String, String> row = OutputCsv.row(found, "run_id", expected.get("run_id"));
      assertThat(row.get("system")).isEqualTo(expected.get("system"));
      assertThat(row.get("concurrency")).isEqualTo(expected.get("concurrency"));
      assertThat(Instant.parse(row.get("window_start")))
          .isEqualTo(Instant.parse(expected.get("window_start")));
      assertThat(Instant.parse(row.get("window_end")))
          .isEqualTo(Instant.parse(expected.get("window_end")));
      assertThat(OutputCsv.number(row, "window_s"))
          .isEqualTo(OutputCsv.number(expected, "window_s"));
      for (String column : List.of("tasks_in_window", "steps_in_window", "tasks_per_min",
          "steps_per_s")) {
        if (expected.get(column).isEmpty()) {
          // A run without driver.log: its tasks and steps are unknown, not zero.
          assertThat(row.get(column)).as(column).isEmpty();
          withoutDriverLog++;
        } else {
          assertThat(OutputCsv.number(row, column)).as(column)
              .isCloseTo(OutputCsv.number(expected, column), within(1e-9));
        }
      }
    }
    assertThat(withoutDriverLog).as("cells of runs without driver.log").isEqualTo(4);
    List<Map<String, String>> health = OutputCsv.read(temp.resolve("out/agentic/run_health.csv"));
    assertThat(health).anySatisfy(row -> assertThat(row.get("status")).isEqualTo("contaminated"));
  }
}
