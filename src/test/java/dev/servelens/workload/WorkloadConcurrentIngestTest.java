package dev.servelens.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import dev.servelens.catalog.Catalog;
import dev.servelens.catalog.CommitStep;
import dev.servelens.catalog.DeadOwners;
import dev.servelens.io.IngestSummary;
import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingests of the same trace at once, in threads of this JVM with the interleaving forced, and
 * in two separate processes, one of them killed: the catalog ends with the file's rows exactly
 * once and one manifest row. The trace is written here with a known number of rows, and the
 * catalog's rows are compared with the same rows built here (spark-testing-base's unordered
 * DataFrame comparison; only its assertions are used, with the shared session, under JUnit 5).
 */
class WorkloadConcurrentIngestTest extends JavaDataFrameSuiteBase {
  private static final int ROWS = 3_000;

  @TempDir Path temp;
  private Path trace;
  private Path catalog;
  private final SparkSession spark = SharedSpark.session();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @BeforeEach
  void writeTrace() throws IOException {
    trace = temp.resolve("day1.csv");
    StringBuilder csv = new StringBuilder(
        "user,model,input_tokens,output_tokens,started_at,completed_at,ttft,duration\n");
    for (int i = 0; i < ROWS; i++) {
      csv.append("u").append(i % 17).append(",m").append(i % 3).append(',').append(100 + i)
          .append(',').append(10 + i % 50).append(',').append(1735689600 + i).append(',')
          .append(1735689601 + i).append(",0.5,1.0\n");
    }
    Files.writeString(trace, csv);
    catalog = temp.resolve("catalog");
  }

  @AfterEach
  void noHook() {
    CommitStep.install((step, subject) -> {});
    threads.shutdownNow();
  }

  private IngestSummary ingest() {
    WorkloadIngestOptions options = new WorkloadIngestOptions();
    options.inputs = List.of(trace.toString());
    options.catalog = catalog.toString();
    return WorkloadIngestJob.run(spark, options);
  }

  /** The trace's rows as the catalog should hold them, built from the generating rule. */
  private Dataset<Row> expectedRows() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      rows.add(RowFactory.create("u" + i % 17, "m" + i % 3, 100L + i, 10L + i % 50,
          new Timestamp(1000L * (1735689600 + i)), new Timestamp(1000L * (1735689601 + i)), 0.5,
          1.0));
    }
    StructType schema = new StructType();
    for (String name : COMPARED) {
      schema = schema.add(name, WorkloadColumns.REQUESTS_TABLE_SCHEMA.apply(name).dataType());
    }
    return spark.createDataFrame(rows, schema);
  }

  private static final String[] COMPARED = {WorkloadColumns.USER_ID, WorkloadColumns.MODEL_ID,
      WorkloadColumns.INPUT_TOKENS, WorkloadColumns.OUTPUT_TOKENS, WorkloadColumns.STARTED_AT,
      WorkloadColumns.COMPLETED_AT, WorkloadColumns.TTFT, WorkloadColumns.DURATION};

  private void assertOnce() {
    Catalog reader = new Catalog(spark, catalog.toString());
    Dataset<Row> stored = reader.requireTable(WorkloadColumns.REQUESTS_TABLE,
        WorkloadColumns.REQUESTS_TABLE_SCHEMA, "ingest");
    assertThat(stored.count()).isEqualTo(ROWS);
    assertDataFrameNoOrderEquals(expectedRows(),
        stored.select(COMPARED[0], java.util.Arrays.copyOfRange(COMPARED, 1, COMPARED.length)));
    assertThat(reader.requireTable(Catalog.MANIFEST_TABLE, "ingest").count()).isEqualTo(1);
    assertThat(reader.manifest(WorkloadColumns.FAMILY).values())
        .allSatisfy(entry -> assertThat(entry.rowsKept()).isEqualTo(ROWS));
  }

  @Test
  void anIngestThatLosesTheRaceToTheSameFilePlansAgainAndAddsNothing() throws Exception {
    CountDownLatch firstStopped = new CountDownLatch(1);
    CountDownLatch secondDone = new CountDownLatch(1);
    CommitStep.install((step, batch) -> {
      if (step == CommitStep.PUBLISHING && firstStopped.getCount() > 0) {
        firstStopped.countDown(); // the first ingest to publish waits before taking the lock
        await(secondDone);
      }
    });
    Future<IngestSummary> a = threads.submit(this::ingest);
    await(firstStopped);
    IngestSummary b = ingest();
    secondDone.countDown();
    IngestSummary retried = a.get(120, TimeUnit.SECONDS);
    assertThat(b.rowsKept() + retried.rowsKept()).isEqualTo(ROWS);
    assertThat(retried.filesSkipped()).isEqualTo(1);
    assertOnce();
  }

  @Test
  void twoProcessesIngestingTheSameFileAtOnceAddItsRowsOnce() throws Exception {
    Process one = servelens("ingest", "workload", "--input", trace.toString(), "--catalog",
        catalog.toString());
    Process two = servelens("ingest", "workload", "--input", trace.toString(), "--catalog",
        catalog.toString());
    assertThat(one.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(two.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(List.of(one.exitValue(), two.exitValue())).containsOnly(0);
    assertOnce();
  }

  @Test
  void aProcessKilledMidIngestLeavesWhatTheNextIngestCompletesOnce() throws Exception {
    Process killed = servelens("ingest", "workload", "--input", trace.toString(), "--catalog",
        catalog.toString());
    Path staging = catalog.resolve("_staging");
    long deadline = System.currentTimeMillis() + 120_000;
    while (killed.isAlive() && !hasBatch(staging) && System.currentTimeMillis() < deadline) {
      Thread.sleep(5);
    }
    killed.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no cleanup runs
    assertThat(hasBatch(staging) || Files.exists(catalog.resolve(Catalog.MANIFEST_TABLE)))
        .as("the process was killed after it staged its batch").isTrue();
    ingest();
    assertOnce();
    assertThat(staging.toFile().list()).isEmpty();
  }

  private static boolean hasBatch(Path staging) throws IOException {
    if (!Files.isDirectory(staging)) {
      return false;
    }
    try (Stream<Path> batches = Files.list(staging)) {
      return batches.findAny().isPresent();
    }
  }

  /** {@code servelens ARGS} in a new JVM with this test's class path and module options. */
  private Process servelens(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (option.startsWith("--add-opens") || option.startsWith("-XX:+IgnoreUnrecognized")
          || option.startsWith("-Djdk.reflect")) {
        command.add(option);
      }
    }
    command.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"),
        "dev.servelens.cli.Main"));
    command.addAll(List.of(args));
    command.addAll(List.of("--conf", "spark.sql.shuffle.partitions=2", "--master", "local[1]"));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(temp.resolve("process-" + System.nanoTime() + ".log").toFile())
        .start();
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the other ingest never came");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
