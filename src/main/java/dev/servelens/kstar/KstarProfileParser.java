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
 * Parses profiling-sample lines (CSV or JSON Lines, see {@link KstarInputLayout}) into samples or
 * rejects. Every line yields one row, status {@code ok}, {@code reject} or {@code header}, so the
 * ingest accounts for every line. A sample is rejected unless x (prompt tokens or batch size) is
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

  static final StructType PARSED_SCHEMA =
      StatusLines.schema(new StructType()
          .add(KstarColumns.MODEL, DataTypes.StringType)
          .add(KstarColumns.KIND, DataTypes.StringType)
          .add(KstarColumns.X, DataTypes.DoubleType)
          .add(KstarColumns.SECONDS, DataTypes.DoubleType));

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
    return new StatusLines(path, splitStart, lines,
        layout.format() == KstarInputLayout.Format.CSV, 4, line -> parseLine(layout, line));
  }

  /** @return model, kind, x, seconds */
  Object[] parseLine(KstarInputLayout layout, String line) {
    if (layout.unusable() != null) {
      throw new IllegalArgumentException("unusable file: " + layout.unusable());
    }
    if (line.length() > MAX_LINE_CHARS) {
      throw new IllegalArgumentException("line longer than " + MAX_LINE_CHARS + " characters");
    }
    if (line.isBlank()) {
      throw new IllegalArgumentException("empty line");
    }
    String model;
    String kind;
    String x;
    String seconds;
    if (layout.format() == KstarInputLayout.Format.CSV) {
      List<String> fields = CsvLine.split(line, ',');
      if (fields.size() != layout.fieldCount()) {
        throw new IllegalArgumentException(
            "expected " + layout.fieldCount() + " fields, found " + fields.size());
      }
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
    String xName = KstarColumns.KIND_PREFILL.equals(kind) ? "input_tokens" : "batch_size";
    double xValue = number(x, xName);
    if (xValue != Math.rint(xValue) || xValue < 1 || xValue > MAX_X) {
      throw new IllegalArgumentException(xName + ": not a whole number in 1.." + (long) MAX_X
          + " (" + x.trim() + ")");
    }
    double secondsValue = number(seconds, "seconds");
    if (!(secondsValue > 0 && secondsValue <= MAX_SECONDS)) {
      throw new IllegalArgumentException("seconds: not in (0, " + (long) MAX_SECONDS + "] ("
          + seconds.trim() + ")");
    }
    return new Object[] {model, kind, xValue, secondsValue};
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
