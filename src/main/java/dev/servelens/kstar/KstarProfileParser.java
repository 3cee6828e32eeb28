package dev.servelens.kstar;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.servelens.io.BoundedJson;
import dev.servelens.io.ParseCounts;
import dev.servelens.io.CsvLine;
import dev.servelens.io.SplitLines;
import dev.servelens.io.StatusLines;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Parses profiling-sample lines (CSV, JSON Lines or the Splitwise profile, see {@link
 * KstarInputLayout}) into samples or rejects. Every line yields one row, status {@code ok},
 * {@code reject} or {@code header}, so the ingest accounts for every line; a kept line carries a
 * prefill sample, a decode sample or (Splitwise) both, which {@link KstarIngestJob} splits into
 * rows of {@code kstar_profiles}. A sample is rejected unless x (prompt tokens or batch size) is
 * a whole number in 1..10M and seconds is a finite number in (0, 3600].
 */
final class KstarProfileParser implements SplitLines.SplitParser {
  private static final long serialVersionUID = 1L;

  static final String OK = ParseCounts.OK;
  static final String REJECT = ParseCounts.REJECT;
  static final String HEADER = ParseCounts.HEADER;
  static final int MAX_LINE_CHARS = 64 * 1024;
  static final int MAX_RAW_CHARS = StatusLines.MAX_RAW_CHARS;
  static final double MAX_X = 10_000_000;
  static final double MAX_SECONDS = 3600;

  static final String PREFILL_TOKENS = "prefill_tokens";
  static final String PREFILL_SECONDS = "prefill_seconds";
  static final String DECODE_BATCH = "decode_batch";
  static final String DECODE_SECONDS = "decode_seconds";

  static final StructType PARSED_SCHEMA =
      StatusLines.schema(new StructType()
          .add(KstarColumns.MODEL, DataTypes.StringType)
          .add(PREFILL_TOKENS, DataTypes.DoubleType)
          .add(PREFILL_SECONDS, DataTypes.DoubleType)
          .add(DECODE_BATCH, DataTypes.DoubleType)
          .add(DECODE_SECONDS, DataTypes.DoubleType)
          .add(KstarColumns.GENERATED_TOKENS, DataTypes.DoubleType));

  private final Map<String, KstarInputLayout> layouts;
  private transient JsonFactory json;

  KstarProfileParser(Map<String, KstarInputLayout> layouts) {
    this.layouts = new HashMap<>(layouts);
  }

  @Override
  public Iterator<Row> parse(String path, long splitStart, Iterator<String> lines) {
    KstarInputLayout layout = layouts.get(path);
    if (layout == null) {
      throw new IllegalStateException("no layout for input " + path);
    }
    boolean header = layout.format() == KstarInputLayout.Format.CSV
        || layout.format() == KstarInputLayout.Format.SPLITWISE;
    return new StatusLines(path, splitStart, lines, header, 6, line -> parseLine(layout, line));
  }

  /** @return model, prefill tokens and seconds, decode batch and seconds, generated tokens */
  Object[] parseLine(KstarInputLayout layout, String line) {
    if (layout.unusable() != null) {
      throw new IllegalArgumentException("unusable file: " + layout.unusable());
    }
    if (line.length() > MAX_LINE_CHARS) {
      throw new IllegalArgumentException("line longer than " + MAX_LINE_CHARS + " characters");
    }
    if (layout.format() == KstarInputLayout.Format.SPLITWISE) {
      return splitwiseSamples(layout, line);
    }
    String model;
    String kind;
    String x;
    String seconds;
    if (layout.format() == KstarInputLayout.Format.CSV) {
      List<String> fields = fields(layout, line);
      model = layout.modelIndex() < 0 ? null : fields.get(layout.modelIndex()).trim();
      kind = layout.kind();
      x = fields.get(layout.xIndex());
      seconds = fields.get(layout.secondsIndex());
    } else {
      Map<String, String> object = jsonObject(line);
      model = object.getOrDefault("model", object.get("model_id"));
      if (object.containsKey("input_tokens")) {
        kind = KstarColumns.KIND_PREFILL;
        x = object.get("input_tokens");
        seconds = object.get("seconds");
      } else if (object.containsKey("batch_size")) {
        kind = KstarColumns.KIND_DECODE;
        x = object.get("batch_size");
        seconds = object.getOrDefault("seconds_per_step", object.get("seconds"));
      } else {
        throw new IllegalArgumentException("object has neither input_tokens nor batch_size");
      }
    }
    if (model == null || model.isEmpty()) {
      model = layout.modelFromFile();
    }
    boolean prefill = KstarColumns.KIND_PREFILL.equals(kind);
    double xValue = wholeNumber(x, prefill ? "input_tokens" : "batch_size");
    double secondsValue = seconds(number(seconds, "seconds"), "seconds", seconds);
    return prefill
        ? new Object[] {model, xValue, secondsValue, null, null, null}
        : new Object[] {model, null, null, xValue, secondsValue, null};
  }

