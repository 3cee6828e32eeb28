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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-pass ingest's bookkeeping (rows and rejects from the same parse, counts from the
 * write job) against values worked out while writing the inputs: files read in many small
 * splits, a gzipped file read whole, rejects with awkward raw text, and a file without rejects.
 */
class WorkloadIngestOnePassTest {
  private static final String HEADER = "model_id,input_tokens,output_tokens,started_at";
  private static final String SPLIT_SIZE = "mapreduce.input.fileinputformat.split.maxsize";

  @TempDir Path temp;
  private final SparkSession spark = SharedSpark.session();

  /** What a generated file should give: its data lines, and the rejects' line -> raw text. */
  private record Expected(long dataLines, long tokensKept, Map<Long, String> rejects) {}

  /**
   * Writes a canonical CSV of {@code rows} data lines; line {@code n}'s input_tokens is n, and
   * about one line in {@code oneIn} (never when {@code oneIn} is 0) is malformed in a way drawn
   * at random.
   */
  private static Expected writeTrace(Path file, int rows, int oneIn, long seed, boolean gzip)
      throws IOException {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    Map<Long, String> rejects = new TreeMap<>();
    long tokensKept = 0;
    for (long line = 2; line <= rows + 1; line++) {
      String row;
      if (oneIn > 0 && random.nextInt(oneIn) == 0) {
        row = switch (random.nextInt(4)) {
          case 0 -> "m," + line + ",1,not a time";
          case 1 -> "m,\"quoted \\ \u2603 \"\"x\"\" never closed," + line;
          case 2 -> "m,{\"json\": [1, 2]}\t,1,2025-01-01T00:00:00Z";
          default -> "m," + line + ",1,2025-01-01T00:00:00Z,extra\u00e9" + "z".repeat(1200);
        };
        String raw = row.length() <= 1000 ? row : row.substring(0, 1000);
        rejects.put(line, raw);
      } else {
        row = "m" + (line % 3) + "," + line + ",1,2025-01-0" + (1 + line % 4) + "T00:00:"
            + String.format("%02d", line % 60) + "Z";
        tokensKept += line;
      }
      text.append(row).append('\n');
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    Files.createDirectories(file.getParent());
    if (gzip) {
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
        out.write(bytes);
      }
    } else {
      Files.write(file, bytes);
    }
    return new Expected(rows, tokensKept, rejects);
  }

  private IngestSummary ingest(String catalog, boolean strict, String splitBytes, Path input) {
    WorkloadIngestOptions options = new WorkloadIngestOptions();
    options.inputs = List.of(input.toString());
    options.catalog = catalog;
    options.strict = strict;
    spark.sparkContext().hadoopConfiguration().set(SPLIT_SIZE, splitBytes);
    try {
      return WorkloadIngestJob.run(spark, options);
    } finally {
      spark.sparkContext().hadoopConfiguration().unset(SPLIT_SIZE);
    }
  }

  private Dataset<Row> table(String catalog, String name) {
    return spark.read().parquet(catalog + "/" + name);
  }

