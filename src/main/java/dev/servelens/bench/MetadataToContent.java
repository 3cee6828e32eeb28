package dev.servelens.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a run's {@code {jobid}.json} in either shape:
 *
 * <ul>
 *   <li>old: {@code {"run_metadata": {...}, "profiler_metadata" or "benchmark": {...}, "tags"}};
 *   <li>new, flat: {@code {"job_id", "generated_at", "model": {"container", "path"}, "resources":
 *       {...}, "benchmark": {...}, "tags"}}.
 * </ul>
 *
 * Benchmark settings come from {@code benchmark}, or from {@code profiler_metadata} when there
 * is no {@code benchmark} (old runs). Total GPUs = (prefill_nodes + decode_nodes) x gpus_per_node
 * for disaggregated runs, agg_nodes x gpus_per_node for aggregated ones (nodes, not workers). A
 * run of type {@code torch-profiler} is a profiling run.
 */
final class MetadataToContent {
  private MetadataToContent() {}

  static final String PROFILER_TYPE = "torch-profiler";
  private static final String[] RESOURCE_NUMBERS = {"prefill_nodes", "decode_nodes",
    "prefill_workers", "decode_workers", "agg_nodes", "agg_workers", "gpus_per_node"};

  static JsonRecord.Content read(JsonNode root, String topology) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("metadata: not a JSON object");
    }
    Map<String, String> text = new HashMap<>();
    Map<String, Double> numbers = new HashMap<>();
    JsonNode resources;
    if (root.has("run_metadata")) {
      resources = root.get("run_metadata");
      text.put("metadata_shape", "old");
      put(text, "container", resources.get("container"));
      put(text, "model", resources.get("model_dir"));
      put(text, "run_date", resources.get("run_date"));
    } else if (root.has("job_id") || root.has("resources")) {
      resources = root.path("resources");
      text.put("metadata_shape", "new");
      put(text, "container", root.path("model").get("container"));
      put(text, "model", root.path("model").get("path"));
      put(text, "run_date", root.get("generated_at"));
    } else {
      throw new IllegalArgumentException(
          "metadata: neither run_metadata (old shape) nor job_id/resources (new shape)");
    }
    for (String name : RESOURCE_NUMBERS) {
      Double value = number(resources.get(name), name);
      if (value != null) {
        numbers.put(name, value);
      }
    }
    put(text, "gpu_type", resources.get("gpu_type"));
    String mode = mode(text(resources.get("mode")), numbers, topology);
    text.put("mode", mode);
    Double gpus = totalGpus(mode, numbers);
    if (gpus != null) {
      numbers.put("total_gpus", gpus);
    }
    readBenchmark(root.has("benchmark") ? root.get("benchmark") : root.path("profiler_metadata"),
        text, numbers);
    return new JsonRecord.Content(text, numbers, tags(root.get("tags")), List.of());
  }

  private static void readBenchmark(JsonNode benchmark, Map<String, String> text,
      Map<String, Double> numbers) {
    put(text, "benchmark_type", benchmark.get("type"));
    for (String name : new String[] {"isl", "osl"}) {
      Double value = number(benchmark.get(name), name);
      if (value != null) {
        numbers.put(name, value);
      }
    }
    JsonNode rate = benchmark.has("req-rate") ? benchmark.get("req-rate")
        : benchmark.get("req_rate");
    put(text, "req_rate", rate);
    String concurrencies = concurrencies(benchmark.get("concurrencies"));
    if (concurrencies != null) {
      text.put("concurrencies", concurrencies);
    }
    String type = text.get("benchmark_type");
    text.put("is_profiling", String.valueOf(type != null
        && type.toLowerCase(Locale.ROOT).equals(PROFILER_TYPE)));
  }

  /** {@code disagg} or {@code agg}: from {@code mode} when given, else from the nodes. */
  static String mode(String declared, Map<String, Double> numbers, String topology) {
    if (declared != null) {
      String lower = declared.toLowerCase(Locale.ROOT);
      if (lower.startsWith("disagg")) {
        return BenchColumns.MODE_DISAGG;
      }
      if (lower.startsWith("agg")) {
        return BenchColumns.MODE_AGG;
      }
    }
    double prefillDecode = numbers.getOrDefault("prefill_nodes", 0.0)
        + numbers.getOrDefault("decode_nodes", 0.0);
    if (numbers.getOrDefault("agg_nodes", 0.0) > 0 && prefillDecode == 0) {
      return BenchColumns.MODE_AGG;
    }
    boolean aggTopology = topology != null && topology.endsWith("A") && !topology.contains("P");
    return prefillDecode == 0 && aggTopology ? BenchColumns.MODE_AGG : BenchColumns.MODE_DISAGG;
  }

  static Double totalGpus(String mode, Map<String, Double> numbers) {
    Double perNode = numbers.get("gpus_per_node");
    if (perNode == null) {
      return null;
    }
    if (mode.equals(BenchColumns.MODE_AGG)) {
      Double nodes = numbers.get("agg_nodes");
      return nodes == null ? null : nodes * perNode;
    }
    Double prefill = numbers.get("prefill_nodes");
    Double decode = numbers.get("decode_nodes");
    return prefill == null && decode == null ? null
        : ((prefill == null ? 0 : prefill) + (decode == null ? 0 : decode)) * perNode;
  }

  /** {@code "16x32x64"}, {@code [16, 32, 64]} or {@code 16}, normalised to {@code 16x32x64}. */
  static String concurrencies(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(item -> parts.add(item.asText()));
    } else {
      for (String part : node.asText().split("x", -1)) {
        parts.add(part);
      }
    }
    List<String> normalised = new ArrayList<>();
    for (String part : parts) {
      String trimmed = part.trim();
      if (trimmed.isEmpty() || trimmed.length() > 9
          || !trimmed.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("concurrencies: '" + clip(node.asText())
            + "' is not an x-separated list of whole numbers");
      }
      normalised.add(String.valueOf(Integer.parseInt(trimmed)));
    }
    return String.join("x", normalised);
  }

  private static List<String> tags(JsonNode node) {
    List<String> tags = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach(tag -> {
        if (tag.isValueNode() && !tag.isNull()) {
          tags.add(tag.asText());
        }
      });
    }
    return tags;
  }

  private static Double number(JsonNode node, String name) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    try {
      return Double.parseDouble(node.asText().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": not a number '" + clip(node.asText()) + "'");
    }
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() || !node.isValueNode() ? null : node.asText();
  }

  private static void put(Map<String, String> text, String key, JsonNode node) {
    String value = text(node);
    if (value != null) {
      text.put(key, clip(value));
    }
  }

  static String clip(String value) {
    return value.length() <= 1000 ? value : value.substring(0, 1000);
  }
}
