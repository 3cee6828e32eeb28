package dev.servelens.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servelens.io.IngestSummary;
import dev.servelens.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which model a file without a model column gets (the Azure 2023 and 2024 file names, {@code
 * --model}), which files are skipped as notes, and the error of an ingest that recognises none
 * of its inputs.
 */
class WorkloadInputNamesIngestJobTest {
  private static final String AZURE = "TIMESTAMP,ContextTokens,GeneratedTokens\n"
      + "2023-11-16 18:17:03.9799600,4808,10\n";

  @TempDir Path temp;
  private final SparkSession spark = SharedSpark.session();

  private IngestSummary ingest(Path input, String model) {
    WorkloadIngestOptions options = new WorkloadIngestOptions();
    options.inputs = List.of(input.toString());
    options.catalog = temp.resolve("catalog").toString();
    options.model = model;
    return WorkloadIngestJob.run(spark, options);
  }

  private List<String> modelsByFile() {
    List<String> models = new ArrayList<>();
    for (Row row : spark.read().parquet(temp.resolve("catalog/workload_requests").toString())
        .selectExpr("model_id", "input_tokens").orderBy("model_id", "input_tokens")
        .collectAsList()) {
      models.add(row.getString(0) + ":" + row.getLong(1));
    }
    return models;
  }

  @Test
  void azureNamesOf2023And2024GiveTheirModel() {
    WorkloadLayout.Profile azure = WorkloadLayout.Profile.AZURE_2023;
    assertThat(WorkloadLayout.modelFromName("file:/d/AzureLLMInferenceTrace_code.csv", azure))
        .isEqualTo("code");
    assertThat(WorkloadLayout.modelFromName("file:/d/AzureLLMInferenceTrace_conv.csv", azure))
        .isEqualTo("conv");
    assertThat(WorkloadLayout.modelFromName("/d/AzureLLMInferenceTrace_code_1week.csv", azure))
        .isEqualTo("code");
    assertThat(WorkloadLayout.modelFromName("/d/AzureLLMInferenceTrace_conv_1week.csv.gz",
        azure)).isEqualTo("conv");
    assertThat(WorkloadLayout.modelFromName("/d/azurellminferencetrace_conv_1day.csv", azure))
        .isEqualTo("conv");
    assertThat(WorkloadLayout.modelFromName("/d/my_trace_code.csv", azure)).isEqualTo("code");
    assertThat(WorkloadLayout.modelFromName("/per_model/DeepSeek-R1.csv",
        WorkloadLayout.Profile.CANONICAL)).isEqualTo("DeepSeek-R1");
  }

  @Test
  void notesAreSkippedAndModelOptionNamesFilesWithoutAModelColumn() throws IOException {
    Path inputs = temp.resolve("inputs");
    Files.createDirectories(inputs);
    Files.writeString(inputs.resolve("AzureLLMInferenceTrace_code_1week.csv"), AZURE);
    Files.writeString(inputs.resolve("AzureLLMInferenceTrace_conv_1week.csv"),
        AZURE.replace("4808", "77"));
    Files.writeString(inputs.resolve("PROVENANCE.md"), "# where these came from\n");
    Files.writeString(inputs.resolve("notes.txt"), "TIMESTAMP is local time\n");
    Files.writeString(inputs.resolve(".hidden.csv"), AZURE);
    IngestSummary summary = ingest(inputs, null);
    assertThat(summary.filesFound()).isEqualTo(2);
    assertThat(summary.rowsRead()).isEqualTo(2);
    assertThat(summary.rowsRejected()).isZero();
    assertThat(modelsByFile()).containsExactly("code:4808", "conv:77");
    // No rejects, yet the family's rejects table exists, empty, for queries of it.
    assertThat(spark.read().parquet(temp.resolve("catalog/workload_rejects").toString())
        .columns()).containsExactly("source_path", "line_number", "raw", "reason");
    assertThat(spark.read().parquet(temp.resolve("catalog/workload_rejects").toString())
        .count()).isZero();

    Path more = temp.resolve("more");
    Files.createDirectories(more);
    Files.writeString(more.resolve("AzureLLMInferenceTrace_code_1week.csv"),
        AZURE.replace("4808", "5"));
    ingest(more, "azure-2024-code");
    assertThat(modelsByFile()).containsExactly("azure-2024-code:5", "code:4808", "conv:77");
  }

  @Test
  void anIngestThatRecognisesNothingFailsSayingWhatItSawAndWhatItReads() throws IOException {
    Path inputs = temp.resolve("inputs");
    Files.createDirectories(inputs);
    Files.writeString(inputs.resolve("perf.csv"), "model,hardware,prompt_time\nm,h,1\n");
    Files.writeString(inputs.resolve("PROVENANCE.md"), "# notes\n");
    assertThatThrownBy(() -> ingest(inputs, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ingest workload: no input recognised in " + inputs)
        .hasMessageContaining("perf.csv (.csv, first line 'model,hardware,prompt_time'): header"
            + " has no started_at column")
        .hasMessageContaining("Skipped as not data (hidden, *.md, *.txt): PROVENANCE.md")
        .hasMessageContaining("README.md, section \"Input formats\"");
    assertThat(Files.exists(temp.resolve("catalog/ingest_manifest"))).isFalse();

    Files.delete(inputs.resolve("perf.csv"));
    assertThatThrownBy(() -> ingest(inputs, null))
        .hasMessageContaining("no data file. Skipped as not data");
  }
}