  /**
   * One row of the Splitwise profile: the profile is {@code model/hardware/tpN}; a row at batch
   * size 1 is a prefill sample ({@code prompt_size} tokens in {@code prompt_time}); every row is a
   * decode sample ({@code batch_size}, {@code token_time}, the mean step of a generation of
   * {@code token_size} tokens). Milliseconds become seconds. Rows at batch sizes above 1 give no
   * prefill sample: their {@code prompt_time} is a batched prefill of several prompts.
   */
  static Object[] splitwiseSamples(KstarInputLayout layout, String line) {
    List<String> fields = fields(layout, line);
    int[] index = layout.splitwiseIndex();
    String model = fields.get(index[KstarInputLayout.SW_MODEL]).trim();
    String hardware = fields.get(index[KstarInputLayout.SW_HARDWARE]).trim();
    if (model.isEmpty() || hardware.isEmpty()) {
      throw new IllegalArgumentException((model.isEmpty() ? "model" : "hardware") + ": missing");
    }
    double tensorParallel = wholeNumber(fields.get(index[KstarInputLayout.SW_TENSOR_PARALLEL]),
        "tensor_parallel");
    double promptSize = wholeNumber(fields.get(index[KstarInputLayout.SW_PROMPT_SIZE]),
        "prompt_size");
    double batchSize = wholeNumber(fields.get(index[KstarInputLayout.SW_BATCH_SIZE]),
        "batch_size");
    double tokenSize = wholeNumber(fields.get(index[KstarInputLayout.SW_TOKEN_SIZE]),
        "token_size");
    String promptTime = fields.get(index[KstarInputLayout.SW_PROMPT_TIME]);
    String tokenTime = fields.get(index[KstarInputLayout.SW_TOKEN_TIME]);
    double prefillSeconds = seconds(number(promptTime, "prompt_time") / 1000, "prompt_time",
        promptTime);
    double decodeSeconds = seconds(number(tokenTime, "token_time") / 1000, "token_time",
        tokenTime);
    String profile = profileName(model, hardware, (long) tensorParallel);
    return batchSize == 1
        ? new Object[] {profile, promptSize, prefillSeconds, batchSize, decodeSeconds, tokenSize}
        : new Object[] {profile, null, null, batchSize, decodeSeconds, tokenSize};
  }

  /** The name of one Splitwise profile, e.g. {@code llama2-70b/h100-80gb/tp8}. */
  static String profileName(String model, String hardware, long tensorParallel) {
    return model + "/" + hardware + "/tp" + tensorParallel;
  }

  private static List<String> fields(KstarInputLayout layout, String line) {
    List<String> fields = CsvLine.split(line, ',');
    if (fields.size() != layout.fieldCount()) {
      throw new IllegalArgumentException(
          "expected " + layout.fieldCount() + " fields, found " + fields.size());
    }
    return fields;
  }

  private static double wholeNumber(String text, String column) {
    double value = number(text, column);
    if (value != Math.rint(value) || value < 1 || value > MAX_X) {
      throw new IllegalArgumentException(column + ": not a whole number in 1.." + (long) MAX_X
          + " (" + text.trim() + ")");
    }
    return value;
  }

  private static double seconds(double value, String column, String text) {
    if (!(value > 0 && value <= MAX_SECONDS)) {
      throw new IllegalArgumentException(column + ": not in (0, " + (long) MAX_SECONDS
          + "] seconds (" + text.trim() + ")");
    }
    return value;
  }

  private static double number(String text, String column) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(column + ": missing");
    }
    try {
      double value = Double.parseDouble(text.trim());
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException(column + ": not finite");
      }
      return value;
    } catch (NumberFormatException e) {
      String clipped = text.length() <= 64 ? text : text.substring(0, 64) + "...";
      throw new IllegalArgumentException(column + ": not a number '" + clipped + "'");
    }
  }

  /** The scalar fields of one flat JSON object, as text. */
  private Map<String, String> jsonObject(String line) {
    if (json == null) {
      json = BoundedJson.factory();
    }
    Map<String, String> fields = new HashMap<>();
    try (JsonParser parser = json.createParser(line)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
          fields.put(name, parser.getText());
        } else {
          parser.skipChildren();
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT) {
        throw new IllegalArgumentException("JSON object cut off");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("invalid JSON: " + BoundedJson.reason(e));
    }
    return fields;
  }
}
