package dev.servelens.bench.gen;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Writes a run's {@code {jobid}.json} in the run's {@link MetadataShape}: the old
 * {@code run_metadata} shape (settings as strings, benchmark under {@code benchmark} and/or
 * {@code profiler_metadata}) or the new flat shape (settings as numbers).
 */
final class MetadataFile {

  private static final DateTimeFormatter GENERATED_AT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT);

  private final BenchRunPlan plan;

  MetadataFile(BenchRunPlan plan) {
    this.plan = plan;
  }

  void write(OutputStream stream) throws IOException {
    try (JsonGenerator json = RunFiles.json(stream, PythonStylePrinter.indented())) {
      json.writeStartObject();
      if (plan.shape == MetadataShape.NEW_FLAT) {
        writeFlat(json);
      } else {
        writeOld(json);
      }
      json.writeArrayFieldStart("tags");
      for (String tag : plan.tags) {
        json.writeString(tag);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
  }

  private void writeOld(JsonGenerator json) throws IOException {
    json.writeObjectFieldStart("run_metadata");
    json.writeStringField("slurm_job_id", Integer.toString(plan.jobId));
    json.writeStringField("run_date", plan.started.format(BenchRunPlan.RUN_DATE));
    json.writeStringField("container", plan.release.container);
    writeResources(json);
    json.writeStringField("model_dir", plan.deployment.modelPath);
    json.writeEndObject();
    if (plan.shape != MetadataShape.OLD_BENCHMARK) {
      json.writeFieldName("profiler_metadata");
      writeBenchmark(json, true);
    }
    if (plan.shape != MetadataShape.OLD_PROFILER_ONLY) {
      json.writeFieldName("benchmark");
      writeBenchmark(json, true);
    }
  }

  private void writeFlat(JsonGenerator json) throws IOException {
    json.writeStringField("job_id", Integer.toString(plan.jobId));
    json.writeStringField("generated_at", plan.started.format(GENERATED_AT));
    json.writeObjectFieldStart("model");
    json.writeStringField("container", plan.release.container);
    json.writeStringField("path", plan.deployment.modelPath);
    json.writeEndObject();
    json.writeObjectFieldStart("resources");
    writeResources(json);
    json.writeEndObject();
    json.writeFieldName("benchmark");
    writeBenchmark(json, false);
  }

  private void writeResources(JsonGenerator json) throws IOException {
    json.writeNumberField("prefill_nodes", plan.nodes("prefill"));
    json.writeNumberField("decode_nodes", plan.nodes("decode"));
    json.writeNumberField("prefill_workers", plan.workers("prefill"));
    json.writeNumberField("decode_workers", plan.workers("decode"));
    json.writeNumberField("agg_nodes", plan.nodes("agg"));
    json.writeNumberField("agg_workers", plan.workers("agg"));
    json.writeNumberField("gpus_per_node", plan.gpu.gpusPerNode);
    json.writeStringField("gpu_type", plan.gpu.label);
    json.writeStringField("mode", plan.deployment.disaggregated ? "disaggregated" : "aggregated");
  }

  /** The benchmark settings; the old shape writes lengths as strings, the new as numbers. */
  private void writeBenchmark(JsonGenerator json, boolean lengthsAsStrings) throws IOException {
    json.writeStartObject();
    json.writeStringField("type", plan.benchmarkType());
    if (lengthsAsStrings) {
      json.writeStringField("isl", Integer.toString(plan.isl));
      json.writeStringField("osl", Integer.toString(plan.osl));
    } else {
      json.writeNumberField("isl", plan.isl);
      json.writeNumberField("osl", plan.osl);
    }
    json.writeStringField("concurrencies", plan.concurrencyList());
    json.writeStringField("req-rate", "inf");
    json.writeEndObject();
  }
}
