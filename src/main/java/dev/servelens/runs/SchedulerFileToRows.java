package dev.servelens.runs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Set;

/**
 * Reads Continuum's {@code scheduler_timestamps}: an object keyed by request (job) id, each
 * value a list of event objects such as {@code {"Request_arrival_time": t}} or {@code
 * {"waiting_to_running": t, "prompt_length": n, "hit_length": h}}. One row per event, at the
 * event's line; an event without a numeric time is rejected.
 */
final class SchedulerFileToRows extends JsonFileToRows {
  private static final long serialVersionUID = 1L;
  private static final Set<String> ATTRIBUTES = Set.of("prompt_length", "hit_length", "deadline");

  @Override
  int valueCount() {
    return RunsColumns.SCHEDULER_VALUES.size();
  }

  @Override
  void read(JsonParser parser, Document document) throws IOException {
    start(parser, document);
    expectObject(parser, "scheduler_timestamps");
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String request = LogLineToEvent.bounded(parser.currentName());
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        document.reject(parser.currentTokenLocation().getLineNr(),
            "request " + request + ": events are not a list");
        parser.skipChildren();
        continue;
      }
      while (parser.nextToken() == JsonToken.START_OBJECT) {
        event(parser, document, request);
      }
      if (parser.currentToken() != JsonToken.END_ARRAY) {
        throw new IllegalArgumentException("request " + request + ": events must be objects");
      }
    }
    if (parser.currentToken() != JsonToken.END_OBJECT) {
      throw new IllegalArgumentException("scheduler_timestamps: document cut off");
    }
  }

  private static void event(JsonParser parser, Document document, String request)
      throws IOException {
    long line = parser.currentTokenLocation().getLineNr();
    String event = null;
    Double time = null;
    Long prompt = null;
    Long hit = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      if ("prompt_length".equals(name)) {
        prompt = wholeNumber(parser);
      } else if ("hit_length".equals(name)) {
        hit = wholeNumber(parser);
      } else if (event == null && !ATTRIBUTES.contains(name)) {
        event = LogLineToEvent.bounded(name);
        time = number(parser);
      }
      parser.skipChildren();
    }
    if (event == null || time == null) {
      document.reject(line, "request " + request + ": event without a numeric time");
    } else {
      document.keep(line, request, event, time, prompt, hit);
    }
  }
}
