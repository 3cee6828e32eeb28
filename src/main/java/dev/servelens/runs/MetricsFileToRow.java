package dev.servelens.runs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code outputs/metrics_global.json}: {@code {"domains": [...], "total", "ok", "error",
 * "elapsed_s", "tasks_per_min", ...}}, one row per file; other fields are ignored.
 */
final class MetricsFileToRow extends JsonFileToRows {
  private static final long serialVersionUID = 1L;

  @Override
  int valueCount() {
    return RunsColumns.METRICS_VALUES.size();
  }

  @Override
  void read(JsonParser parser, Document document) throws IOException {
    start(parser, document);
    expectObject(parser, "metrics_global");
    Long total = null;
    Long ok = null;
    Long error = null;
    Double elapsed = null;
    Double perMinute = null;
    List<String> domains = new ArrayList<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (name) {
        case "total" -> total = wholeNumber(parser);
        case "ok" -> ok = wholeNumber(parser);
        case "error" -> error = wholeNumber(parser);
        case "elapsed_s" -> elapsed = number(parser);
        case "tasks_per_min" -> perMinute = number(parser);
        case "domains" -> {
          if (value == JsonToken.START_ARRAY) {
            while (parser.nextToken() != JsonToken.END_ARRAY) {
              if (parser.currentToken() == JsonToken.VALUE_STRING && domains.size() < 32) {
                domains.add(LogLineToEvent.bounded(parser.getText()));
              }
              parser.skipChildren();
            }
          }
        }
        default -> parser.skipChildren();
      }
    }
    if (parser.currentToken() != JsonToken.END_OBJECT) {
      throw new IllegalArgumentException("metrics_global: document cut off");
    }
    document.keep(1, total, ok, error, elapsed, perMinute, String.join(" ", domains));
  }
}
