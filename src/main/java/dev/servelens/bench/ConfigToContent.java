package dev.servelens.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * Flattens a node configuration snapshot {@code {"gpu_info": {...}, "config": {"server_args":
 * {...}}, "environment": {...}}} into {@code (key_group, key, value)} entries: groups {@code
 * gpu_info}, {@code server_args}, {@code environment}, {@code config} (other parts of {@code
 * config}) and {@code other}; nested keys joined with dots, arrays kept as JSON text.
 */
final class ConfigToContent {
  private ConfigToContent() {}

  static final int MAX_ENTRIES = 100_000;

  static JsonRecord.Content read(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("config: not a JSON object");
    }
    List<Row> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (name.equals("config") && field.getValue().isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> c = field.getValue().fields(); c.hasNext(); ) {
          Map.Entry<String, JsonNode> part = c.next();
          boolean serverArgs = part.getKey().equals("server_args");
          flatten(serverArgs ? "server_args" : "config", serverArgs ? "" : part.getKey(),
              part.getValue(), entries);
        }
      } else if (name.equals("gpu_info") || name.equals("environment")) {
        flatten(name, "", field.getValue(), entries);
      } else {
        flatten("other", name, field.getValue(), entries);
      }
    }
    return new JsonRecord.Content(Map.of(), Map.of(), List.of(), entries);
  }

  private static void flatten(String group, String key, JsonNode node, List<Row> entries) {
    if (entries.size() >= MAX_ENTRIES) {
      throw new IllegalArgumentException("config: more than " + MAX_ENTRIES + " entries");
    }
    if (node.isObject() && node.size() > 0) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        flatten(group, key.isEmpty() ? field.getKey() : key + "." + field.getKey(),
            field.getValue(), entries);
      }
    } else {
      String value = node.isNull() ? null
          : node.isValueNode() ? node.asText() : node.toString();
      entries.add(JsonRecord.configEntry(group, key,
          value == null ? null : MetadataToContent.clip(value)));
    }
  }
}
