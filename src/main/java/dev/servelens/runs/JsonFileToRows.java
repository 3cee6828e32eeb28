package dev.servelens.runs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.servelens.io.BoundedJson;
import dev.servelens.io.ParseCounts;
import dev.servelens.io.StatusLines;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Reads one JSON document of a run ({@code wholeTextFiles} record: path and text) into rows
 * {@code status, reason, raw, source_path, line_number} followed by the document's values. A
 * document that does not parse is one rejected row at the line where parsing failed.
 * Subclasses read the document with a bounded streaming parser.
 */
abstract class JsonFileToRows implements FlatMapFunction<Tuple2<String, String>, Row> {
  private static final long serialVersionUID = 1L;
  /** The kept / rejected column (the trial table has a {@code status} of its own). */
  static final String PARSE_STATUS = "parse_status";
  private transient JsonFactory json;

  /** The schema of the rows: status and position columns, then {@code values}. */
  static StructType schema(StructType values) {
    StructType schema = new StructType()
        .add(PARSE_STATUS, DataTypes.StringType, false)
        .add("reason", DataTypes.StringType)
        .add("raw", DataTypes.StringType)
        .add(RunsColumns.SOURCE_PATH, DataTypes.StringType, false)
        .add(RunsColumns.LINE_NUMBER, DataTypes.LongType, false);
    for (StructField field : values.fields()) {
      schema = schema.add(field);
    }
    return schema;
  }

  /** Number of values after the status and position columns. */
  abstract int valueCount();

  /**
   * Reads the document, adding one value array per kept row to {@code rows} (with its line
   * number) and calling {@link #reject} for bad entries.
   */
  abstract void read(JsonParser parser, Document document) throws IOException;

  @Override
  public Iterator<Row> call(Tuple2<String, String> file) {
    if (json == null) {
      json = BoundedJson.factory();
    }
    Document document = new Document(file._1(), file._2(), valueCount());
    try (JsonParser parser = json.createParser(file._2())) {
      read(parser, document);
    } catch (IOException | IllegalArgumentException e) {
      long line = document.parser == null ? 1 : document.parser.currentLocation().getLineNr();
      List<Row> rows = new ArrayList<>();
      rows.add(document.rejectRow(Math.max(1, line), "invalid JSON: " + BoundedJson.reason(e)));
      return rows.iterator();
    }
    return document.rows.iterator();
  }

  /** Expects an object at the current token. */
  static void expectObject(JsonParser parser, String what) throws IOException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw new IllegalArgumentException(what + ": not a JSON object");
    }
  }

  static Double number(JsonParser parser) throws IOException {
    return parser.currentToken().isNumeric() ? parser.getDoubleValue() : null;
  }

  static Long wholeNumber(JsonParser parser) throws IOException {
    Double value = number(parser);
    return value == null || value != Math.rint(value) ? null : value.longValue();
  }

  /** The rows of one document as they are read. */
  static final class Document {
    final String path;
    final String[] lines;
    final int valueCount;
    final List<Row> rows = new ArrayList<>();
    JsonParser parser;

    Document(String path, String text, int valueCount) {
      this.path = path;
      this.lines = text.split("\n", -1);
      this.valueCount = valueCount;
    }

    void keep(long line, Object... values) {
      Object[] all = new Object[5 + valueCount];
      all[0] = ParseCounts.OK;
      all[3] = path;
      all[4] = line;
      System.arraycopy(values, 0, all, 5, values.length);
      rows.add(RowFactory.create(all));
    }

    void reject(long line, String reason) {
      rows.add(rejectRow(line, reason));
    }

    Row rejectRow(long line, String reason) {
      Object[] all = new Object[5 + valueCount];
      all[0] = ParseCounts.REJECT;
      all[1] = reason;
      String raw = line >= 1 && line <= lines.length ? lines[(int) line - 1] : "";
      all[2] = raw.length() <= StatusLines.MAX_RAW_CHARS ? raw
          : raw.substring(0, StatusLines.MAX_RAW_CHARS);
      all[3] = path;
      all[4] = line;
      return RowFactory.create(all);
    }
  }

  /** Starts reading: remembers the parser for error locations, returns the first token. */
  static JsonToken start(JsonParser parser, Document document) throws IOException {
    document.parser = parser;
    return parser.nextToken();
  }
}
