package dev.servelens.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servelens.catalog.CatalogLock;
import dev.servelens.catalog.LockSettings;
import dev.servelens.cli.Main;
import dev.servelens.io.IngestSummary;
import dev.servelens.testing.CommandRun;
import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tag add / remove round trip on both metadata shapes: the {@code {jobid}.json} file, the
 * {@code bench_tags} overlay seen by the analysis, and a re-ingest that neither re-reads nor
 * reports the rewritten files. Also the command-line checks that need no Spark session.
 */
class RunTagsTest {
  @TempDir Path temp;
  private final SparkSession spark = SharedSpark.session();

  @Test
  void addAndRemoveRoundTrip() throws IOException {
    Path logs = temp.resolve("logs");
    BenchIngestJobTest.copyTree(BenchIngestJobTest.FIXTURES, logs);
    String catalog = temp.resolve("catalog").toString();
    BenchIngestOptions ingest = new BenchIngestOptions();
    ingest.inputs = List.of(logs.toString());
    ingest.catalog = catalog;
    BenchIngestJob.run(spark, ingest);
    List<String> roots = List.of(logs.toString());

    // old shape, no tags before
    assertThat(RunTags.change(spark, roots, catalog, "3669", "optimized", true))
        .containsExactly("optimized");
    Path oldShape = logs.resolve("3669_8A_20251112_080000/3669.json");
    JsonNode old = new ObjectMapper().readTree(oldShape.toFile());
    assertThat(old.get("tags").toString()).isEqualTo("[\"optimized\"]");
    assertThat(old.path("run_metadata").path("agg_nodes").asInt()).isEqualTo(2);
    // new shape
    assertThat(RunTags.change(spark, roots, catalog, "3668", "current", false)).isEmpty();
    JsonNode flat = new ObjectMapper().readTree(
        logs.resolve("3668_1P_1D_20251111_100000/3668.json").toFile());
    assertThat(flat.get("tags").size()).isZero();
    assertThat(flat.get("job_id").asText()).isEqualTo("3668");
    // adding a tag a run has changes nothing
    assertThat(RunTags.change(spark, roots, catalog, "3667", "baseline", true))
        .containsExactly("baseline", "h100");
    try (Stream<Path> files = Files.list(oldShape.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.endsWith(".crc") || name.startsWith("._tmp"));
    }

    assertThat(tagsOf(catalog, "optimized")).containsExactly("3669 [optimized]");
    IngestSummary again = BenchIngestJob.run(spark, ingest);
    assertThat(again.filesIngested()).isZero();
    assertThat(again.filesChanged()).isZero();

    assertThat(RunTags.change(spark, roots, catalog, "3669", "optimized", false)).isEmpty();
    assertThat(tagsOf(catalog, "optimized")).isEmpty();
    assertThat(tagsOf(catalog, null)).contains("3669 []", "3668 []", "3667 [baseline, h100]");
    assertThat(new ObjectMapper().readTree(oldShape.toFile()).get("tags").size()).isZero();
  }

  /**
   * Two tag changes of one run at once both land: while the run's lock is held (here by the
   * test) a change waits, and each change rewrites the list the other left.
   */
  @Test
  void concurrentTagsOfOneRunBothLand() throws Exception {
    Path logs = temp.resolve("logs");
    BenchIngestJobTest.copyTree(BenchIngestJobTest.FIXTURES, logs);
    List<String> roots = List.of(logs.toString());
    Path run = logs.resolve("3669_8A_20251112_080000");
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<List<String>> first;
      Future<List<String>> second;
      try (CatalogLock held = CatalogLock.acquire(spark.sparkContext().hadoopConfiguration(),
          new org.apache.hadoop.fs.Path(run.resolve(".3669.json.lock").toString()), "test",
          LockSettings.DEFAULT)) {
        first = threads.submit(() -> RunTags.change(spark, roots, null, "3669", "a", true));
        second = threads.submit(() -> RunTags.change(spark, roots, null, "3669", "b", true));
        Thread.sleep(500);
        assertThat(first.isDone() || second.isDone()).as("a change waits for the lock")
            .isFalse();
      }
      first.get(60, TimeUnit.SECONDS);
      second.get(60, TimeUnit.SECONDS);
    } finally {
      threads.shutdownNow();
    }
    JsonNode tags = new ObjectMapper().readTree(run.resolve("3669.json").toFile()).get("tags");
    List<String> landed = new ArrayList<>();
    tags.forEach(tag -> landed.add(tag.asText()));
    assertThat(landed).containsExactlyInAnyOrder("a", "b");
  }

  private List<String> tagsOf(String catalog, String tag) {
    BenchAnalyzeOptions options = new BenchAnalyzeOptions();
    if (tag != null) {
      options.tags = List.of(tag);
    }
    Dataset<Row> overlay = RunTags.latest(spark.read().parquet(catalog + "/bench_tags"));
    List<String> runs = new ArrayList<>();
    for (Row row : BenchResults.selectRuns(spark.read().parquet(catalog + "/bench_runs"),
        overlay, options).orderBy("job_id").collectAsList()) {
      runs.add(row.getAs("job_id") + " " + row.getList(row.fieldIndex("tags")));
    }
    return runs;
  }

  @Test
  void unknownJobIsReportedByName() throws IOException {
    Path logs = temp.resolve("logs");
    BenchIngestJobTest.copyTree(BenchIngestJobTest.FIXTURES, logs);
    assertThatThrownBy(() -> RunTags.change(spark, List.of(logs.toString()), null, "9999", "x",
        true)).hasMessageContaining("no run directory 9999_<topology>_<YYYYMMDD_HHMMSS>");
    // 3671 has a run directory but no metadata
    assertThatThrownBy(() -> RunTags.change(spark, List.of(logs.toString()), null, "3671", "x",
        true)).hasMessageContaining("3671.json: run metadata missing");
  }

  @Test
  void commandLineUsageErrorsExitWithTwo() {
    CommandRun action = CommandRun.of("tag", "frob", "3667", "x", "--logs", "logs");
    assertThat(action.code()).isEqualTo(2);
    assertThat(action.err()).contains("frob");
    CommandRun metric = CommandRun.of("analyze", "bench", "--catalog", "c", "--out", "o",
        "--pareto-metric", "median");
    assertThat(metric.code()).isEqualTo(2);
    assertThat(metric.err()).contains("--pareto-metric", "median");
    CommandRun diff = CommandRun.of("analyze", "bench", "--catalog", "c", "--out", "o",
        "--diff", "1,2,3");
    assertThat(diff.code()).isEqualTo(2);
    assertThat(diff.err()).contains("--diff", "1,2,3");
    assertThat(Main.execute("ingest", "bench", "--help")).isZero();
  }
}
