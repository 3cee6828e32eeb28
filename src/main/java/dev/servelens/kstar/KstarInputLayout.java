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
 *   <li>The Splitwise profile ({@code perf_model.csv} of splitwise-sim): a header holding {@code
 *       model, hardware, tensor_parallel, prompt_size, batch_size, token_size, prompt_time,
 *       token_time} in any order among other columns; times in milliseconds, both phases in one
 *       row ({@link KstarProfileParser#splitwiseSamples}).
 * </ul>
 *
 * Without a model column the model is the file name without extension and without a trailing
 * {@code _prefill}, {@code _decode} or {@code _profile} ({@code Llama-8B_decode.csv} is {@code
 * Llama-8B}).
 */
record KstarInputLayout(
    Format format, String kind, int fieldCount, int modelIndex, int xIndex, int secondsIndex,
    String modelFromFile, String unusable, int[] splitwiseIndex) implements Serializable {

  enum Format { CSV, JSONL, RESULTS, SPLITWISE, UNUSABLE }

  /** The Splitwise columns, in the order of {@link #splitwiseIndex}. */
  static final List<String> SPLITWISE_COLUMNS = List.of("model", "hardware", "tensor_parallel",
      "prompt_size", "batch_size", "token_size", "prompt_time", "token_time");
  static final int SW_MODEL = 0;
  static final int SW_HARDWARE = 1;
  static final int SW_TENSOR_PARALLEL = 2;
  static final int SW_PROMPT_SIZE = 3;
  static final int SW_BATCH_SIZE = 4;
  static final int SW_TOKEN_SIZE = 5;
  static final int SW_PROMPT_TIME = 6;
  static final int SW_TOKEN_TIME = 7;

  static final String RESULTS_SUFFIX = "_results.json";

  static KstarInputLayout detect(String path, String firstLine) {
    String model = modelFromFile(path);
    if (path.toLowerCase(Locale.ROOT).endsWith(RESULTS_SUFFIX)) {
      return new KstarInputLayout(Format.RESULTS, null, 0, -1, -1, -1, model, null, null);
    }
    if (firstLine == null) {
      return unusable(model, "empty file");
    }
    if (firstLine.stripLeading().startsWith("{")) {
      return new KstarInputLayout(Format.JSONL, null, 0, -1, -1, -1, model, null, null);
    }
    List<String> names;
    try {
      names = CsvLine.split(firstLine.toLowerCase(Locale.ROOT), ',');
    } catch (IllegalArgumentException e) {
      return unusable(model, "header: " + e.getMessage());
    }
    names = names.stream().map(String::strip).toList();
    int[] splitwise = SPLITWISE_COLUMNS.stream().mapToInt(names::indexOf).toArray();
    if (java.util.Arrays.stream(splitwise).allMatch(index -> index >= 0)) {
      return new KstarInputLayout(Format.SPLITWISE, null, names.size(), splitwise[SW_MODEL], -1,
          -1, model, null, splitwise);
    }
    int modelIndex = indexOf(names, "model", "model_id");
    int tokens = indexOf(names, "input_tokens", "tokens", "prompt_tokens");
    int batch = indexOf(names, "batch_size", "batch");
    if (tokens >= 0) {
      int seconds = indexOf(names, "seconds", "prefill_seconds");
      return seconds < 0 ? unusable(model, "prefill header has no seconds column")
          : new KstarInputLayout(Format.CSV, KstarColumns.KIND_PREFILL, names.size(), modelIndex,
              tokens, seconds, model, null, null);
    }
    if (batch >= 0) {
      int seconds = indexOf(names, "seconds_per_step", "step_seconds", "seconds");
      return seconds < 0 ? unusable(model, "decode header has no seconds_per_step column")
          : new KstarInputLayout(Format.CSV, KstarColumns.KIND_DECODE, names.size(), modelIndex,
              batch, seconds, model, null, null);
    }
    return unusable(model, "header names neither input_tokens (prefill) nor batch_size (decode),"
        + " nor the Splitwise columns " + String.join(",", SPLITWISE_COLUMNS));
  }

  private static KstarInputLayout unusable(String model, String reason) {
    return new KstarInputLayout(Format.UNUSABLE, null, 0, -1, -1, -1, model, reason, null);
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
