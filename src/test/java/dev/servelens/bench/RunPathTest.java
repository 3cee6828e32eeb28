package dev.servelens.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Where files sit in a logs tree (run directory or its logs/ subfolder, exact result folders)
 * and how metadata of both shapes becomes a run: total GPUs from nodes, not workers.
 */
class RunPathTest {
  private static final String RUN = "file:/data/logs/3667_1P_4D_20251110_192145";

  @Test
  void classifiesTheFilesOfARunDirectory() {
    RunPath metadata = RunPath.of(RUN + "/3667.json");
    assertThat(metadata.kind()).isEqualTo(RunPath.Kind.METADATA);
    assertThat(metadata.jobId()).isEqualTo("3667");
    assertThat(metadata.topology()).isEqualTo("1P_4D");
    assertThat(metadata.runStamp()).isEqualTo("20251110_192145");
    assertThat(metadata.runDir()).isEqualTo(RUN);

    RunPath result = RunPath.of(RUN + "/logs/sa-bench_isl_1024_osl_10240/concurrency_64.json");
    assertThat(result.kind()).isEqualTo(RunPath.Kind.RESULT);
    assertThat(result.resultType()).isEqualTo("sa-bench");
    assertThat(result.isl()).isEqualTo(1024);
    assertThat(result.osl()).isEqualTo(10240);
    assertThat(result.concurrency()).isEqualTo(64);

    RunPath log = RunPath.of(RUN + "/logs/watchtower-navy-cn01_decode_w3.err");
    assertThat(log.kind()).isEqualTo(RunPath.Kind.WORKER_LOG);
    assertThat(log.node()).isEqualTo("watchtower-navy-cn01");
    assertThat(log.role()).isEqualTo("decode");
    assertThat(log.worker()).isEqualTo(3);
    assertThat(RunPath.of(RUN + "/n5_agg_w0.out").role()).isEqualTo("agg");

    RunPath config = RunPath.of(RUN + "/watchtower-navy-cn01_prefill_config.json");
    assertThat(config.kind()).isEqualTo(RunPath.Kind.CONFIG);
    assertThat(config.node()).isEqualTo("watchtower-navy-cn01");
    assertThat(config.role()).isEqualTo("prefill");

    assertThat(RunPath.of(RUN + "/README.txt").kind()).isEqualTo(RunPath.Kind.OTHER);
    assertThat(RunPath.of(RUN + "/3668.json").kind()).isEqualTo(RunPath.Kind.OTHER);
    assertThat(RunPath.of("file:/data/logs/notarun/3667.json").kind())
        .isEqualTo(RunPath.Kind.OTHER);
    assertThat(RunPath.of("file:/data/logs/3669_8A_20251112_080000/3669.json").topology())
        .isEqualTo("8A");
  }

  @Test
  void oldShapeWithOnlyProfilerMetadataIsRead() throws Exception {
    JsonRecord.Content run = MetadataToContent.read(new ObjectMapper().readTree("""
        {"run_metadata": {"prefill_nodes": 1, "decode_nodes": 4, "prefill_workers": 1,
          "decode_workers": 4, "gpus_per_node": 8, "mode": "disaggregated"},
         "profiler_metadata": {"type": "sa-bench", "isl": "1024", "osl": "1024",
          "concurrencies": "16x32x64"}, "tags": ["baseline"]}"""), "1P_4D");
    // (1 + 4) nodes x 8 GPUs = 40
    assertThat(run.numbers().get("total_gpus")).isEqualTo(40.0);
    assertThat(run.numbers().get("isl")).isEqualTo(1024.0);
    assertThat(run.text().get("benchmark_type")).isEqualTo("sa-bench");
    assertThat(run.text().get("concurrencies")).isEqualTo("16x32x64");
    assertThat(run.text().get("mode")).isEqualTo("disagg");
    assertThat(run.text().get("metadata_shape")).isEqualTo("old");
    assertThat(run.text().get("is_profiling")).isEqualTo("false");
    assertThat(run.tags()).containsExactly("baseline");
  }

  @Test
  void aggregatedRunsCountNodesNotWorkers() throws Exception {
    JsonRecord.Content run = MetadataToContent.read(new ObjectMapper().readTree("""
        {"job_id": "9", "resources": {"agg_nodes": 2, "agg_workers": 8, "gpus_per_node": 4},
         "benchmark": {"type": "torch-profiler", "concurrencies": [8, 16]}}"""), "8A");
    // 2 nodes x 4 GPUs = 8 (8 workers would give 32); no mode given: aggregated from the nodes
    assertThat(run.numbers().get("total_gpus")).isEqualTo(8.0);
    assertThat(run.text().get("mode")).isEqualTo("agg");
    assertThat(run.text().get("metadata_shape")).isEqualTo("new");
    assertThat(run.text().get("is_profiling")).isEqualTo("true");
    assertThat(run.text().get("concurrencies")).isEqualTo("8x16");
  }
}
