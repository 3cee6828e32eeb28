package dev.servelens.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import dev.servelens.io.BoundedJson;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A result file's scalars are read and its per-request arrays skipped while streaming: a 40 MB
 * file is parsed from a stream that is never held in memory.
 */
class ResultToContentTest {

  private static InputStream stream(String... parts) {
    List<InputStream> streams = new java.util.ArrayList<>();
    for (String part : parts) {
      streams.add(new ByteArrayInputStream(part.getBytes(StandardCharsets.UTF_8)));
    }
    return new SequenceInputStream(Collections.enumeration(streams));
  }

  /** {@code [0.1, 0.1, ...]} of {@code n} entries, generated as it is read. */
  private static InputStream bigArray(int n) {
    byte[] entry = "0.123456, ".getBytes(StandardCharsets.UTF_8);
    return new InputStream() {
      private long position;
      private final long end = (long) n * entry.length;

      @Override
      public int read() {
        if (position >= end) {
          return -1;
        }
        return entry[(int) (position++ % entry.length)];
      }
    };
  }

  @Test
  void scalarsAreKeptAndArraysSkipped() throws Exception {
    // 4M entries of 10 bytes: 40 MB of ttfts
    InputStream in = new SequenceInputStream(Collections.enumeration(List.of(
        stream("{\"max_concurrency\": 64, \"backend\": \"sglang\", \"ttfts\": ["),
        bigArray(4_000_000),
        stream("0.5], \"generated_texts\": [\"a\", \"b\"], \"mean_tpot_ms\": 31.8,"
            + " \"nested\": {\"x\": 1}}"))));
    try (JsonParser parser = BoundedJson.factory(64, 10_000_000).createParser(in)) {
      JsonRecord.Content content = ResultToContent.read(parser);
      assertThat(content.numbers()).containsOnlyKeys("max_concurrency", "mean_tpot_ms");
      assertThat(content.numbers().get("mean_tpot_ms")).isEqualTo(31.8);
      assertThat(content.text()).containsEntry("backend", "sglang").hasSize(1);
    }
  }

  @Test
  void aDocumentThatIsNotAnObjectIsRefused() throws Exception {
    try (JsonParser parser = BoundedJson.factory().createParser("[1, 2]")) {
      assertThatThrownBy(() -> ResultToContent.read(parser))
          .hasMessage("result: not a JSON object");
    }
  }
}
