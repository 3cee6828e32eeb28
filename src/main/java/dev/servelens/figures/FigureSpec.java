package dev.servelens.figures;

import java.util.ArrayList;
import java.util.List;

/**
 * How to draw one figure-data CSV: the kind of chart, which columns are x and y (and their
 * axis types and labels), which columns name the series and which one splits the figure into
 * panels. {@code overlay} is a second y column drawn as a line over scattered points (a fit);
 * {@code identity} draws the line y = x across each panel (a scatter of pairs).
 */
record FigureSpec(String title, Kind kind, String x, String xLabel, Axis xAxis, String y,
    String yLabel, Axis yAxis, List<String> series, String panel, String overlay,
    boolean identity) {

  /** The chart a spec draws. */
  enum Kind {
    /** A line per series; markers when a series is short. */
    LINE,
    /** A CDF: a staircase with markers when short, else a line through the points. */
    STEP,
    /** Unconnected points per series, with the {@code overlay} column as a line. */
    SCATTER,
    /** Box statistics (p5, p25, p50, p75, p95, mean) per category of x, a panel per series. */
    BOX,
    /** Joint probabilities of binned pairs on log axes, a panel per series. */
    HEATMAP,
    /** Points with the non-dominated ones joined and highlighted. */
    PARETO,
    /** Throughput against k, with k* and k-hat marked from the family's kstar table. */
    KSTAR_CURVE,
    /**
     * A bar per category of x (text, in the CSV's order) of height y, the series stacked in a
     * bar; a panel per value of the panel column, each with its own categories and y scale.
     */
    BAR
  }

  /** How values are placed on an axis. */
  enum Axis { LINEAR, LOG, AUTO, TIME, CATEGORY }

  static FigureSpec of(Kind kind, String title, String x, String xLabel, Axis xAxis, String y,
      String yLabel, Axis yAxis) {
    return new FigureSpec(title, kind, x, xLabel, xAxis, y, yLabel, yAxis, List.of(), null, null,
        false);
  }

  FigureSpec series(String... columns) {
    return new FigureSpec(title, kind, x, xLabel, xAxis, y, yLabel, yAxis, List.of(columns),
        panel, overlay, identity);
  }

  FigureSpec panel(String column) {
    return new FigureSpec(title, kind, x, xLabel, xAxis, y, yLabel, yAxis, series, column,
        overlay, identity);
  }

  FigureSpec overlay(String column) {
    return new FigureSpec(title, kind, x, xLabel, xAxis, y, yLabel, yAxis, series, panel,
        column, identity);
  }

  /** The same spec drawing the line y = x. */
  FigureSpec withIdentity() {
    return new FigureSpec(title, kind, x, xLabel, xAxis, y, yLabel, yAxis, series, panel,
        overlay, true);
  }

  /** Every column the spec reads. */
  List<String> columns() {
    List<String> columns = new ArrayList<>(series);
    columns.add(x);
    if (y != null) {
      columns.add(y);
    }
    if (panel != null) {
      columns.add(panel);
    }
    if (overlay != null) {
      columns.add(overlay);
    }
    return columns;
  }
}
