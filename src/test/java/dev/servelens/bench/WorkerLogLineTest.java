package dev.servelens.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One test per worker-log line variant of FORMATS.md "B", on the lines quoted there verbatim
 * (plus the prefix, colour, iteration, hybrid, speculative, memory and command-line variants).
 * Expected values are read off the lines.
 */
class WorkerLogLineTest {
  private final WorkerLogLine parser = new WorkerLogLine();

  private static Object value(Object[] values, String column) {
    return values[WorkerLogLine.SCHEMA.fieldIndex(column)];
  }

  private static Timestamp utc(String instant) {
    return Timestamp.from(Instant.parse(instant));
  }

  @Test
  void prefillBatchWithDpTpEpPrefix() {
    Object[] v = parser.parse("[2025-11-04 05:31:43 DP0 TP0 EP0] Prefill batch, #new-seq: 18,"
        + " #new-token: 16384, #cached-token: 0, token usage: 0.00, #running-req: 0, #queue-req:"
        + " 0, #prealloc-req: 0, #inflight-req: 0, input throughput (token/s): 0.00");
    assertThat(value(v, "line_kind")).isEqualTo("batch");
    assertThat(value(v, "batch_kind")).isEqualTo("prefill");
    assertThat(value(v, "ts")).isEqualTo(utc("2025-11-04T05:31:43Z"));
    assertThat(value(v, "dp")).isEqualTo(0);
    assertThat(value(v, "tp")).isEqualTo(0);
    assertThat(value(v, "ep")).isEqualTo(0);
    assertThat(value(v, "pp")).isNull();
    assertThat(value(v, "iteration")).isNull();
    assertThat(value(v, "new_seq")).isEqualTo(18L);
    assertThat(value(v, "new_token")).isEqualTo(16384L);
    assertThat(value(v, "cached_token")).isEqualTo(0L);
    assertThat(value(v, "token_usage")).isEqualTo(0.0);
    assertThat(value(v, "running_req")).isEqualTo(0L);
    assertThat(value(v, "queue_req")).isEqualTo(0L);
    assertThat(value(v, "prealloc_req")).isEqualTo(0L);
    assertThat(value(v, "inflight_req")).isEqualTo(0L);
    assertThat(value(v, "input_throughput")).isEqualTo(0.0);
  }

  @Test
  void decodeBatchWithTpOnlyPrefix() {
    Object[] v = parser.parse("[2026-04-08 14:05:21 TP0] Decode batch, #running-req: 5, #token:"
        + " 20800, token usage: 0.29, cuda graph: True, gen throughput (token/s): 144.95,"
        + " #queue-req: 0");
    assertThat(value(v, "batch_kind")).isEqualTo("decode");
    assertThat(value(v, "ts")).isEqualTo(utc("2026-04-08T14:05:21Z"));
    assertThat(value(v, "dp")).isNull();
    assertThat(value(v, "tp")).isEqualTo(0);
    assertThat(value(v, "running_req")).isEqualTo(5L);
    assertThat(value(v, "num_token")).isEqualTo(20800L);
    assertThat(value(v, "token_usage")).isEqualTo(0.29);
    assertThat(value(v, "cuda_graph")).isEqualTo(true);
    assertThat(value(v, "gen_throughput")).isEqualTo(144.95);
    assertThat(value(v, "queue_req")).isEqualTo(0L);
  }

  @Test
  void disaggregatedDecodeBatchWithIteration() {
    Object[] v = parser.parse("[2026-05-19 00:34:42 DP0 TP0 EP0] Decode batch [2], #running-req:"
        + " 1, #token: 64, token usage: 0.20, pre-allocated usage: 0.00, #prealloc-req: 0,"
        + " #transfer-req: 0, #retracted-req: 0, cuda graph: True, gen throughput (token/s):"
        + " 58.87, #queue-req: 0");
    assertThat(value(v, "iteration")).isEqualTo(2L);
    assertThat(value(v, "num_token")).isEqualTo(64L);
    assertThat(value(v, "token_usage")).isEqualTo(0.20);
    assertThat(value(v, "pre_allocated_usage")).isEqualTo(0.0);
    assertThat(value(v, "prealloc_req")).isEqualTo(0L);
    assertThat(value(v, "transfer_req")).isEqualTo(0L);
    assertThat(value(v, "retracted_req")).isEqualTo(0L);
    assertThat(value(v, "gen_throughput")).isEqualTo(58.87);
  }

  @Test
  void prefillWithIterationIsoMillisecondsAndColours() {
    Object[] v = parser.parse("\u001B[32m[2026-04-08T14:05:20.123 TP0]\u001B[0m Prefill batch"
        + " [12], #new-seq: 2, #new-token: 2048, #cached-token: 512, token usage: 0.05,"
        + " #running-req: 3, #queue-req: 1, input throughput (token/s): 3000.50");
    assertThat(value(v, "ts")).isEqualTo(utc("2026-04-08T14:05:20.123Z"));
    assertThat(value(v, "iteration")).isEqualTo(12L);
    assertThat(value(v, "cached_token")).isEqualTo(512L);
    assertThat(value(v, "input_throughput")).isEqualTo(3000.50);
    assertThat(value(v, "inflight_req")).isNull();
  }

