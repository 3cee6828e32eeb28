package dev.servelens.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LineNumbersTest {
  @Test
  void countsLinesOfEarlierSplitsOfTheSameFile() {
    LineNumbers numbers =
        new LineNumbers(
            List.of(
                new LineNumbers.SplitCount("b", 0, 7),
                new LineNumbers.SplitCount("a", 200, 3),
                new LineNumbers.SplitCount("a", 0, 5),
                new LineNumbers.SplitCount("a", 400, 2)));
    assertThat(numbers.lineNumber("a", 0, 0)).isEqualTo(1);
    assertThat(numbers.lineNumber("a", 200, 0)).isEqualTo(6);
    assertThat(numbers.lineNumber("a", 400, 1)).isEqualTo(10);
    assertThat(numbers.lineNumber("b", 0, 6)).isEqualTo(7);
  }
}
