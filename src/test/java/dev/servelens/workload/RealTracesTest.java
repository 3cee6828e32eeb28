package dev.servelens.workload;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servelens.catalog.Catalog;
import dev.servelens.io.IngestSummary;
import dev.servelens.stats.Distributions;
import dev.servelens.testing.OutputCsv;
import dev.servelens.testing.RealData;
import dev.servelens.testing.ReferenceStats;
import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real public traces (Azure LLM inference 2023, Mooncake FAST'25) ingest with no reject,
 * and the catalog reproduces the figures their publishers give and figures computed here from
 * the raw files with plain Java.
 */
class RealTracesTest {
  @TempDir static Path temp;
  private static Path realData;
  private static IngestSummary summary;
  private static Dataset<Row> requests;
  private static String catalog;

  @BeforeAll
  static void ingestEveryRealTrace() {
    realData = RealData.folder();
    SparkSession spark = SharedSpark.session();
    WorkloadIngestOptions options = new WorkloadIngestOptions();
    options.inputs = List.of(realData.resolve("azure-llm-2023").toString() + "/*.csv",
        realData.resolve("mooncake-fast25").toString() + "/*.jsonl");
    options.catalog = temp.resolve("catalog").toString();
    catalog = options.catalog;
    options.strict = true;
    summary = WorkloadIngestJob.run(spark, options);
    requests = new Catalog(spark, options.catalog).requireTable(
        WorkloadColumns.REQUESTS_TABLE, "ingest");
  }

  @Test
  void everyRealRequestIsKept() {
    assertThat(summary.filesIngested()).isEqualTo(4);
    assertThat(summary.rowsRejected()).isZero();
    Map<String, Long> perModel = new HashMap<>();
    for (Row row : requests.groupBy(WorkloadColumns.MODEL_ID).agg(count(lit(1)))
        .collectAsList()) {
      perModel.put(row.getString(0), row.getLong(1));
    }
    // PROVENANCE.md says 8,818 and 19,365 rows, counting newlines; the files end without one,
    // so each holds one more request (python's csv module agrees: 8,819 and 19,366).
    assertThat(perModel).containsEntry("code", 8_819L).containsEntry("conv", 19_366L)
        .containsEntry("conversation_trace", 12_031L).containsEntry("synthetic_trace", 3_993L);
  }

  @Test
  void mooncakeMeansMatchThePublishedFigures() {
    Map<String, double[]> means = new HashMap<>();
    for (Row row : requests.groupBy(WorkloadColumns.MODEL_ID)
        .agg(avg(WorkloadColumns.INPUT_TOKENS), avg(WorkloadColumns.OUTPUT_TOKENS),
            max(WorkloadColumns.STARTED_AT))
        .collectAsList()) {
      means.put(row.getString(0), new double[] {row.getDouble(1), row.getDouble(2)});
    }
    // The release's README: conversation 12,035 in / 343 out; synthetic 15,325 / 149.
    assertThat(Math.round(means.get("conversation_trace")[0])).isEqualTo(12_035);
    assertThat(Math.round(means.get("conversation_trace")[1])).isEqualTo(343);
    assertThat(Math.round(means.get("synthetic_trace")[0])).isEqualTo(15_325);
    assertThat(Math.round(means.get("synthetic_trace")[1])).isEqualTo(149);
    // Timestamps are milliseconds from the trace start: the last is 3,536,999 ms.
    Row span = requests.where(col(WorkloadColumns.MODEL_ID).equalTo("conversation_trace"))
        .agg(min(WorkloadColumns.STARTED_AT), max(WorkloadColumns.STARTED_AT)).first();
    assertThat(span.getTimestamp(1).getTime() - span.getTimestamp(0).getTime())
        .isEqualTo(3_536_999L);
  }

  @Test
  void azureTokensAndInterArrivalsAgreeWithAPlainReadOfTheFile() throws IOException {
    List<String> lines = Files.readAllLines(realData.resolve("azure-llm-2023")
        .resolve("AzureLLMInferenceTrace_conv.csv"));
    DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSS");
    List<Long> startsMicros = new ArrayList<>();
    double contextSum = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] fields = line.strip().split(",");
      LocalDateTime time = LocalDateTime.parse(fields[0], format);
      startsMicros.add(time.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + time.getNano() / 1000);
      contextSum += Long.parseLong(fields[1]);
    }
    Row tokens = requests.where(col(WorkloadColumns.MODEL_ID).equalTo("conv"))
        .agg(avg(WorkloadColumns.INPUT_TOKENS)).first();
    assertThat(tokens.getDouble(0)).isCloseTo(contextSum / startsMicros.size(), within(1e-9));

    // Gaps between consecutive starts, raised to 1 ms, from the sorted raw timestamps.
    long[] sorted = startsMicros.stream().mapToLong(Long::longValue).sorted().toArray();
    double[] gaps = new double[sorted.length - 1];
    for (int i = 1; i < sorted.length; i++) {
      gaps[i - 1] = Math.max(sorted[i] - sorted[i - 1], 1_000L) / 1e6;
    }
    double[] sortedGaps = gaps.clone();
    Arrays.sort(sortedGaps);
    double median = sortedGaps[(int) Math.ceil(0.5 * gaps.length) - 1];

    WorkloadAnalyzeOptions analyze = new WorkloadAnalyzeOptions();
    analyze.catalog = catalog;
    analyze.out = temp.resolve("conv-out").toString();
    analyze.models = List.of("conv");
    WorkloadAnalyzeJob.run(SharedSpark.session(), analyze);
    Path out = temp.resolve("conv-out").resolve("workload");
    Map<String, String> stats =
        OutputCsv.row(OutputCsv.read(out.resolve("interarrival_stats.csv")), "model", "conv");
    assertThat(OutputCsv.number(stats, "n_gaps")).isEqualTo(gaps.length);
    assertThat(OutputCsv.number(stats, "mean_s"))
        .isCloseTo(ReferenceStats.mean(gaps), within(1e-9));
    assertThat(OutputCsv.number(stats, "p50_s")).isEqualTo(median);
    double[] x = Arrays.copyOfRange(gaps, 0, gaps.length - 1);
    double[] y = Arrays.copyOfRange(gaps, 1, gaps.length);
    assertThat(OutputCsv.number(stats, "pearson_lag1"))
        .isCloseTo(ReferenceStats.pearson(x, y), within(1e-9));
    assertThat(OutputCsv.number(stats, "spearman_lag1"))
        .isCloseTo(ReferenceStats.spearman(x, y), within(1e-9));
    long points = OutputCsv.read(out.resolve("figures").resolve("cdf_interarrival.csv")).stream()
        .filter(row -> row.get("series").equals("conv")).count();
    assertThat(points).isBetween(2L, (long) Distributions.CDF_POINTS + 1);
  }
}