  @Test
  void isoTimestampBeforeTheRankBracket() {
    Object[] v = parser.parse("2026-04-08T14:05:20.250Z [DP1 TP4] Decode batch, #running-req: 7,"
        + " #token: 900, token usage: 0.10, cuda graph: True, gen throughput (token/s): 88.00,"
        + " #queue-req: 0");
    assertThat(value(v, "ts")).isEqualTo(utc("2026-04-08T14:05:20.250Z"));
    assertThat(value(v, "dp")).isEqualTo(1);
    assertThat(value(v, "tp")).isEqualTo(4);
    assertThat(value(v, "running_req")).isEqualTo(7L);
  }

  @Test
  void pipelineRankPrefix() {
    Object[] v = parser.parse("[2026-04-08 14:05:23 PP1] Decode batch, #running-req: 2, #token:"
        + " 100, token usage: 0.01, cuda graph: True, gen throughput (token/s): 10.00,"
        + " #queue-req: 0");
    assertThat(value(v, "pp")).isEqualTo(1);
    assertThat(value(v, "tp")).isNull();
  }

  @Test
  void hybridAndSpeculativeFields() {
    Object[] v = parser.parse("[2026-04-08 14:05:22 TP0] Decode batch, #running-req: 5, #full"
        + " token: 20800, full token usage: 0.29, swa token usage: 0.10, mamba usage: 0.05,"
        + " accept len: 2.75, accept rate: 0.69, cuda graph: False, gen throughput (token/s):"
        + " 300.00, #queue-req: 0, #new-field: 7");
    assertThat(value(v, "full_token")).isEqualTo(20800L);
    assertThat(value(v, "full_token_usage")).isEqualTo(0.29);
    assertThat(value(v, "swa_token_usage")).isEqualTo(0.10);
    assertThat(value(v, "mamba_usage")).isEqualTo(0.05);
    assertThat(value(v, "accept_len")).isEqualTo(2.75);
    assertThat(value(v, "accept_rate")).isEqualTo(0.69);
    assertThat(value(v, "cuda_graph")).isEqualTo(false);
    @SuppressWarnings("unchecked")
    scala.collection.Map<String, Double> extra = (scala.collection.Map<String, Double>) value(v,
        "extra");
    assertThat(scala.collection.JavaConverters.mapAsJavaMap(extra))
        .isEqualTo(Map.of("#new-field", 7.0));
  }

  @Test
  void memoryLines() {
    Object[] load = parser.parse("[2025-11-10 19:21:00 TP0] Load weight end."
        + " type=DeepseekV3ForCausalLM, dtype=torch.bfloat16, avail mem=71.23 GB, mem"
        + " usage=12.34 GB.");
    assertThat(value(load, "line_kind")).isEqualTo("memory");
    assertThat(value(load, "avail_mem_gb")).isEqualTo(71.23);
    assertThat(value(load, "mem_usage_gb")).isEqualTo(12.34);
    assertThat(value(load, "kv_size_gb")).isNull();
    Object[] kv = parser.parse("[2025-11-10 19:21:01 TP0] KV Cache is allocated. #tokens: 123456,"
        + " KV size: 30.5 GB");
    assertThat(value(kv, "kv_tokens")).isEqualTo(123456.0);
    assertThat(value(kv, "kv_size_gb")).isEqualTo(30.5);
  }

  @Test
  void serverCommandLine() {
    Object[] v = parser.parse("python3 -m sglang.launch_server --model-path /m --tp-size 8"
        + " --dp-size=2 --ep-size 8 --disaggregation-mode prefill");
    assertThat(value(v, "line_kind")).isEqualTo("server_args");
    assertThat(value(v, "tp_size")).isEqualTo(8);
    assertThat(value(v, "dp_size")).isEqualTo(2);
    assertThat(value(v, "ep_size")).isEqualTo(8);
    assertThat(value(v, "ts")).isNull();
  }

  @Test
  void otherLinesAreNotRows() {
    assertThat(parser.parse("INFO:     Started server process [12345]")).isNull();
    assertThat(parser.parse("\u0000\u0001 garbage \u00ff")).isNull();
    assertThat(parser.parse("")).isNull();
  }

  @Test
  void cutOffAndMalformedBatchLinesAreRejectedWithTheReason() {
    assertThatThrownBy(() -> parser.parse("[2026-05-19 00:34:44 DP0 TP0 EP0] Decode batch [4],"
        + " #running-req: 1, #tok"))
        .hasMessage("field '#tok' has no value (line cut off?)");
    assertThatThrownBy(() -> parser.parse("[2026-05-19 00:34:44 TP0] Decode batch [4"))
        .hasMessage("iteration: cut off");
    assertThatThrownBy(() -> parser.parse("[2026-05-19 00:34:44 TP0] Decode batch,"
        + " #running-req: x1"))
        .hasMessage("#running-req: not a number 'x1'");
    assertThatThrownBy(() -> parser.parse("Decode batch, #running-req: 1"))
        .hasMessage("batch line without a [timestamp] prefix");
  }
}