  @Test
  void countsRejectsAndLineNumbersMatchTheInputAcrossManySplits() throws IOException {
    Path inputs = temp.resolve("inputs");
    Map<String, Expected> expected = new TreeMap<>();
    expected.put("a.csv", writeTrace(inputs.resolve("a.csv"), 4000, 40, 1, false));
    expected.put("b.csv", writeTrace(inputs.resolve("b.csv"), 2500, 7, 2, false));
    expected.put("c.csv.gz", writeTrace(inputs.resolve("c.csv.gz"), 3000, 25, 3, true));
    expected.put("clean.csv", writeTrace(inputs.resolve("clean.csv"), 1500, 0, 4, false));
    String catalog = temp.resolve("catalog").toString();

    // 8 KB splits: a.csv alone is read in more than 15.
    IngestSummary summary = ingest(catalog, false, "8192", inputs);

    long lines = expected.values().stream().mapToLong(Expected::dataLines).sum();
    long rejected = expected.values().stream().mapToLong(e -> e.rejects().size()).sum();
    assertThat(rejected).isGreaterThan(300);
    assertThat(summary.rowsRead()).isEqualTo(lines);
    assertThat(summary.rowsRejected()).isEqualTo(rejected);
    assertThat(summary.rowsKept()).isEqualTo(lines - rejected);

    for (Row row : table(catalog, Catalog.MANIFEST_TABLE).collectAsList()) {
      String file = Path.of((String) row.getAs("source_path")).getFileName().toString();
      Expected want = expected.get(file);
      assertThat((long) row.getAs("rows_read")).as(file).isEqualTo(want.dataLines());
      assertThat((long) row.getAs("rows_rejected")).as(file).isEqualTo(want.rejects().size());
      assertThat((long) row.getAs("rows_kept")).as(file)
          .isEqualTo(want.dataLines() - want.rejects().size());
    }
    assertThat(table(catalog, Catalog.MANIFEST_TABLE).count()).isEqualTo(4);

    for (Map.Entry<String, Expected> entry : expected.entrySet()) {
      Map<Long, String> found = new TreeMap<>();
      for (Row row : table(catalog, WorkloadColumns.REJECTS_TABLE)
          .where(col("source_path").endsWith("/" + entry.getKey())).collectAsList()) {
        String previous = found.put(row.getAs("line_number"), row.getAs("raw"));
        assertThat(previous).as("line %s twice", (Object) row.getAs("line_number")).isNull();
        assertThat((String) row.getAs("reason")).isNotBlank();
      }
      assertThat(found).as(entry.getKey()).isEqualTo(entry.getValue().rejects());
    }

    // Each kept row's input_tokens is its own line number: none lost, none doubled.
    Row kept = table(catalog, WorkloadColumns.REQUESTS_TABLE)
        .agg(functions.count("*"), functions.sum(WorkloadColumns.INPUT_TOKENS),
            functions.countDistinct(WorkloadColumns.MODEL_ID, WorkloadColumns.INPUT_TOKENS))
        .first();
    assertThat(kept.getLong(0)).isEqualTo(lines - rejected);
    assertThat(kept.getLong(1))
        .isEqualTo(expected.values().stream().mapToLong(Expected::tokensKept).sum());
    assertThat(kept.getLong(2)).isGreaterThan(0);
    Path staging = Path.of(catalog, "_staging");
    if (Files.exists(staging)) {
      try (Stream<Path> staged = Files.list(staging)) {
        assertThat(staged).as("nothing left staged, scratch rejects included").isEmpty();
      }
    }
  }

  @Test
  void withoutRejectsTheRejectsTableIsEmpty() throws IOException {
    Path input = temp.resolve("clean").resolve("clean.csv");
    Expected want = writeTrace(input, 2000, 0, 5, false);
    String catalog = temp.resolve("catalog").toString();
    IngestSummary summary = ingest(catalog, false, "4096", input);
    assertThat(summary.rowsKept()).isEqualTo(want.dataLines());
    assertThat(summary.rowsRejected()).isZero();
    // The first ingest writes the rejects table even empty, so that queries of it work.
    assertThat(new Catalog(spark, catalog).hasTable(WorkloadColumns.REJECTS_TABLE)).isTrue();
    assertThat(table(catalog, WorkloadColumns.REJECTS_TABLE).count()).isZero();
    assertThat(table(catalog, WorkloadColumns.REQUESTS_TABLE)
        .agg(functions.sum(WorkloadColumns.INPUT_TOKENS)).first().getLong(0))
        .isEqualTo(want.tokensKept());
  }

  @Test
  void strictNamesTheTrueLineOfARejectInALaterSplit() throws IOException {
    Path input = temp.resolve("late").resolve("late.csv");
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    for (long line = 2; line <= 3001; line++) {
      text.append("m,").append(line == 2718 ? "many" : Long.toString(line))
          .append(",1,2025-01-01T00:00:00Z\n");
    }
    Files.createDirectories(input.getParent());
    Files.writeString(input, text.toString());
    String catalog = temp.resolve("catalog").toString();
    assertThatThrownBy(() -> ingest(catalog, true, "4096", input))
        .isInstanceOf(StrictModeException.class)
        .hasMessageContaining("late.csv: line 2718: input_tokens: not a number 'many'")
        .hasMessageContaining("1 row(s) rejected in all");
    Catalog after = new Catalog(spark, catalog);
    assertThat(after.hasTable(WorkloadColumns.REQUESTS_TABLE)).isFalse();
    assertThat(after.hasTable(Catalog.MANIFEST_TABLE)).isFalse();
  }
}
