package dev.servelens.kstar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The length histograms' equal-width bins, worked by hand. */
class KstarLengthHistogramTest {

  @Test
  void wideRangeInFiftyBinsOfFive() {
    // Lengths 1 (twice), 100, 250: 250 values from 1 to 250 in 50 bins of ceil(250 / 50) = 5:
    // [1, 6) holds 1 (0.5), [96, 101) holds 100 (0.25), [246, 251) holds 250 (0.25).
    List<Row> rows = KstarOutputs.histogramRows("m",
        new TokenHistogram(new long[] {1, 100, 250}, new long[] {2, 1, 1}));
    assertThat(rows).hasSize(50);
    assertThat(rows.get(0).getLong(1)).isEqualTo(1);
    assertThat(rows.get(0).getLong(2)).isEqualTo(6);
    assertThat(rows.get(0).getDouble(3)).isCloseTo(0.5, within(1e-12));
    assertThat(rows.get(19).getLong(1)).isEqualTo(96);
    assertThat(rows.get(19).getDouble(3)).isCloseTo(0.25, within(1e-12));
    assertThat(rows.get(49).getLong(1)).isEqualTo(246);
    assertThat(rows.get(49).getLong(2)).isEqualTo(251);
    assertThat(rows.get(49).getDouble(3)).isCloseTo(0.25, within(1e-12));
    assertThat(rows.stream().mapToDouble(row -> row.getDouble(3)).sum())
        .isCloseTo(1.0, within(1e-12));
    assertThat(rows.get(1).getDouble(3)).isEqualTo(0.0);
  }

  @Test
  void narrowRangeInUnitBinsAndOneValueInOneBin() {
    // 10 and 12, once each: width ceil(3 / 50) = 1, three bins, the middle one empty.
    List<Row> rows = KstarOutputs.histogramRows("m",
        new TokenHistogram(new long[] {10, 12}, new long[] {1, 1}));
    assertThat(rows).extracting(row -> row.getLong(1)).containsExactly(10L, 11L, 12L);
    assertThat(rows).extracting(row -> row.getDouble(3)).containsExactly(0.5, 0.0, 0.5);
    List<Row> one = KstarOutputs.histogramRows("m", TokenHistogram.constant(100));
    assertThat(one).hasSize(1);
    assertThat(one.get(0).getLong(2)).isEqualTo(101);
    assertThat(one.get(0).getDouble(3)).isEqualTo(1.0);
  }
}
