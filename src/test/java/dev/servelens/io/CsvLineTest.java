package dev.servelens.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvLineTest {
  @Test
  void splitsPlainAndQuotedFields() {
    assertThat(CsvLine.split("a,b,,d", ',')).containsExactly("a", "b", "", "d");
    assertThat(CsvLine.split("\"x,y\",\"say \"\"hi\"\"\",z", ','))
        .containsExactly("x,y", "say \"hi\"", "z");
    assertThat(CsvLine.split("a,b\r", ',')).isEqualTo(List.of("a", "b"));
    assertThat(CsvLine.split("", ',')).containsExactly("");
  }

  @Test
  void rejectsAnUnterminatedQuote() {
    assertThatThrownBy(() -> CsvLine.split("a,\"b,c", ','))
        .hasMessageContaining("unterminated");
  }
}
