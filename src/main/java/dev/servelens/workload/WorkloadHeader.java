package dev.servelens.workload;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Resolves the column names found in the wild to canonical workload columns. Names are
 * compared case-insensitively with everything but letters and digits removed, so {@code
 * ContextTokens}, {@code context_tokens} and {@code Context Tokens} are one name.
 */
final class WorkloadHeader {
  private WorkloadHeader() {}

  private static final Map<String, String> ALIASES = new HashMap<>();

  static {
    alias(WorkloadColumns.STARTED_AT, "started_at", "timestamp", "start_time", "created_at");
    alias(WorkloadColumns.COMPLETED_AT, "completed_at", "end_time", "finished_at");
    alias(WorkloadColumns.USER_ID, "user_id", "user");
    alias(WorkloadColumns.MODEL_ID, "model_id", "chute_id", "model", "model_name");
    alias(
        WorkloadColumns.INPUT_TOKENS,
        "input_tokens",
        "prompt_tokens",
        "context_tokens",
        "request tokens",
        "input_length");
    alias(
        WorkloadColumns.OUTPUT_TOKENS,
        "output_tokens",
        "completion_tokens",
        "generated_tokens",
        "response tokens",
        "output_length");
    alias(WorkloadColumns.TTFT, "ttft", "time_to_first_token");
    alias(WorkloadColumns.DURATION, "duration", "latency");
    alias(WorkloadColumns.HASH_IDS, "hash_ids");
  }

  private static void alias(String canonical, String... names) {
    for (String name : names) {
      ALIASES.put(normalize(name), canonical);
    }
  }

  static String normalize(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (Character.isLetterOrDigit(ch)) {
        out.append(Character.toLowerCase(ch));
      }
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  /** @return the canonical column for {@code name}, or {@code null} for other columns */
  static String canonical(String name) {
    return ALIASES.get(normalize(name));
  }
}
