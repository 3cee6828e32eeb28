package dev.servelens.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servelens.io.BoundedJson;
import dev.servelens.io.StatusLines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.input.PortableDataStream;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Reads one JSON file of a run (metadata, result or node config, told apart by {@link RunPath})
 * from its stream into one {@link JsonRecord}. Result files are streamed; metadata and configs,
 * which are small, are read as trees up to {@link #MAX_TREE_BYTES}. A file larger than its
 * limit, or one that does not parse, is rejected with the line where reading stopped and that
 * line's text (read again, bounded).
 */
final class JsonFileToRecord implements FlatMapFunction<Tuple2<String, PortableDataStream>, Row> {
  private static final long serialVersionUID = 1L;

  /** Metadata and config files larger than this are rejected unread. */
  static final long MAX_TREE_BYTES = 16L << 20;
  /** Result files larger than this are rejected unread (they are streamed, not held). */
  static final long MAX_RESULT_BYTES = 1L << 30;

  @Override
  public Iterator<Row> call(Tuple2<String, PortableDataStream> file) throws IOException {
    String path = file._1();
    PortableDataStream stream = file._2();
    RunPath where = RunPath.of(path);
    long size = fileSize(stream);
    long limit = where.kind() == RunPath.Kind.RESULT ? MAX_RESULT_BYTES : MAX_TREE_BYTES;
    if (size > limit) {
      return List.of(JsonRecord.reject(path, where, 1, "", "file larger than " + limit
          + " bytes")).iterator();
    }
    JsonFactory factory = BoundedJson.factory(64, 10_000_000);
    long errorLine = 1;
    try (InputStream in = stream.open(); JsonParser parser = factory.createParser(in)) {
      try {
        return List.of(JsonRecord.ok(path, where, read(where, parser, factory))).iterator();
      } catch (IOException | IllegalArgumentException e) {
        errorLine = Math.max(1, parser.currentLocation().getLineNr());
        throw e;
      }
    } catch (IOException | IllegalArgumentException e) {
      String reason = e instanceof IllegalArgumentException ? e.getMessage()
          : "invalid JSON: " + BoundedJson.reason(e);
      return List.of(JsonRecord.reject(path, where, errorLine, lineText(stream, errorLine),
          reason)).iterator();
    }
  }

  private static JsonRecord.Content read(RunPath where, JsonParser parser, JsonFactory factory)
      throws IOException {
    if (where.kind() == RunPath.Kind.RESULT) {
      return ResultToContent.read(parser);
    }
    ObjectMapper mapper = new ObjectMapper(factory);
    JsonNode root = mapper.readTree(parser);
    if (parser.nextToken() != null) {
      throw new IllegalArgumentException("text after the JSON document");
    }
    return where.kind() == RunPath.Kind.METADATA
        ? MetadataToContent.read(root, where.topology())
        : ConfigToContent.read(root);
  }

  static long fileSize(PortableDataStream stream) {
    try {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(stream.getPath());
      return path.getFileSystem(stream.getConfiguration()).getFileStatus(path).getLen();
    } catch (IOException e) {
      return 0;
    }
  }

  /** Line {@code number} of the file, at most {@link StatusLines#MAX_RAW_CHARS} characters. */
  static String lineText(PortableDataStream stream, long number) {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(stream.open(), StandardCharsets.UTF_8))) {
      long line = 1;
      StringBuilder text = new StringBuilder();
      int ch;
      while ((ch = reader.read()) >= 0) {
        if (ch == '\n') {
          if (line == number) {
            break;
          }
          line++;
        } else if (line == number && text.length() < StatusLines.MAX_RAW_CHARS) {
          text.append((char) ch);
        }
      }
      return text.toString();
    } catch (IOException e) {
      return "";
    }
  }
}
