package dev.servelens.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * Jackson set up for untrusted input: bounded nesting, string and number lengths, and no
 * source text in error locations (rejects keep the raw line themselves).
 */
public final class BoundedJson {
  private BoundedJson() {}

  /** A factory with the default bounds: nesting 16, strings of 100,000 characters. */
  public static JsonFactory factory() {
    return factory(16, 100_000);
  }

  public static JsonFactory factory(int maxNestingDepth, int maxStringLength) {
    return JsonFactory.builder()
        .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        .streamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(maxNestingDepth)
                .maxStringLength(maxStringLength)
                .maxNumberLength(64)
                .build())
        .build();
  }

  /** The parser's complaint without location or source text (the line number is reported). */
  public static String reason(Exception e) {
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
