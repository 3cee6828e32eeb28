package dev.servelens.runs.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The ground truth's reference semantics on a handful of samples, worked out by hand. */
class ActiveWindowTruthTest {

  private static final long T0 = 1_767_608_063L; // 2026-01-05T10:14:23Z

  private static RunSpec run(boolean withoutDriverLog) {
    return new RunSpec(0, SystemProfile.BASELINE, 128, "baseline_c128_20260105_101158",
        "baseline_c128_20260105_101158", T0, 1, false, false, withoutDriverLog, false, 0);
  }

  @Test
  void countsStrictlyAboveWithInclusiveBounds() {
    ActiveWindowTruth truth = new ActiveWindowTruth();
    truth.kvSample(T0 - 10, "0.7"); // 70.0: not above
    truth.kvSample(T0 - 5, "0.7000000000000001"); // times 100 is exactly 70.0: not above
    truth.kvSample(T0, "0.700001"); // first above
    truth.kvSample(T0 + 5, "NaN"); // never above
    truth.kvSample(T0 + 120, "0.95"); // last above
    truth.kvSample(T0 + 125, "0.1");
    truth.task(T0 - 1); // before
    truth.task(T0); // on the start: inside
    truth.task(T0 + 60);
    truth.task(T0 + 120); // on the end: inside
    truth.task(T0 + 121); // after
    for (int i = 0; i < 30; i++) {
      truth.step(T0 + i * 4); // 0..116: all inside
    }
    truth.step(T0 + 200);
    Row row = truth.row(run(false));
    assertThat(row.getString(4)).isEqualTo("2026-01-05T10:14:23Z");
    assertThat(row.getString(5)).isEqualTo("2026-01-05T10:16:23Z");
    assertThat(row.getLong(6)).isEqualTo(120L);
    assertThat(row.getLong(7)).isEqualTo(3L);
    assertThat(row.getLong(8)).isEqualTo(30L);
    // 3 tasks in 2 minutes; 30 steps in 120 s.
    assertThat(row.getDouble(9)).isCloseTo(1.5, within(1e-12));
    assertThat(row.getDouble(10)).isCloseTo(0.25, within(1e-12));
  }

  @Test
  void oneSampleAboveIsNoWindow() {
    ActiveWindowTruth truth = new ActiveWindowTruth();
    truth.kvSample(T0, "0.99");
    truth.kvSample(T0 + 5, "0.5");
    truth.task(T0);
    Row row = truth.row(run(false));
    assertThat(row.isNullAt(4)).isTrue();
    assertThat(row.isNullAt(6)).isTrue();
    assertThat(row.isNullAt(7)).isTrue();
    assertThat(row.getInt(3)).isEqualTo(70);
  }

  @Test
  void aRunWithoutDriverLogHasAWindowButUnknownCounts() {
    ActiveWindowTruth truth = new ActiveWindowTruth();
    truth.kvSample(T0, "0.8");
    truth.kvSample(T0 + 60, "0.8");
    Row row = truth.row(run(true));
    assertThat(row.getLong(6)).isEqualTo(60L);
    assertThat(row.isNullAt(7)).isTrue();
    assertThat(row.isNullAt(9)).isTrue();
  }
}
