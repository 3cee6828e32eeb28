package dev.servelens.bench.gen;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a {@code <node>_<role>_config.json} snapshot: {@code gpu_info}, {@code config.
 * server_args} and {@code environment} (NCCL, SGLANG, CUDA and other variables). Runs differ a
 * little (NVLS, DeepGEMM JIT, memory fraction, a profiler directory), as real nightly runs do.
 */
final class NodeConfigFile {

  private final BenchRunPlan plan;

  NodeConfigFile(BenchRunPlan plan) {
    this.plan = plan;
  }

  void write(OutputStream stream, String host, int node, Map<String, Object> serverArgs)
      throws IOException {
    try (JsonGenerator json = RunFiles.json(stream, PythonStylePrinter.indented())) {
      json.writeStartObject();
      json.writeObjectFieldStart("gpu_info");
      json.writeNumberField("count", plan.gpu.gpusPerNode);
      json.writeStringField("name", plan.gpu.label);
      json.writeNumberField("memory_total_mb", plan.gpu.memoryMib);
      json.writeStringField("driver_version", plan.release.isoTimestamps ? "570.133.20" : "550.127.05");
      json.writeStringField("cuda_version", plan.release.isoTimestamps ? "12.9" : "12.4");
      json.writeStringField("compute_capability", plan.gpu.computeCapability);
      json.writeEndObject();
      json.writeObjectFieldStart("config");
      json.writeObjectFieldStart("server_args");
      for (Map.Entry<String, Object> arg : serverArgs.entrySet()) {
        json.writeFieldName(arg.getKey());
        writeValue(json, arg.getValue());
      }
      json.writeEndObject();
      json.writeEndObject();
      json.writeObjectFieldStart("environment");
      for (Map.Entry<String, String> variable : environment(host, node).entrySet()) {
        json.writeStringField(variable.getKey(), variable.getValue());
      }
      json.writeEndObject();
      json.writeEndObject();
    }
  }

  private static void writeValue(JsonGenerator json, Object value) throws IOException {
    if (value == null || "null".equals(value)) {
      json.writeNull();
    } else if (value instanceof Boolean flag) {
      json.writeBoolean(flag);
    } else if (value instanceof Integer number) {
      json.writeNumber(number);
    } else if (value instanceof Double number) {
      json.writeNumber(Decimals.fixed(number, 2));
    } else {
      json.writeString(value.toString());
    }
  }

  private Map<String, String> environment(String host, int node) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("NCCL_DEBUG", "WARN");
    env.put("NCCL_IB_DISABLE", "0");
    env.put("NCCL_SOCKET_IFNAME", plan.gpu == GpuType.GB200 ? "enP6p9s0np0" : "eth0");
    env.put("NCCL_NVLS_ENABLE", plan.nvlsEnabled ? "1" : "0");
    env.put("NCCL_CUMEM_ENABLE", "1");
    if (plan.gpu == GpuType.GB200) {
      env.put("NCCL_MNNVL_ENABLE", "1");
    }
    env.put("SGLANG_ENABLE_JIT_DEEPGEMM", plan.jitDeepGemm ? "1" : "0");
    env.put("SGLANG_DISAGGREGATION_BOOTSTRAP_TIMEOUT", "600");
    env.put("SGLANG_DISAGGREGATION_HEARTBEAT_MAX_FAILURE", "100000");
    if (plan.profiling) {
      env.put("SGLANG_TORCH_PROFILER_DIR", "/logs/profiles");
    }
    env.put("CUDA_DEVICE_MAX_CONNECTIONS", "1");
    env.put("CUDA_VISIBLE_DEVICES", visibleDevices());
    env.put("CUDA_HOME", "/usr/local/cuda");
    env.put("HOSTNAME", host);
    env.put("SLURM_JOB_ID", Integer.toString(plan.jobId));
    env.put("SLURM_NODEID", Integer.toString(node));
    env.put("PYTHONUNBUFFERED", "1");
    env.put("HF_HOME", "/root/.cache/huggingface");
    env.put("UCX_TLS", "rc,cuda_copy,cuda_ipc");
    return env;
  }

  private String visibleDevices() {
    StringBuilder devices = new StringBuilder("0");
    for (int gpu = 1; gpu < plan.gpu.gpusPerNode; gpu++) {
      devices.append(',').append(gpu);
    }
    return devices.toString();
  }
}
