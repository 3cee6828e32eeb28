package dev.servelens.workload;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.servelens.io.ParseCounts;
import dev.servelens.io.BoundedJson;
import dev.servelens.io.CsvLine;
import dev.servelens.io.SplitLines;
import dev.servelens.io.StatusLines;
import dev.servelens.io.TimestampParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * Parses the lines of workload input splits into request rows or rejects. Every line yields
 * exactly one row (status {@code ok}, {@code reject}, {@code header} or {@code blank}, see
 * {@link StatusLines}) so that the ingest can
 * account for every line it read.
 */
final class WorkloadLineParser implements SplitLines.SplitParser {
  private static final long serialVersionUID = 1L;

  static final String OK = ParseCounts.OK;
  static final String REJECT = ParseCounts.REJECT;
  static final String HEADER = ParseCounts.HEADER;

  /** Longest line parsed; longer lines are rejected. */
  static final int MAX_LINE_CHARS = 1 << 20;
  /** Raw text kept in the rejects table, in characters. */
  static final int MAX_RAW_CHARS = StatusLines.MAX_RAW_CHARS;
  /** Token counts above this are not believable for one request. */
  static final long MAX_TOKENS = 10_000_000L;
  /** Most prefix-block ids kept for one request. */
  static final int MAX_HASH_IDS = 100_000;

