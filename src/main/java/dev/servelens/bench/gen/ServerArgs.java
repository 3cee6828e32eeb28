package dev.servelens.bench.gen;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SGLang server arguments of one worker node, in one ordered map that the command line in
 * the worker log, the {@code server_args=ServerArgs(...)} log line and the node config snapshot
 * are all written from, so the three agree.
 */
final class ServerArgs {

  static final int CHUNKED_PREFILL_SIZE = 16384;
  static final int DECODE_LOG_INTERVAL = 40;

  private ServerArgs() {}

  /** The arguments of node {@code nodeRank} of a worker of {@code group}; null means unset. */
  static Map<String, Object> of(BenchRunPlan plan, WorkerGroup group, int nodeRank) {
    Deployment model = plan.deployment;
    int pipeline = model.pipelineStages;
    int tensor = group.gpusPerWorker() / pipeline;
    boolean dataParallel = model.dataParallelAttention();
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("model_path", model.modelPath);
    args.put("served_model_name", model.servedName);
    args.put("trust_remote_code", true);
    args.put("tp_size", tensor);
    args.put("dp_size", dataParallel ? tensor : 1);
    args.put("ep_size", dataParallel ? tensor : 1);
    args.put("pp_size", pipeline);
    args.put("enable_dp_attention", dataParallel);
    args.put("disaggregation_mode", model.disaggregated ? group.role() : "null");
    args.put("disaggregation_transfer_backend", model.disaggregated ? "nixl" : null);
    args.put("mem_fraction_static", plan.memoryFraction);
    args.put("chunked_prefill_size", CHUNKED_PREFILL_SIZE);
    args.put("max_running_requests", group.role().equals("prefill") ? 512 : 4096);
    args.put("cuda_graph_max_bs", 256);
    args.put("kv_cache_dtype", plan.tags.contains("fp8") ? "fp8_e4m3" : "auto");
    args.put("attention_backend", model.attentionBackend);
    args.put("speculative_algorithm", model.speculative ? "EAGLE" : null);
    args.put("speculative_num_steps", model.speculative ? 3 : null);
    args.put("decode_log_interval", DECODE_LOG_INTERVAL);
    args.put("dist_init_addr", "10.0." + (plan.firstNodeNumber + group.firstNode()) + ".1:5757");
    args.put("nnodes", Math.max(1, group.gpusPerWorker() / group.gpusPerNode()));
    args.put("node_rank", nodeRank);
    args.put("host", "0.0.0.0");
    args.put("port", 30000);
    args.put("enable_metrics", true);
    args.put("watchdog_timeout", 1000000);
    return args;
  }

  /** {@code python3 -m sglang.launch_server --model-path ... --tp-size 8 --dp-size 8 ...}. */
  static String commandLine(Map<String, Object> args) {
    StringBuilder line = new StringBuilder("python3 -m sglang.launch_server");
    for (Map.Entry<String, Object> arg : args.entrySet()) {
      Object value = arg.getValue();
      if (value == null || Boolean.FALSE.equals(value) || "null".equals(value)) {
        continue;
      }
      line.append(" --").append(arg.getKey().replace('_', '-'));
      if (!Boolean.TRUE.equals(value)) {
        line.append(' ').append(value);
      }
    }
    return line.toString();
  }

  /** {@code ServerArgs(model_path='/models/x', tp_size=8, ...)} as SGLang logs it at start. */
  static String pythonRepr(Map<String, Object> args) {
    StringBuilder repr = new StringBuilder("ServerArgs(");
    String separator = "";
    for (Map.Entry<String, Object> arg : args.entrySet()) {
      Object value = arg.getValue();
      repr.append(separator).append(arg.getKey()).append('=');
      if (value == null || "null".equals(value)) {
        repr.append("None");
      } else if (value instanceof Boolean flag) {
        repr.append(flag ? "True" : "False");
      } else if (value instanceof String text) {
        repr.append('\'').append(text).append('\'');
      } else {
        repr.append(value);
      }
      separator = ", ";
    }
    return repr.append(')').toString();
  }
}
