package dev.servelens.workload;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servelens.catalog.Catalog;
import dev.servelens.io.IngestSummary;
import dev.servelens.io.StrictModeException;
import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest of every input layout, with malformed rows: the rejects (file, line, reason), the
 * kept values, conservation per file, idempotence, incremental ingest and --strict. Expected
 * values are read off the fixture files by hand.
 */
class WorkloadIngestJobTest {
  private static final Path FIXTURES = Path.of("src/test/resources/WorkloadIngestJobTest");

  @TempDir Path temp;
  private Path inputs;
  private String catalog;
  private final SparkSession spark = SharedSpark.session();

  @BeforeEach
  void copyFixtures() throws IOException {
    inputs = temp.resolve("inputs");
    Files.createDirectories(inputs);
    try (Stream<Path> files = Files.list(FIXTURES)) {
      for (Path file : files.toList()) {
        Files.copy(file, inputs.resolve(file.getFileName()));
      }
    }
    catalog = temp.resolve("catalog").toString();
  }

  private IngestSummary ingest(boolean strict, String... paths) {
    WorkloadIngestOptions options = new WorkloadIngestOptions();
    options.inputs = List.of(paths);
    options.catalog = catalog;
    options.strict = strict;
    options.traceStart = "2024-01-01T00:00:00Z";
    return WorkloadIngestJob.run(spark, options);
  }

  private Dataset<Row> table(String name) {
    return spark.read().parquet(catalog + "/" + name);
  }

  /** Lines of a file that are rows: not blank, and not the header. */
  private static long dataLines(Path file, boolean header) throws IOException {
    long lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .filter(line -> !line.isBlank()).count();
    return header ? Math.max(0, lines - 1) : lines;
  }

  private static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  @Test
  void everyRowIsKeptOrRejectedWithFileLineAndReason() throws IOException {
    IngestSummary summary = ingest(false, inputs.toString());
    assertThat(summary.filesIngested()).isEqualTo(6);

    Map<String, long[]> manifest = new HashMap<>();
    for (Row row : table(Catalog.MANIFEST_TABLE).collectAsList()) {
      long read = row.getAs("rows_read");
      long kept = row.getAs("rows_kept");
      long rejected = row.getAs("rows_rejected");
      assertThat(read).isEqualTo(kept + rejected);
      manifest.put(name(row.getAs("source_path")), new long[] {read, kept, rejected});
    }
    // canonical.csv: 11 lines after the header; line 9 and the trailing line 12 are blank (no
    // rows); of the 9 rows, lines 2-4 and 11 are kept and 5-8 and 10 rejected.
    assertThat(manifest.get("canonical.csv")).containsExactly(9, 4, 5);
    assertThat(manifest.get("AzureLLMInferenceTrace_mini.csv")).containsExactly(3, 3, 0);
    assertThat(manifest.get("mooncake.jsonl")).containsExactly(5, 3, 2);
    assertThat(manifest.get("burstgpt.csv")).containsExactly(2, 2, 0);
    assertThat(manifest.get("noheader.csv")).containsExactly(2, 0, 2);
    assertThat(manifest.get("empty.csv")).containsExactly(0, 0, 0);
    // The manifest's rows read agree with an independent count of the files' lines.
    assertThat(manifest.get("canonical.csv")[0])
        .isEqualTo(dataLines(inputs.resolve("canonical.csv"), true));
    assertThat(manifest.get("mooncake.jsonl")[0])
        .isEqualTo(dataLines(inputs.resolve("mooncake.jsonl"), false));
    assertThat(summary.rowsRead()).isEqualTo(21);
    assertThat(summary.rowsKept()).isEqualTo(12);
    assertThat(summary.rowsRejected()).isEqualTo(9);
    assertThat(summary.blankLines()).isEqualTo(2);
    assertThat(table(WorkloadColumns.REQUESTS_TABLE).count()).isEqualTo(12);

    List<String> rejects = new ArrayList<>();
    for (Row row : table(WorkloadColumns.REJECTS_TABLE)
        .orderBy("source_path", "line_number").collectAsList()) {
      rejects.add(name(row.getAs("source_path")) + ":" + row.getAs("line_number") + ":"
          + row.getAs("reason"));
    }
    assertThat(rejects)
        .hasSize(9)
        .anySatisfy(r -> assertThat(r).startsWith("canonical.csv:5:input_tokens: not a number"))
        .anySatisfy(r -> assertThat(r).isEqualTo("canonical.csv:6:expected 9 fields, found 5"))
        .anySatisfy(r -> assertThat(r).isEqualTo("canonical.csv:7:input_tokens: negative (-4)"))
        .anySatisfy(r -> assertThat(r)
            .isEqualTo("canonical.csv:8:completed_at: before started_at"))
        .noneSatisfy(r -> assertThat(r).startsWith("canonical.csv:9:"))
        .noneSatisfy(r -> assertThat(r).startsWith("canonical.csv:12:"))
        .anySatisfy(r -> assertThat(r)
            .startsWith("canonical.csv:10:started_at: cannot parse '2025-13-45 99:00:00'"))
        .anySatisfy(r -> assertThat(r).startsWith("mooncake.jsonl:4:"))
        .anySatisfy(r -> assertThat(r).isEqualTo("mooncake.jsonl:5:not a JSON object"))
        .anySatisfy(r -> assertThat(r).startsWith("noheader.csv:2:unusable file: header has no"
            + " started_at"))
        .anySatisfy(r -> assertThat(r).startsWith("noheader.csv:3:unusable file"));
    Row raw = table(WorkloadColumns.REJECTS_TABLE).where(col("line_number").equalTo(7)).first();
    assertThat((String) raw.getAs("raw"))
        .isEqualTo("u3,m2,-4,5,2025-01-01T00:00:05Z,2025-01-01T00:00:06Z,0.1,1.0,x");
  }

