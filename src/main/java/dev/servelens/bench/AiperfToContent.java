package dev.servelens.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * NVIDIA AIPerf's aggregate export ({@code profile_export_aiperf.json}, one per {@code aiperf
 * profile} run) read into the keys of a result file. Each metric is an object {@code {"unit",
 * "avg", "p50", "p90", "p95", "p99", "std", "min", "max"}}:
 *
 * <ul>
 *   <li>{@code time_to_first_token}, {@code inter_token_latency}, {@code request_latency}: TTFT,
 *       ITL and E2EL ({@code avg} is the mean, {@code p50} the median), in ms (s and ns
 *       converted). AIPerf's ITL is a request's (latency - TTFT) / (output tokens - 1), the
 *       quantity vLLM calls TPOT; it is kept as ITL, so TPS/User says it came from ITL;
 *   <li>{@code benchmark_duration} (s), {@code request_count}, {@code error_request_count},
 *       {@code total_isl}, {@code total_osl}, {@code request_throughput}, {@code
 *       output_token_throughput}: their {@code avg};
 *   <li>{@code input_config.loadgen.concurrency} / {@code request_rate}: the sweep point;
 *       {@code input_config.input.prompt.input_tokens.mean} / {@code output_tokens.mean}: ISL and
 *       OSL; {@code input_config.endpoint.model_names[0]}: the model.
 * </ul>
 */
final class AiperfToContent {
  private AiperfToContent() {}

  static final String FILE_NAME = "profile_export_aiperf.json";
  static final String FORMAT = "aiperf-profile-export";

  private static final Map<String, String> LATENCIES = Map.of("time_to_first_token", "ttft",
      "inter_token_latency", "itl", "request_latency", "e2el");
  private static final Map<String, String> STATS = Map.of("avg", "mean", "p50", "median",
      "std", "std", "p90", "p90", "p95", "p95", "p99", "p99");
  private static final Map<String, String> TOTALS = Map.of("request_count", "completed",
      "error_request_count", "failed", "total_isl", "total_input_tokens",
      "total_osl", "total_output_tokens", "request_throughput", "request_throughput",
      "output_token_throughput", "output_throughput");

  /** True for AIPerf's aggregate export, by its fixed file name. */
  static boolean isExport(String fileName) {
    return fileName.equals(FILE_NAME);
  }

  /**
   * @throws IllegalArgumentException on a unit it cannot convert, naming metric and unit
   */
  static JsonRecord.Content read(JsonNode root) {
    if (!root.isObject()) {
      throw new IllegalArgumentException("AIPerf export: not a JSON object");
    }
    Map<String, Double> numbers = new HashMap<>();
    Map<String, String> text = new HashMap<>();
    for (Map.Entry<String, String> latency : LATENCIES.entrySet()) {
      JsonNode metric = root.path(latency.getKey());
      double scale = millisecondsPer(latency.getKey(), metric.path("unit").asText("ms"));
      for (Map.Entry<String, String> stat : STATS.entrySet()) {
        JsonNode value = metric.path(stat.getKey());
        if (value.isNumber()) {
          numbers.put(stat.getValue() + "_" + latency.getValue() + "_ms",
              value.asDouble() * scale);
        }
      }
    }
    JsonNode duration = root.path("benchmark_duration");
    if (duration.path("avg").isNumber()) {
      numbers.put("duration", duration.path("avg").asDouble()
          * millisecondsPer("benchmark_duration", duration.path("unit").asText("sec")) / 1000);
    }
    for (Map.Entry<String, String> total : TOTALS.entrySet()) {
      JsonNode value = root.path(total.getKey()).path("avg");
      if (value.isNumber()) {
        numbers.put(total.getValue(), value.asDouble());
      }
    }
    JsonNode config = root.path("input_config");
    putNumber(numbers, "max_concurrency", config.path("loadgen").path("concurrency"));
    putNumber(numbers, "request_rate", config.path("loadgen").path("request_rate"));
    JsonNode prompt = config.path("input").path("prompt");
    putNumber(numbers, BenchColumns.ISL, prompt.path("input_tokens").path("mean"));
    putNumber(numbers, BenchColumns.OSL, prompt.path("output_tokens").path("mean"));
    JsonNode model = config.path("endpoint").path("model_names").path(0);
    if (model.isTextual()) {
      text.put("model_id", MetadataToContent.clip(model.asText()));
    }
    text.put("backend", "aiperf");
    text.put("result_format", FORMAT);
    return new JsonRecord.Content(text, numbers, List.of(), List.of());
  }

  private static void putNumber(Map<String, Double> numbers, String key, JsonNode value) {
    if (value.isNumber()) {
      numbers.put(key, value.asDouble());
    }
  }

  private static double millisecondsPer(String metric, String unit) {
    switch (unit.toLowerCase(Locale.ROOT)) {
      case "ms":
        return 1;
      case "s":
      case "sec":
        return 1000;
      case "ns":
        return 1e-6;
      default:
        throw new IllegalArgumentException("AIPerf export: unit '" + unit + "' of '" + metric
            + "' is not a time unit servelens reads (ms, s, sec, ns)");
    }
  }
}