  static final StructType PARSED_SCHEMA =
      StatusLines.schema(new StructType()
          .add(WorkloadColumns.USER_ID, DataTypes.StringType)
          .add(WorkloadColumns.MODEL_ID, DataTypes.StringType)
          .add(WorkloadColumns.INPUT_TOKENS, DataTypes.LongType)
          .add(WorkloadColumns.OUTPUT_TOKENS, DataTypes.LongType)
          .add("started_us", DataTypes.LongType)
          .add("completed_us", DataTypes.LongType)
          .add(WorkloadColumns.TTFT, DataTypes.DoubleType)
          .add(WorkloadColumns.DURATION, DataTypes.DoubleType)
          .add(WorkloadColumns.HASH_IDS, DataTypes.createArrayType(DataTypes.LongType))
          .add(
              WorkloadColumns.EXTRA,
              DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType)));

  private final Map<String, WorkloadLayout> layouts;
  private final TimestampParser timestamps;
  private final long traceStartMicros;
  private transient JsonFactory json;

  /**
   * @param layouts the layout of every input file, by path
   * @param timestamps parser for absolute timestamps
   * @param traceStartMicros added to relative timestamps (BurstGPT, Mooncake)
   */
  WorkloadLineParser(
      Map<String, WorkloadLayout> layouts, TimestampParser timestamps, long traceStartMicros) {
    this.layouts = new HashMap<>(layouts);
    this.timestamps = timestamps;
    this.traceStartMicros = traceStartMicros;
  }

  @Override
  public Iterator<Row> parse(String path, long splitStart, Iterator<String> lines) {
    WorkloadLayout layout = layouts.get(path);
    if (layout == null) {
      throw new IllegalStateException("no layout for input " + path);
    }
    return new StatusLines(path, splitStart, lines, layout.hasHeader(),
        PARSED_SCHEMA.size() - 6, line -> parseLine(layout, line));
  }

  /** @return the request's values in PARSED_SCHEMA order from {@code user_id} on */
  Object[] parseLine(WorkloadLayout layout, String line) {
    if (layout.unusable != null) {
      throw new IllegalArgumentException("unusable file: " + layout.unusable);
    }
    if (line.length() > MAX_LINE_CHARS) {
      throw new IllegalArgumentException("line longer than " + MAX_LINE_CHARS + " characters");
    }
    String[] cells = new String[WorkloadLayout.SLOT_NAMES.length];
    Map<String, String> extra = null;
    List<Long> hashIds = null;
    if (layout.format == WorkloadLayout.Format.CSV) {
      List<String> fields = CsvLine.split(line, ',');
      if (fields.size() != layout.fieldCount) {
        throw new IllegalArgumentException(
            "expected " + layout.fieldCount + " fields, found " + fields.size());
      }
      for (int slot = 0; slot < cells.length; slot++) {
        int index = layout.slotIndex[slot];
        cells[slot] = index < 0 ? null : emptyToNull(fields.get(index));
      }
      if (layout.extraNames.length > 0) {
        extra = new HashMap<>();
        for (int i = 0; i < layout.extraNames.length; i++) {
          extra.put(layout.extraNames[i], emptyToNull(fields.get(layout.extraIndex[i])));
        }
      }
    } else {
      hashIds = parseJson(line, cells);
    }
    return toRequest(layout, cells, extra, hashIds);
  }

  private Object[] toRequest(
      WorkloadLayout layout, String[] cells, Map<String, String> extra, List<Long> hashIds) {
    String model = cells[WorkloadLayout.MODEL] != null
        ? cells[WorkloadLayout.MODEL] : layout.modelFromFile;
    Long input = count(cells[WorkloadLayout.INPUT], WorkloadColumns.INPUT_TOKENS);
    Long output = count(cells[WorkloadLayout.OUTPUT], WorkloadColumns.OUTPUT_TOKENS);
    String startedText = cells[WorkloadLayout.STARTED];
    if (startedText == null) {
      throw new IllegalArgumentException("started_at: missing");
    }
    long started = timestamp(layout, startedText, WorkloadColumns.STARTED_AT);
    Long completed = cells[WorkloadLayout.COMPLETED] == null
        ? null
        : timestamp(layout, cells[WorkloadLayout.COMPLETED], WorkloadColumns.COMPLETED_AT);
    if (completed != null && completed < started) {
      throw new IllegalArgumentException("completed_at: before started_at");
    }
    Double ttft = seconds(cells[WorkloadLayout.TTFT], WorkloadColumns.TTFT);
    Double duration = seconds(cells[WorkloadLayout.DURATION], WorkloadColumns.DURATION);
    if (duration == null && completed != null) {
      duration = (completed - started) / 1e6;
    }
    // Spark's row encoder takes Scala collections for array and map columns.
    return new Object[] {
      cells[WorkloadLayout.USER], model, input, output, started, completed, ttft, duration,
      hashIds == null ? null : JavaConverters.asScalaBuffer(hashIds).toSeq(),
      extra == null ? null : JavaConverters.mapAsScalaMap(extra)
    };
  }

  private long timestamp(WorkloadLayout layout, String text, String column) {
    try {
      if (layout.relativeUnitMicros > 0) {
        double value = Double.parseDouble(text.trim());
        if (!Double.isFinite(value)) {
          throw new IllegalArgumentException("not finite");
        }
        return traceStartMicros + Math.round(value * layout.relativeUnitMicros);
      }
      return timestamps.toEpochMicros(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          column + ": cannot parse '" + clip(text) + "' (" + e.getMessage() + ")");
    }
  }

  private static Long count(String text, String column) {
    if (text == null) {
      return null;
    }
    long value;
    String s = text.trim();
    try {
      value = Long.parseLong(s);
    } catch (NumberFormatException e) {
      double d;
      try {
        d = Double.parseDouble(s);
      } catch (NumberFormatException notNumber) {
        throw new IllegalArgumentException(column + ": not a number '" + clip(text) + "'");
      }
      if (d != Math.rint(d) || !Double.isFinite(d)) {
        throw new IllegalArgumentException(column + ": not a whole number '" + clip(text) + "'");
      }
      value = (long) d;
    }
    if (value < 0) {
      throw new IllegalArgumentException(column + ": negative (" + value + ")");
    }
    if (value > MAX_TOKENS) {
      throw new IllegalArgumentException(column + ": absurd (" + value + " > " + MAX_TOKENS + ")");
    }
    return value;
  }

  private static Double seconds(String text, String column) {
    if (text == null) {
      return null;
    }
    double value;
    try {
      value = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(column + ": not a number '" + clip(text) + "'");
    }
    if (!Double.isFinite(value) || value < 0) {
      throw new IllegalArgumentException(column + ": not a non-negative number (" + value + ")");
    }
    return value;
  }

  private List<Long> parseJson(String line, String[] cells) {
    if (json == null) {
      json = BoundedJson.factory(8, MAX_RAW_CHARS * 10);
    }
    List<Long> hashIds = null;
    try (JsonParser parser = json.createParser(line)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String canonical = WorkloadHeader.canonical(parser.currentName());
        JsonToken value = parser.nextToken();
        int slot = canonical == null ? -1 : indexOf(canonical);
        if (slot == WorkloadLayout.HASH_IDS && value == JsonToken.START_ARRAY) {
          hashIds = new ArrayList<>();
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (hashIds.size() == MAX_HASH_IDS) {
              throw new IllegalArgumentException("hash_ids: more than " + MAX_HASH_IDS + " ids");
            }
            hashIds.add(parser.getLongValue());
          }
        } else if (slot >= 0 && value.isScalarValue()) {
          cells[slot] = value == JsonToken.VALUE_NULL ? null : parser.getText();
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
    return hashIds;
  }

  private static int indexOf(String canonical) {
    for (int i = 0; i < WorkloadLayout.SLOT_NAMES.length; i++) {
      if (WorkloadLayout.SLOT_NAMES[i].equals(canonical)) {
        return i;
      }
    }
    return -1;
  }

  private static String emptyToNull(String cell) {
    return cell == null || cell.isBlank() ? null : cell;
  }

  private static String clip(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "...";
  }
}