  @Test
  void keptRowsCarryParsedValuesFromEveryLayout() {
    ingest(false, inputs.toString());
    Map<String, Row> byKey = new HashMap<>();
    for (Row row : table(WorkloadColumns.REQUESTS_TABLE).collectAsList()) {
      byKey.put(row.getAs(WorkloadColumns.MODEL_ID) + "@"
          + ((Timestamp) row.getAs(WorkloadColumns.STARTED_AT)).toInstant(), row);
    }
    Row u2 = byKey.get("m1@2025-01-01T00:00:01.500Z");
    assertThat((String) u2.getAs(WorkloadColumns.USER_ID)).isEqualTo("u2");
    assertThat((Long) u2.getAs(WorkloadColumns.INPUT_TOKENS)).isEqualTo(200L);
    assertThat((Double) u2.getAs(WorkloadColumns.DURATION)).isEqualTo(3.0);
    assertThat((Double) u2.getAs(WorkloadColumns.TTFT)).isEqualTo(0.25);
    Map<String, String> extra = u2.getJavaMap(u2.fieldIndex(WorkloadColumns.EXTRA));
    assertThat(extra).containsEntry("function_name", "chat");
    // Epoch seconds, and duration from completed_at when the column is absent on the row.
    Row epoch = byKey.get("m2@2025-01-01T00:00:02Z");
    assertThat((Long) epoch.getAs(WorkloadColumns.OUTPUT_TOKENS)).isZero();
    // Epoch milliseconds; no completion time and no duration.
    Row millis = byKey.get("m1@2025-01-02T00:00:00Z");
    assertThat((Object) millis.getAs(WorkloadColumns.DURATION)).isNull();
    assertThat(millis.getDate(millis.fieldIndex(WorkloadColumns.DATE)).toString())
        .isEqualTo("2025-01-02");
    // Azure 2023: the file name gives the model; seven-digit fractions.
    Row azure = byKey.get("mini@2023-11-16T18:17:03.979960Z");
    assertThat((Long) azure.getAs(WorkloadColumns.INPUT_TOKENS)).isEqualTo(4808L);
    assertThat((Object) azure.getAs(WorkloadColumns.USER_ID)).isNull();
    // Mooncake: milliseconds from the trace start, prefix block ids kept.
    Row mooncake = byKey.get("mooncake@2024-01-01T00:00:01.500Z");
    assertThat((Long) mooncake.getAs(WorkloadColumns.INPUT_TOKENS)).isEqualTo(1024L);
    assertThat(mooncake.getList(mooncake.fieldIndex(WorkloadColumns.HASH_IDS)))
        .containsExactly(0L, 3L);
    // BurstGPT: seconds from the trace start; a failed request's 0 response tokens are kept.
    Row burst = byKey.get("ChatGPT@2024-01-01T00:00:05Z");
    assertThat((Long) burst.getAs(WorkloadColumns.OUTPUT_TOKENS)).isZero();
    assertThat(byKey).containsKey("GPT-4@2024-01-01T00:00:07.250Z");
  }

