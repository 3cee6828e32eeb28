package dev.servelens.kstar;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.servelens.io.BoundedJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Parses one experiment results document, {@code <dataset>_results.json}:
 *
 * <pre>{@code
 * {
 *   "dataset": "alpaca",                      optional; default: the file name before _results
 *   "model": "Qwen/Qwen2.5-7B-Instruct",      required
 *   "batch_size": 32,                         required: N
 *   "k_hat": 6,                               optional: the k-hat the experiment reported
 *   "kstar_offline": 5, "kstar_online": 5,    optional
 *   "p_offline": 0.0123, "p_online": 0.0119,  optional
 *   "throughput_vs_k": [                      required: measured output tokens/s per k
 *     {"k": 1, "throughput": 812.5},
 *     ...
 *   ]
 * }
 * }</pre>
 *
 * Other fields are ignored. The rows of a usable document are its {@code throughput_vs_k}
 * entries, each kept or rejected (k not a whole number in 1..N, throughput not a finite number >=
 * 0, k repeated) with its line number. A document that does not parse, or lacks {@code model},
 * {@code batch_size} or {@code throughput_vs_k}, is one rejected row at the line where it fails.
 */
final class ResultsFileToRows implements FlatMapFunction<Tuple2<String, String>, Row> {
  private static final long serialVersionUID = 1L;

  static final StructType PARSED_SCHEMA =
      new StructType()
          .add("status", DataTypes.StringType, false)
          .add("reason", DataTypes.StringType)
          .add("raw", DataTypes.StringType)
          .add(KstarColumns.DATASET, DataTypes.StringType)
          .add(KstarColumns.MODEL, DataTypes.StringType)
          .add(KstarColumns.N, DataTypes.IntegerType)
          .add(KstarColumns.K, DataTypes.IntegerType)
          .add(KstarColumns.THROUGHPUT, DataTypes.DoubleType)
          .add(KstarColumns.KHAT_REPORTED, DataTypes.IntegerType)
          .add(KstarColumns.KSTAR_OFFLINE_REPORTED, DataTypes.IntegerType)
          .add(KstarColumns.KSTAR_ONLINE_REPORTED, DataTypes.IntegerType)
          .add(KstarColumns.P_OFFLINE_REPORTED, DataTypes.DoubleType)
          .add(KstarColumns.P_ONLINE_REPORTED, DataTypes.DoubleType)
          .add(KstarColumns.SOURCE_PATH, DataTypes.StringType, false)
          .add(KstarColumns.LINE_NUMBER, DataTypes.LongType, false);

  /** One throughput entry as read, before validation. */
  private record Entry(long line, Double k, Double throughput) {}

  @Override
  public Iterator<Row> call(Tuple2<String, String> file) {
    String path = file._1();
    String text = file._2();
    String[] lines = text.split("\n", -1);
    Document document = new Document();
    document.dataset = KstarInputLayout.modelFromFile(path);
    try (JsonParser parser = BoundedJson.factory().createParser(text)) {
      read(parser, document);
    } catch (IOException | IllegalArgumentException e) {
      long line = document.errorLine > 0 ? document.errorLine : 1;
      return List.of(reject(path, line, lineText(lines, line),
          "invalid results JSON: " + BoundedJson.reason(e))).iterator();
    }
    String missing = document.model == null ? "model"
        : document.batchSize == null ? "batch_size"
        : document.entries == null ? "throughput_vs_k" : null;
    if (missing != null) {
      return List.of(reject(path, 1, lineText(lines, 1), "results: " + missing + " missing"))
          .iterator();
    }
    List<Row> rows = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    for (Entry entry : document.entries) {
      String reason = check(entry, document.batchSize, seen);
      if (reason != null) {
        rows.add(reject(path, entry.line(), lineText(lines, entry.line()), reason));
      } else {
        rows.add(RowFactory.create("ok", null, null, document.dataset, document.model,
            document.batchSize, entry.k().intValue(), entry.throughput(), document.khat,
            document.kstarOffline, document.kstarOnline, document.pOffline, document.pOnline,
            path, entry.line()));
      }
    }
    return rows.iterator();
  }

  private static String check(Entry entry, int n, Set<Integer> seen) {
    if (entry.k() == null || entry.k() != Math.rint(entry.k()) || entry.k() < 1 || entry.k() > n) {
      return "k: not a whole number in 1.." + n;
    }
    if (entry.throughput() == null || !(entry.throughput() >= 0)
        || entry.throughput().isInfinite()) {
      return "throughput: not a finite number >= 0";
    }
    if (!seen.add(entry.k().intValue())) {
      return "k: " + entry.k().intValue() + " repeated";
    }
    return null;
  }

  /** The top-level fields as parsed. */
  private static final class Document {
    String dataset;
    String model;
    Integer batchSize;
    Integer khat;
    Integer kstarOffline;
    Integer kstarOnline;
    Double pOffline;
    Double pOnline;
    List<Entry> entries;
    long errorLine;
  }

  private static void read(JsonParser parser, Document document) throws IOException {
    try {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (name) {
          case "dataset" -> document.dataset = parser.getValueAsString(document.dataset);
          case "model" -> document.model = parser.getValueAsString();
          case "batch_size" -> document.batchSize = wholeNumber(parser, name);
          case "k_hat" -> document.khat = wholeNumber(parser, name);
          case "kstar_offline" -> document.kstarOffline = wholeNumber(parser, name);
          case "kstar_online" -> document.kstarOnline = wholeNumber(parser, name);
          case "p_offline" -> document.pOffline = number(parser);
          case "p_online" -> document.pOnline = number(parser);
          case "throughput_vs_k" -> document.entries = entries(parser);
          default -> parser.skipChildren();
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT) {
        throw new IllegalArgumentException("document cut off");
      }
      if (document.batchSize != null && document.batchSize < 1) {
        throw new IllegalArgumentException("batch_size must be at least 1");
      }
    } catch (IOException | IllegalArgumentException e) {
      document.errorLine = parser.currentLocation().getLineNr();
      throw e;
    }
  }

  private static List<Entry> entries(JsonParser parser) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new IllegalArgumentException("throughput_vs_k: not an array");
    }
    List<Entry> entries = new ArrayList<>();
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      long line = parser.currentTokenLocation().getLineNr();
      Double k = null;
      Double throughput = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        if ("k".equals(name)) {
          k = number(parser);
        } else if ("throughput".equals(name)) {
          throughput = number(parser);
        } else {
          parser.skipChildren();
        }
      }
      entries.add(new Entry(line, k, throughput));
    }
    if (parser.currentToken() != JsonToken.END_ARRAY) {
      throw new IllegalArgumentException("throughput_vs_k: entries must be objects");
    }
    return entries;
  }

  private static Double number(JsonParser parser) throws IOException {
    return parser.currentToken().isNumeric() ? parser.getDoubleValue() : null;
  }

  private static Integer wholeNumber(JsonParser parser, String name) throws IOException {
    Double value = number(parser);
    if (value == null || value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + ": not a whole number");
    }
    return value.intValue();
  }

  private static String lineText(String[] lines, long line) {
    String text = line >= 1 && line <= lines.length ? lines[(int) line - 1] : "";
    return text.length() <= KstarProfileParser.MAX_RAW_CHARS ? text
        : text.substring(0, KstarProfileParser.MAX_RAW_CHARS);
  }

  private static Row reject(String path, long line, String raw, String reason) {
    return RowFactory.create("reject", reason, raw, null, null, null, null, null, null, null,
        null, null, null, path, line);
  }
}
