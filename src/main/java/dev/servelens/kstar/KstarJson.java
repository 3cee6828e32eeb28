package dev.servelens.kstar;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamReadConstraints;

/** Jackson set up for untrusted input: bounded nesting, string and number lengths. */
final class KstarJson {
  private KstarJson() {}

  static JsonFactory factory() {
    return JsonFactory.builder()
        .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        .streamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(16)
                .maxStringLength(100_000)
                .maxNumberLength(64)
                .build())
        .build();
  }

  /** The parser's complaint without location or source text (the line number is reported). */
  static String reason(Exception e) {
    String message = e instanceof JsonProcessingException json ? json.getOriginalMessage()
        : e.getMessage();
    if (message == null) {
      return "unreadable";
    }
    int cut = message.indexOf(" (start marker");
    message = cut < 0 ? message : message.substring(0, cut);
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