  @Test
  void ingestIsIdempotentAndIncremental() throws IOException {
    ingest(false, inputs.toString());
    long requests = table(WorkloadColumns.REQUESTS_TABLE).count();
    IngestSummary again = ingest(false, inputs.toString());
    assertThat(again.filesIngested()).isZero();
    assertThat(again.filesSkipped()).isEqualTo(6);
    assertThat(table(WorkloadColumns.REQUESTS_TABLE).count()).isEqualTo(requests);
    assertThat(table(Catalog.MANIFEST_TABLE).count()).isEqualTo(6);

    Path gz = inputs.resolve("more").resolve("night2.csv.gz");
    Files.createDirectories(gz.getParent());
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(("model_id,input_tokens,output_tokens,started_at\n"
          + "m9,1,2,2025-02-01T00:00:00Z\nm9,3,4,2025-02-01T00:00:01Z\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    IngestSummary incremental = ingest(false, inputs.toString());
    assertThat(incremental.filesIngested()).isEqualTo(1);
    assertThat(incremental.rowsKept()).isEqualTo(2);
    assertThat(table(WorkloadColumns.REQUESTS_TABLE).count()).isEqualTo(requests + 2);
    assertThat(table(WorkloadColumns.REQUESTS_TABLE)
        .where(col(WorkloadColumns.DATE).equalTo("2025-02-01")).count()).isEqualTo(2);
  }

  @Test
  void aFileChangedSinceItsIngestIsReportedNotReRead() throws IOException {
    Path file = inputs.resolve("burstgpt.csv");
    ingest(false, file.toString());
    Files.writeString(file, "\n5.5,ChatGPT,1,1,2,Conversation log\n",
        java.nio.file.StandardOpenOption.APPEND);
    IngestSummary again = ingest(false, file.toString());
    assertThat(again.filesChanged()).isEqualTo(1);
    assertThat(again.filesIngested()).isZero();
    assertThat(table(WorkloadColumns.REQUESTS_TABLE).count()).isEqualTo(2);
    assertThatThrownBy(() -> ingest(true, file.toString()))
        .isInstanceOf(StrictModeException.class)
        .hasMessageContaining("burstgpt.csv changed since it was ingested");
  }

  @Test
  void strictModeFailsNamingFileLineAndField() {
    assertThatThrownBy(() -> ingest(true, inputs.resolve("canonical.csv").toString()))
        .isInstanceOf(StrictModeException.class)
        .hasMessageContaining("canonical.csv: line 5: input_tokens: not a number 'abc'");
    assertThat(new Catalog(spark, catalog).hasTable(WorkloadColumns.REQUESTS_TABLE)).isFalse();
    assertThatThrownBy(() -> ingest(true, inputs.resolve("noheader.csv").toString()))
        .hasMessageContaining("noheader.csv: line 1: header has no started_at");
  }

  @Test
  void lineNumbersStayRightWhenAFileIsReadInManySplits() throws IOException {
    Path big = temp.resolve("split").resolve("big.csv");
    Files.createDirectories(big.getParent());
    List<Long> badLines = List.of(2L, 777L, 1500L, 2999L, 3001L);
    StringBuilder text = new StringBuilder("model_id,input_tokens,output_tokens,started_at\n");
    for (long line = 2; line <= 3001; line++) {
      String tokens = badLines.contains(line) ? "bad" : Long.toString(line);
      text.append("m,").append(tokens).append(",1,2025-01-01T00:00:00Z\n");
    }
    Files.writeString(big, text.toString());
    String key = "mapreduce.input.fileinputformat.split.maxsize";
    spark.sparkContext().hadoopConfiguration().set(key, "4096");
    try {
      ingest(false, big.toString());
    } finally {
      spark.sparkContext().hadoopConfiguration().unset(key);
    }
    List<Long> lines = new ArrayList<>();
    for (Row row : table(WorkloadColumns.REJECTS_TABLE).orderBy("line_number").collectAsList()) {
      lines.add(row.getAs("line_number"));
    }
    assertThat(lines).isEqualTo(badLines);
    assertThat(table(WorkloadColumns.REQUESTS_TABLE).count()).isEqualTo(3000 - badLines.size());
    // Each kept row's input_tokens is its own line number: none lost, none doubled.
    assertThat(table(WorkloadColumns.REQUESTS_TABLE).agg(
        org.apache.spark.sql.functions.sum(WorkloadColumns.INPUT_TOKENS)).first().getLong(0))
        .isEqualTo((2L + 3001L) * 3000 / 2 - badLines.stream().mapToLong(Long::longValue).sum());
  }
}
