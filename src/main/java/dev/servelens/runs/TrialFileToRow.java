package dev.servelens.runs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads {@code outputs/all_domains/<domain>__<task>__trial<n>.json}: {@code {"domain",
 * "task_id", "trial", "status", "reward"}}, one row per file. Other fields are ignored; a
 * document without {@code task_id} is rejected.
 */
final class TrialFileToRow extends JsonFileToRows {
  private static final long serialVersionUID = 1L;

  @Override
  int valueCount() {
    return RunsColumns.TRIAL_VALUES.size();
  }

  @Override
  void read(JsonParser parser, Document document) throws IOException {
    start(parser, document);
    expectObject(parser, "trial");
    String domain = null;
    String taskId = null;
    Long trial = null;
    String status = null;
    Double reward = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (name) {
        case "domain" -> domain = scalar(parser, value);
        case "task_id" -> taskId = scalar(parser, value);
        case "trial" -> trial = wholeNumber(parser);
        case "status" -> status = scalar(parser, value);
        case "reward" -> reward = number(parser);
        default -> parser.skipChildren();
      }
    }
    if (parser.currentToken() != JsonToken.END_OBJECT) {
      throw new IllegalArgumentException("trial: document cut off");
    }
    if (taskId == null) {
      document.reject(1, "trial: task_id missing");
    } else {
      document.keep(1, domain, taskId, trial == null ? null : trial.intValue(), status, reward);
    }
  }

  private static String scalar(JsonParser parser, JsonToken value) throws IOException {
    if (!value.isScalarValue() || value == JsonToken.VALUE_NULL) {
      parser.skipChildren();
      return null;
    }
    return LogLineToEvent.bounded(parser.getText());
  }
}
