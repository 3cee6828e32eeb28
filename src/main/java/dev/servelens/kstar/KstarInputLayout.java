package dev.servelens.kstar;

import dev.servelens.io.CsvLine;
import dev.servelens.io.SourceFiles;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * How one scheduler-tuning input file is read, decided from its name and first line.
 *
 * <ul>
 *   <li>{@code <dataset>_results.json}: an experiment results document ({@link
 *       ResultsFileToRows}).
 *   <li>A first line starting with {@code {}: JSON Lines profiling samples, each object either
 *       {@code {"model", "input_tokens", "seconds"}} (prefill) or {@code {"model", "batch_size",
 *       "seconds_per_step"}} (decode).
 *   <li>Otherwise a CSV header: {@code [model,]input_tokens,seconds} is prefill, {@code
 *       [model,]batch_size,seconds_per_step} is decode (aliases: {@code model_id}; {@code
 *       tokens}, {@code prompt_tokens}; {@code batch}; {@code step_seconds}, {@code seconds}).
 * </ul>
 *
 * Without a model column the model is the file name without extension and without a trailing
 * {@code _prefill}, {@code _decode} or {@code _profile} ({@code Llama-8B_decode.csv} is {@code
 * Llama-8B}).
 */
record KstarInputLayout(
    Format format, String kind, int fieldCount, int modelIndex, int xIndex, int secondsIndex,
    String modelFromFile, String unusable) implements Serializable {

  enum Format { CSV, JSONL, RESULTS, UNUSABLE }

  static final String RESULTS_SUFFIX = "_results.json";

  static KstarInputLayout detect(String path, String firstLine) {
    String model = modelFromFile(path);
    if (path.toLowerCase(Locale.ROOT).endsWith(RESULTS_SUFFIX)) {
      return new KstarInputLayout(Format.RESULTS, null, 0, -1, -1, -1, model, null);
    }
    if (firstLine == null) {
      return unusable(model, "empty file");
    }
    if (firstLine.stripLeading().startsWith("{")) {
      return new KstarInputLayout(Format.JSONL, null, 0, -1, -1, -1, model, null);
    }
    List<String> names;
    try {
      names = CsvLine.split(firstLine.toLowerCase(Locale.ROOT), ',');
    } catch (IllegalArgumentException e) {
      return unusable(model, "header: " + e.getMessage());
    }
    int modelIndex = indexOf(names, "model", "model_id");
    int tokens = indexOf(names, "input_tokens", "tokens", "prompt_tokens");
    int batch = indexOf(names, "batch_size", "batch");
    if (tokens >= 0) {
      int seconds = indexOf(names, "seconds", "prefill_seconds");
      return seconds < 0 ? unusable(model, "prefill header has no seconds column")
          : new KstarInputLayout(Format.CSV, KstarColumns.KIND_PREFILL, names.size(), modelIndex,
              tokens, seconds, model, null);
    }
    if (batch >= 0) {
      int seconds = indexOf(names, "seconds_per_step", "step_seconds", "seconds");
      return seconds < 0 ? unusable(model, "decode header has no seconds_per_step column")
          : new KstarInputLayout(Format.CSV, KstarColumns.KIND_DECODE, names.size(), modelIndex,
              batch, seconds, model, null);
    }
    return unusable(model, "header names neither input_tokens (prefill) nor batch_size (decode)");
  }

  private static KstarInputLayout unusable(String model, String reason) {
    return new KstarInputLayout(Format.UNUSABLE, null, 0, -1, -1, -1, model, reason);
  }

  private static int indexOf(List<String> names, String... candidates) {
    for (String candidate : candidates) {
      int index = names.indexOf(candidate);
      if (index >= 0) {
        return index;
      }
    }
    return -1;
  }

  static String modelFromFile(String path) {
    String name = SourceFiles.baseName(path);
    for (String suffix : new String[] {"_prefill", "_decode", "_profile", "_results"}) {
      if (name.toLowerCase(Locale.ROOT).endsWith(suffix)) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return name;
  }
}
