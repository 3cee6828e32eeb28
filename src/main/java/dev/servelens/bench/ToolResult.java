package dev.servelens.bench;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * One sweep point written by a benchmark tool (SGLang {@code bench_serving}, vLLM {@code bench
 * serve --save-result} or the older {@code benchmark_serving.py}), its keys brought to the
 * names of the srt-slurm result files ({@link BenchTables#RESULT_COLUMNS}):
 *
 * <ul>
 *   <li>SGLang's {@code <stat>_e2e_latency_ms} is {@code <stat>_e2el_ms}; its newer {@code
 *       total_throughput} is {@code total_token_throughput};
 *   <li>{@code request_rate} {@code "inf"} (vLLM writes a string) or {@code Infinity} (SGLang
 *       writes a bare number) is +infinity: all requests at once;
 *   <li>metadata given as strings ({@code vllm --metadata gpus=8}) become numbers where a number
 *       is expected ({@code total_gpus}, {@code num_gpus}, {@code gpus});
 *   <li>{@code total_token_throughput = (total_input_tokens + total_output_tokens) / duration}
 *       and {@code request_throughput = completed / duration} when the file lacks them, named
 *       in {@code derived_metrics};
 *   <li>the sweep's input and output lengths: SGLang's {@code random_input_len} /
 *       {@code random_output_len} for the random dataset, {@code sharegpt_output_len} when set.
 * </ul>
 */
final class ToolResult {
  private ToolResult() {}

  static final String SGLANG = "sglang-bench-serving";
  static final String VLLM = "vllm-bench-serve";
  static final String VLLM_OLD = "vllm-benchmark-serving";

  private static final String[] STATS = {"mean", "median", "std", "p90", "p95", "p99"};
  private static final String[] GPU_KEYS = {"total_gpus", "num_gpus", "gpus"};
  private static final String[] GPU_TYPE_KEYS = {"gpu_type", "gpu", "hardware"};

  /**
   * The point's content with canonical keys, the tool's name in text {@code result_format}, the
   * sweep's {@code isl}/{@code osl} and hardware from {@code defaults} where the file has none.
   *
   * @throws IllegalArgumentException naming what makes it no benchmark result
   */
  static JsonRecord.Content normalize(JsonRecord.Content content, Hardware defaults) {
    Map<String, Double> numbers = new HashMap<>(content.numbers());
    Map<String, String> text = new HashMap<>(content.text());
    text.computeIfAbsent("result_format", key -> format(numbers, text));
    for (String stat : STATS) {
      rename(numbers, stat + "_e2e_latency_ms", stat + "_e2el_ms");
    }
    rename(numbers, "total_throughput", "total_token_throughput");
    numberFromText(numbers, text, "request_rate");
    numberFromText(numbers, text, "max_concurrency");
    for (String key : GPU_KEYS) {
      numberFromText(numbers, text, key);
      if (!numbers.containsKey("total_gpus") && numbers.containsKey(key)) {
        numbers.put("total_gpus", numbers.get(key));
      }
    }
    check(numbers);
    TreeSet<String> derived = new TreeSet<>();
    Double duration = numbers.get("duration");
    if (duration != null && duration > 0) {
      derive(numbers, derived, "total_token_throughput",
          sum(numbers.get("total_input_tokens"), numbers.get("total_output_tokens")), duration);
      derive(numbers, derived, "request_throughput", numbers.get("completed"), duration);
      derive(numbers, derived, "output_throughput", numbers.get("total_output_tokens"),
          duration);
    }
    if (!derived.isEmpty()) {
      text.put("derived_metrics", String.join(";", derived));
    }
    sweepLengths(numbers, text);
    if (!numbers.containsKey("total_gpus") && defaults.gpus() != null) {
      numbers.put("total_gpus", defaults.gpus().doubleValue());
    }
    String gpuType = null;
    for (String key : GPU_TYPE_KEYS) {
      gpuType = gpuType != null ? gpuType : text.get(key);
    }
    gpuType = gpuType != null ? gpuType : defaults.gpuType();
    if (gpuType != null) {
      text.put("gpu_type", gpuType);
    }
    return new JsonRecord.Content(text, numbers, content.tags(), content.config());
  }

  /** GPU type and count given on the command line, for files that do not name them. */
  record Hardware(String gpuType, Integer gpus) implements java.io.Serializable {}

  /** The sweep group within a file: dataset and lengths, e.g. {@code random_isl_1024_osl_1024}. */
  static String group(JsonRecord.Content content) {
    StringBuilder group = new StringBuilder();
    String dataset = content.text().get("dataset_name");
    if (dataset != null) {
      group.append(dataset);
    }
    Double isl = content.numbers().get(BenchColumns.ISL);
    Double osl = content.numbers().get(BenchColumns.OSL);
    if (isl != null) {
      group.append(group.length() > 0 ? "_" : "").append("isl_").append(isl.longValue());
    }
    if (osl != null) {
      group.append(group.length() > 0 ? "_" : "").append("osl_").append(osl.longValue());
    }
    return group.toString();
  }

  private static void check(Map<String, Double> numbers) {
    if (!numbers.containsKey("duration") && !numbers.containsKey("output_throughput")) {
      throw new IllegalArgumentException(
          "not a benchmark result: neither 'duration' nor 'output_throughput'");
    }
    for (String key : BenchTables.RESULT_COLUMNS) {
      Double value = numbers.get(key);
      boolean rate = key.equals("request_rate");
      if (value != null && (value.isNaN() || value < 0 || !rate && value.isInfinite())) {
        throw new IllegalArgumentException("field '" + key + "': " + value
            + " is not a count, rate or time");
      }
    }
  }

  private static String format(Map<String, Double> numbers, Map<String, String> text) {
    boolean sglang = text.containsKey("dataset_name")
        || numbers.containsKey("total_output_tokens_retokenized");
    for (String key : numbers.keySet()) {
      sglang |= key.endsWith("_e2e_latency_ms");
    }
    if (sglang) {
      return SGLANG;
    }
    return text.containsKey("endpoint_type") || text.containsKey("label") ? VLLM : VLLM_OLD;
  }

  private static void sweepLengths(Map<String, Double> numbers, Map<String, String> text) {
    String dataset = text.getOrDefault("dataset_name", "").toLowerCase(Locale.ROOT);
    if (dataset.contains("random")) {
      copy(numbers, "random_input_len", BenchColumns.ISL);
      copy(numbers, "random_output_len", BenchColumns.OSL);
    }
    copy(numbers, "sharegpt_output_len", BenchColumns.OSL);
  }

  private static void rename(Map<String, Double> numbers, String from, String to) {
    Double value = numbers.remove(from);
    if (value != null) {
      numbers.putIfAbsent(to, value);
    }
  }

  private static void copy(Map<String, Double> numbers, String from, String to) {
    Double value = numbers.get(from);
    if (value != null && !numbers.containsKey(to)) {
      numbers.put(to, value);
    }
  }

  /** A number written as text ({@code "inf"}, {@code "8"}) moves from text to numbers. */
  private static void numberFromText(Map<String, Double> numbers, Map<String, String> text,
      String key) {
    String value = text.get(key);
    if (value == null || numbers.containsKey(key)) {
      return;
    }
    String trimmed = value.trim().toLowerCase(Locale.ROOT);
    try {
      numbers.put(key, trimmed.equals("inf") || trimmed.equals("infinity")
          ? Double.POSITIVE_INFINITY : Double.parseDouble(trimmed));
      text.remove(key);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("field '" + key + "': '" + value
          + "' is not a number");
    }
  }

  private static Double sum(Double a, Double b) {
    return a == null || b == null ? null : a + b;
  }

  private static void derive(Map<String, Double> numbers, TreeSet<String> derived, String key,
      Double total, double duration) {
    if (!numbers.containsKey(key) && total != null) {
      numbers.put(key, total / duration);
      derived.add(key);
    }
  }
}
