package dev.servelens;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's choice of just-in-time compilation ({@code quick_compilation} in
 * submit/servelens), run in bash on its own (no JVM starts): the first tier alone for commands
 * that read little local data, the default otherwise. Data sizes are made with sparse files of
 * the given length, which {@code du -sb} counts at that length.
 */
class LauncherCompilationTest {
  private static final String QUICK = "-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=240m";
  private static final String DEFAULT = "default";
  private static final long MB = 1L << 20;

  @TempDir static Path temp;
  private static Path smallCatalog;
  private static Path largeWorkload;
  private static Path mediumRuns;

  @BeforeAll
  static void catalogs() throws IOException {
    smallCatalog = temp.resolve("small");
    file(smallCatalog.resolve("workload_requests/part-0.parquet"), 1 * MB);
    file(smallCatalog.resolve("runs_events/part-0.parquet"), 1 * MB);
    // 17 MB of workload rows: above analyze workload's 16 MB; 100 MB of runs tables: below
    // analyze runs' 128 MB, but the whole catalog (117 MB) is a query's measure.
    largeWorkload = temp.resolve("large");
    file(largeWorkload.resolve("workload_requests/part-0.parquet"), 17 * MB);
    file(largeWorkload.resolve("runs_events/part-0.parquet"), 100 * MB);
    mediumRuns = temp.resolve("runs");
    file(mediumRuns.resolve("runs_events/part-0.parquet"), 100 * MB);
    file(mediumRuns.resolve("runs_kv_samples/part-0.parquet"), 40 * MB);
    file(temp.resolve("inputs/small.csv"), 2 * MB);
    file(temp.resolve("inputs-large/large.csv"), 300 * MB);
  }

  private static void file(Path path, long length) throws IOException {
    Files.createDirectories(path.getParent());
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
      file.setLength(length);
    }
  }

  /** What quick_compilation chose for these arguments: the JVM options or "default". */
  private static String choice(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    String script = "source <(sed -n '/^quick_jit=/,/^}/p' submit/servelens)\n"
        + "die() { echo \"DIE $*\"; exit 3; }\n"
        + "quick_compilation \"$@\"\n"
        + "echo \"${jit_options[*]:-default}\"\n";
    List<String> command = new ArrayList<>(List.of("bash", "-c", script, "launcher"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.directory(Paths.get("").toAbsolutePath().toFile());
    builder.environment().remove("SERVELENS_JIT");
    builder.environment().putAll(env);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return out.strip();
  }

  private static String choice(String... args) throws IOException, InterruptedException {
    return choice(Map.of(), args);
  }

  @Test
  void analysesOfLittleDataCompileQuickly() throws Exception {
    assertThat(choice("analyze", "workload", "--catalog", smallCatalog.toString(), "--out", "o"))
        .isEqualTo(QUICK);
    assertThat(choice("analyze", "kstar", "--catalog=" + smallCatalog, "--out", "o"))
        .isEqualTo(QUICK);
    assertThat(choice("analyze", "runs", "--catalog", "file:" + smallCatalog, "--out", "o"))
        .isEqualTo(QUICK);
    // Only the family's tables count: the large catalog's 100 MB of runs tables are below
    // 128 MB, its 17 MB of workload rows above 16 MB.
    assertThat(choice("analyze", "runs", "--catalog", largeWorkload.toString(), "--out", "o"))
        .isEqualTo(QUICK);
    assertThat(choice("analyze", "workload", "--catalog", largeWorkload.toString(), "--out",
        "o")).isEqualTo(DEFAULT);
    // 140 MB of runs tables: above 128 MB.
    assertThat(choice("analyze", "agentic", "--catalog", mediumRuns.toString(), "--out", "o"))
        .isEqualTo(DEFAULT);
    // A query measures the whole catalog: 2 MB, then 117 MB (both below 128 MB), then 140 MB.
    assertThat(choice("query", "--catalog", smallCatalog.toString(), "SELECT 1")).isEqualTo(QUICK);
    assertThat(choice("query", "--catalog", largeWorkload.toString(), "SELECT 1"))
        .isEqualTo(QUICK);
    assertThat(choice("query", "--catalog", mediumRuns.toString(), "SELECT 1"))
        .isEqualTo(DEFAULT);
  }

  @Test
  void ingestsMeasureTheirInputs() throws Exception {
    assertThat(choice("ingest", "workload", "--input", temp.resolve("inputs").toString(),
        "--catalog", "c")).isEqualTo(QUICK);
    assertThat(choice("ingest", "workload", "--input", temp.resolve("inputs").toString(),
        "--input", temp.resolve("inputs-large").toString(), "--catalog", "c"))
        .isEqualTo(DEFAULT);
  }

  @Test
  void otherCommandsAndPathsKeepTheDefault() throws Exception {
    assertThat(choice("analyze", "workload", "--catalog", "s3a://bucket/catalog", "--out", "o"))
        .isEqualTo(DEFAULT);
    assertThat(choice("ingest", "runs", "--input", "hdfs:///dumps/runs", "--catalog", "c"))
        .isEqualTo(DEFAULT);
    assertThat(choice("generate", "workload", "--rows", "1000", "--out", "o"))
        .isEqualTo(DEFAULT);
    assertThat(choice("pipeline", "--jobs", "jobs/nightly.properties")).isEqualTo(DEFAULT);
    assertThat(choice("demo", "--out", "d")).isEqualTo(QUICK);
    assertThat(choice("demo", "--out", "d", "--rows", "500000")).isEqualTo(DEFAULT);
    assertThat(choice("report", "--out", "o")).isEqualTo(QUICK);
  }

  @Test
  void theEnvironmentForcesEitherAndRefusesOtherValues() throws Exception {
    assertThat(choice(Map.of("SERVELENS_JIT", "full"), "analyze", "workload", "--catalog",
        smallCatalog.toString(), "--out", "o")).isEqualTo(DEFAULT);
    assertThat(choice(Map.of("SERVELENS_JIT", "quick"), "generate", "workload", "--out", "o"))
        .isEqualTo(QUICK);
    assertThat(choice(Map.of("SERVELENS_JIT", "fast"), "demo"))
        .isEqualTo("DIE SERVELENS_JIT must be quick, full or auto, got 'fast'");
  }
}
