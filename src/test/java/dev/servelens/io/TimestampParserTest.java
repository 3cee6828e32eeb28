package dev.servelens.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampParserTest {
  private final TimestampParser utc = TimestampParser.utc();

  private static long micros(String instant) {
    Instant i = Instant.parse(instant);
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
  }

  @Test
  void readsIsoWithTOrSpaceAndAnyFraction() {
    assertThat(utc.toEpochMicros("2025-01-03T04:05:06Z")).isEqualTo(micros("2025-01-03T04:05:06Z"));
    assertThat(utc.toEpochMicros("2025-01-03 04:05:06.789"))
        .isEqualTo(micros("2025-01-03T04:05:06.789Z"));
    // Azure 2023: seven fractional digits, no zone.
    assertThat(utc.toEpochMicros("2023-11-16 18:17:03.9799600"))
        .isEqualTo(micros("2023-11-16T18:17:03.979960Z"));
    assertThat(utc.toEpochMicros("2025-01-03T04:05:06.123456789Z"))
        .isEqualTo(micros("2025-01-03T04:05:06.123456Z"));
    assertThat(utc.toEpochMicros("2025-01-03T04:05")).isEqualTo(micros("2025-01-03T04:05:00Z"));
    assertThat(utc.toEpochMicros("2025-01-03")).isEqualTo(micros("2025-01-03T00:00:00Z"));
  }

  @Test
  void appliesZonesAndTheDefaultOffset() {
    assertThat(utc.toEpochMicros("2025-01-03T12:00:00+08:00"))
        .isEqualTo(micros("2025-01-03T04:00:00Z"));
    assertThat(utc.toEpochMicros("2025-01-03T12:00:00-0130"))
        .isEqualTo(micros("2025-01-03T13:30:00Z"));
    TimestampParser shanghai = new TimestampParser(8 * 3600);
    assertThat(shanghai.toEpochMicros("2025-01-03 12:00:00"))
        .isEqualTo(micros("2025-01-03T04:00:00Z"));
    assertThat(shanghai.toEpochMicros("2025-01-03 12:00:00Z"))
        .isEqualTo(micros("2025-01-03T12:00:00Z"));
  }

  @Test
  void tellsEpochUnitsApartByMagnitude() {
    long expected = micros("2025-01-03T04:05:06Z");
    assertThat(utc.toEpochMicros("1735877106")).isEqualTo(expected);
    assertThat(utc.toEpochMicros("1735877106.5")).isEqualTo(expected + 500_000);
    assertThat(utc.toEpochMicros("1735877106000")).isEqualTo(expected);
    assertThat(utc.toEpochMicros("1735877106000000")).isEqualTo(expected);
  }

  @Test
  void rejectsWhatIsNotATimestamp() {
    assertThatThrownBy(() -> utc.toEpochMicros("2025-13-45 99:00:00"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> utc.toEpochMicros("2025-02-30 10:00:00"))
        .hasMessageContaining("invalid date");
    assertThatThrownBy(() -> utc.toEpochMicros("yesterday"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> utc.toEpochMicros("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> utc.toEpochMicros("2025-01-03T04:05:06 junk"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> utc.toEpochMicros("1e30")).hasMessageContaining("too large");
  }
}
