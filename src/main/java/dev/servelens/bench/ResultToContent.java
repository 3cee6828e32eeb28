package dev.servelens.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the top-level scalar keys of a result file ({@code concurrency_{n}.json}) with Jackson's
 * streaming parser: numbers into {@code numbers}, strings into {@code text}. Arrays and objects
 * (the per-request {@code ttfts}, {@code itls}, {@code generated_texts}...) are skipped token by
 * token without being built, so a file of tens of megabytes costs no memory.
 */
final class ResultToContent {
  private ResultToContent() {}

  /** More top-level keys than this is not a result file. */
  static final int MAX_KEYS = 10_000;

  static JsonRecord.Content read(JsonParser parser) throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw new IllegalArgumentException("result: not a JSON object");
    }
    return readObject(parser);
  }

  /** Reads the object whose {@code START_OBJECT} is the parser's current token. */
  static JsonRecord.Content readObject(JsonParser parser) throws IOException {
    Map<String, String> text = new HashMap<>();
    Map<String, Double> numbers = new HashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if (value == null) {
        break;
      }
      if (value.isNumeric()) {
        numbers.put(name, parser.getDoubleValue());
      } else if (value == JsonToken.VALUE_STRING) {
        text.put(name, MetadataToContent.clip(parser.getText()));
      } else {
        parser.skipChildren();
      }
      if (numbers.size() + text.size() > MAX_KEYS) {
        throw new IllegalArgumentException("result: more than " + MAX_KEYS + " keys");
      }
    }
    if (parser.currentToken() != JsonToken.END_OBJECT) {
      throw new IllegalArgumentException("result: JSON cut off");
    }
    return new JsonRecord.Content(text, numbers, List.of(), List.of());
  }
}
