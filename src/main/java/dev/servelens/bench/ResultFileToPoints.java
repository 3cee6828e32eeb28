package dev.servelens.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servelens.io.BoundedJson;
import dev.servelens.io.StatusLines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.input.PortableDataStream;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Reads a benchmark tool's result file (outside any srt-slurm run directory) into one {@link
 * JsonRecord} per sweep point, each normalised by {@link ToolResult}:
 *
 * <ul>
 *   <li>{@code *.jsonl}: one JSON object a line (SGLang {@code bench_serving --output-file}
 *       appends one per run); blank lines are not rows; a line that does not parse is rejected
 *       with its number and text, and the next line is read;
 *   <li>{@code *.json}: one JSON document (vLLM {@code --save-result}, pretty-printed or not) or
 *       several objects one after the other ({@code --append-result}); reading stops at the
 *       first place that does not parse, which is rejected.
 * </ul>
 *
 * A point's run is its file (file name without extension, or the {@code --label} given for
 * that file name) and its sweep group ({@link ToolResult#group}): {@code run_dir} is {@code
 * <folder>/<name>#<group>}, so files given the same label in one folder are one run.
 */
final class ResultFileToPoints implements FlatMapFunction<Tuple2<String, PortableDataStream>,
    Row> {
  private static final long serialVersionUID = 1L;

  /** Lines of a JSON Lines file longer than this are rejected unparsed. */
  static final int MAX_LINE_CHARS = 16 << 20;

  private final ToolResult.Hardware hardware;
  private final Map<String, String> labels;
  private final List<String> tags;

  /**
   * @param hardware GPU type and count for points whose file does not name them
   * @param labels run name by file name (the last path component)
   * @param tags tags of every run read (these files carry none)
   */
  ResultFileToPoints(ToolResult.Hardware hardware, Map<String, String> labels,
      List<String> tags) {
    this.hardware = hardware;
    this.labels = Map.copyOf(labels);
    this.tags = List.copyOf(tags);
  }

  /**
   * AIPerf's per-request records and input payloads, beside its aggregate export: not results.
   */
  private static final java.util.Set<String> NOT_RESULTS = java.util.Set.of(
      "profile_export.jsonl", "inputs.json");

  /**
   * True for the files this reads: {@code .json} or {@code .jsonl}, not hidden, not AIPerf's
   * per-request files.
   */
  static boolean isResultFile(String path) {
    String name = fileName(path);
    String lower = name.toLowerCase(Locale.ROOT);
    return !name.startsWith(".") && !name.startsWith("_") && !NOT_RESULTS.contains(name)
        && (lower.endsWith(".json") || lower.endsWith(".jsonl"));
  }

  @Override
  public Iterator<Row> call(Tuple2<String, PortableDataStream> file) throws IOException {
    String path = file._1();
    List<Row> rows = new ArrayList<>();
    JsonFactory factory = BoundedJson.factory(64, 10_000_000).rebuild()
        .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    try (InputStream in = file._2().open()) {
      if (AiperfToContent.isExport(fileName(path))) {
        readAiperf(path, file._2(), in, factory, rows);
      } else if (path.toLowerCase(Locale.ROOT).endsWith(".jsonl")) {
        readLines(path, new InputStreamReader(in, StandardCharsets.UTF_8), factory, rows);
      } else {
        readDocument(path, file._2(), in, factory, rows);
      }
    }
    return rows.iterator();
  }

  private void readLines(String path, Reader in, JsonFactory factory, List<Row> rows)
      throws IOException {
    BufferedReader reader = new BufferedReader(in);
    StringBuilder line = new StringBuilder();
    long number = 0;
    boolean more = true;
    while (more) {
      line.setLength(0);
      boolean tooLong = false;
      int ch;
      while ((ch = reader.read()) >= 0 && ch != '\n') {
        if (line.length() < MAX_LINE_CHARS) {
          line.append((char) ch);
        } else {
          tooLong = true;
        }
      }
      more = ch >= 0;
      number++;
      String text = line.toString().strip();
      if (text.isEmpty()) {
        continue;
      }
      if (tooLong) {
        rows.add(JsonRecord.rejectPoint(path, number, clip(text), "line longer than "
            + MAX_LINE_CHARS + " characters"));
        continue;
      }
      try (JsonParser parser = factory.createParser(text)) {
        JsonRecord.Content content = ResultToContent.read(parser);
        if (parser.nextToken() != null) {
          throw new IllegalArgumentException("text after the JSON object");
        }
        rows.add(point(path, number, content));
      } catch (IOException | IllegalArgumentException e) {
        rows.add(JsonRecord.rejectPoint(path, number, clip(text), reason(e)));
      }
    }
  }

  private void readDocument(String path, PortableDataStream stream, InputStream in,
      JsonFactory factory, List<Row> rows) {
    long line = 1;
    try (JsonParser parser = factory.createParser(in)) {
      try {
        JsonToken token;
        while ((token = parser.nextToken()) != null) {
          line = parser.currentTokenLocation().getLineNr();
          if (token != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("result: not a JSON object");
          }
          JsonRecord.Content content = ResultToContent.readObject(parser);
          try {
            rows.add(point(path, line, content));
          } catch (IllegalArgumentException e) {
            rows.add(JsonRecord.rejectPoint(path, line, JsonFileToRecord.lineText(stream, line),
                e.getMessage()));
          }
        }
      } catch (IOException | IllegalArgumentException e) {
        line = Math.max(1, parser.currentLocation().getLineNr());
        throw e;
      }
    } catch (IOException | IllegalArgumentException e) {
      rows.add(JsonRecord.rejectPoint(path, line, JsonFileToRecord.lineText(stream, line),
          reason(e)));
    }
  }

  /** AIPerf's export: one JSON tree, one point (line 1), read whole up to a bound. */
  private void readAiperf(String path, PortableDataStream stream, InputStream in,
      JsonFactory factory, List<Row> rows) {
    try (JsonParser parser = factory.createParser(in)) {
      if (JsonFileToRecord.fileSize(stream) > JsonFileToRecord.MAX_TREE_BYTES) {
        throw new IllegalArgumentException("AIPerf export larger than "
            + JsonFileToRecord.MAX_TREE_BYTES + " bytes");
      }
      rows.add(point(path, 1, AiperfToContent.read(new ObjectMapper(factory).readTree(parser))));
    } catch (IOException | IllegalArgumentException e) {
      rows.add(JsonRecord.rejectPoint(path, 1, JsonFileToRecord.lineText(stream, 1), reason(e)));
    }
  }

  /**
   * The point's row in its run: {@code <folder>/<name>#<group>}, where the name is the file's
   * (without extension; for AIPerf's fixed-name export, its artifact folder's) or its label.
   */
  private Row point(String path, long line, JsonRecord.Content raw) {
    JsonRecord.Content content = ToolResult.normalize(new JsonRecord.Content(raw.text(),
        raw.numbers(), tags, raw.config()), hardware);
    String name = fileName(path);
    String folder = path.substring(0, path.length() - name.length());
    String stem = name.substring(0, name.lastIndexOf('.'));
    if (AiperfToContent.isExport(name) && folder.length() > 1) {
      String artifacts = folder.substring(0, folder.length() - 1);
      stem = fileName(artifacts);
      folder = artifacts.substring(0, artifacts.length() - stem.length());
    }
    String runName = labels.getOrDefault(name, labels.getOrDefault(stem, stem));
    String group = ToolResult.group(content);
    return JsonRecord.point(path, line, folder + runName + (group.isEmpty() ? "" : "#" + group),
        runName, content);
  }

  private static String reason(Exception e) {
    return e instanceof IllegalArgumentException ? e.getMessage()
        : "invalid JSON: " + BoundedJson.reason(e);
  }

  private static String clip(String text) {
    return text.length() <= StatusLines.MAX_RAW_CHARS ? text
        : text.substring(0, StatusLines.MAX_RAW_CHARS);
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
