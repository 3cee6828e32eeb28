package dev.servelens.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servelens.bench.gen.BenchGenerateJob;
import dev.servelens.bench.gen.BenchGenerateOptions;
import dev.servelens.testing.OutputCsv;
import dev.servelens.testing.SharedSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated benchmark tree, ingested and analysed, gives the GPUs, per-GPU and per-user
 * throughput and the incomplete runs that the generator wrote down in {@code
 * _truth/expected.csv} from the values it put in the files.
 */
class GeneratedBenchEndToEndTest {
  @TempDir Path temp;

  @Test
  void resultsAndIncompleteRunsMatchTheGeneratorsTruth() throws Exception {
    BenchGenerateOptions generate = new BenchGenerateOptions();
    generate.out = temp.resolve("logs").toString();
    generate.runs = 8;
    generate.incompleteFraction = 0.3;
    BenchGenerateJob.run(SharedSpark.session(), generate);

    BenchIngestOptions ingest = new BenchIngestOptions();
    ingest.inputs = List.of(generate.out);
    ingest.catalog = temp.resolve("catalog").toString();
    BenchIngestJob.run(SharedSpark.session(), ingest);
    BenchAnalyzeOptions analyze = new BenchAnalyzeOptions();
    analyze.catalog = ingest.catalog;
    analyze.out = temp.resolve("out").toString();
    BenchAnalyzeJob.run(SharedSpark.session(), analyze);

    List<Map<String, String>> truth = OutputCsv.read(temp.resolve("logs/_truth/expected.csv"));
    List<Map<String, String>> results = OutputCsv.read(temp.resolve("out/bench/results.csv"));
    int checked = 0;
    Set<String> incomplete = new TreeSet<>();
    for (Map<String, String> expected : truth) {
      if (!expected.get("run_status").equals("ok")) {
        continue;
      }
      if (expected.get("complete").equals("false")) {
        incomplete.add(expected.get("job_id"));
      }
      if (!expected.get("result_file").equals("ok")) {
        continue;
      }
      Map<String, String> row = OutputCsv.row(results, "job_id", expected.get("job_id"),
          "concurrency", expected.get("concurrency"));
      assertThat(OutputCsv.number(row, "total_gpus"))
          .isEqualTo(OutputCsv.number(expected, "total_gpus"));
      double gpus = OutputCsv.number(expected, "total_gpus");
      assertThat(OutputCsv.number(row, "output_tps_per_gpu")).isCloseTo(
          Double.parseDouble(expected.get("output_throughput")) / gpus, within(1e-9));
      assertThat(OutputCsv.number(row, "total_tps_per_gpu")).isCloseTo(
          Double.parseDouble(expected.get("total_token_throughput")) / gpus, within(1e-9));
      assertThat(OutputCsv.number(row, "tps_per_user")).isCloseTo(
          1000.0 / Double.parseDouble(expected.get("mean_tpot_ms")), within(1e-9));
      checked++;
    }
    assertThat(results).hasSize(checked);
    assertThat(checked).isGreaterThan(20);
    assertThat(incomplete).isNotEmpty();
    Set<String> reported = new TreeSet<>();
    OutputCsv.read(temp.resolve("out/bench/incomplete_runs.csv"))
        .forEach(row -> reported.add(row.get("job_id")));
    assertThat(reported).isEqualTo(incomplete);
  }
}
