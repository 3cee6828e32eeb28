package dev.servelens.figures;

import dev.servelens.figures.FigureSpec.Axis;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Turns cells into axis values and value ranges into {@link Scale}s, per {@link Axis} type. */
final class Axes {
  private Axes() {}

  /**
   * The cell as a number on an axis of this type: epoch seconds for TIME (ISO-8601 instants
   * or dates, UTC), else the number; NaN when it is neither.
   */
  static double value(Axis axis, String cell) {
    if (axis != Axis.TIME) {
      return FigureData.parse(cell);
    }
    try {
      return cell.length() == 10
          ? LocalDate.parse(cell).atStartOfDay(ZoneOffset.UTC).toEpochSecond()
          : Instant.parse(cell).getEpochSecond();
    } catch (DateTimeParseException e) {
      return Double.NaN;
    }
  }

  /** The running minimum, minimum positive value and maximum of finite values seen. */
  static final class Range {
    double min = Double.POSITIVE_INFINITY;
    double minPositive = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;

    void add(double value) {
      if (Double.isFinite(value)) {
        min = Math.min(min, value);
        max = Math.max(max, value);
        if (value > 0) {
          minPositive = Math.min(minPositive, value);
        }
      }
    }

    boolean isEmpty() {
      return min > max;
    }

    /** The scale of this range for the axis type; a log axis without positive values is linear. */
    Scale scale(Axis axis) {
      if (isEmpty()) {
        return Scale.linear(0, 1);
      }
      return switch (axis) {
        case LOG -> Double.isFinite(minPositive) ? Scale.log(minPositive, max)
            : Scale.linear(min, max);
        case AUTO -> Scale.auto(min, max);
        case TIME -> Scale.time(min, max);
        case LINEAR, CATEGORY -> Scale.linear(min, max);
      };
    }
  }
}
