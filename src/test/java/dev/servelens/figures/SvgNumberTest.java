package dev.servelens.figures;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** SVG coordinates are written as {@code String.format("%.2f")} writes them (the reference). */
class SvgNumberTest {
  @Test
  void twoDecimalsAsTheFormatterRounds() {
    double[] awkward = {0, -0.0, 0.005, 0.015, 0.125, 1.005, 2.675, -2.675, 1e-9, -1e-9, 999.995,
        1e15 + 0.5, 123456789.125, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.994999, 0.995, -0.995};
    for (double value : awkward) {
      assertThat(SvgCanvas.twoDecimals(value)).as("%s", value)
          .isEqualTo(String.format(Locale.ROOT, "%.2f", value));
    }
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 200_000; i++) {
      double value = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-4, 8));
      if (i % 3 == 0) {
        value = Math.round(value * 1000) / 1000.0;
      }
      assertThat(SvgCanvas.twoDecimals(value)).as("%s", value)
          .isEqualTo(String.format(Locale.ROOT, "%.2f", value));
    }
  }
}
