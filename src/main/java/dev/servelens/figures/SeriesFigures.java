package dev.servelens.figures;

import dev.servelens.figures.FigureSpec.Kind;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Builds line, CDF and scatter figures: per panel, one mark per series with its points in x
 * order. Panels share the y scale so they compare at a glance; each has its own x range, since
 * panels (models) may see very different amounts of traffic.
 */
final class SeriesFigures {
  private SeriesFigures() {}

  /** The label of the line y = x. */
  static final String IDENTITY = "y = x";

  /** One series' points sorted by x, with the overlay column's values when the spec has one. */
  record Points(double[] xs, double[] ys, double[] overlay) {
    int size() {
      return xs.length;
    }
  }

  static Figure build(FigureSpec spec, FigureData data) {
    List<String> notes = new ArrayList<>();
    Groups groups = new Groups();
    List<Axes.Range> xRanges = new ArrayList<>();
    Axes.Range yRange = new Axes.Range();
    List<String> titles = new ArrayList<>();
    List<List<Mark>> marks = new ArrayList<>();
    for (Map.Entry<String, List<String[]>> panel : Groups.panels(spec, data, notes).entrySet()) {
      List<Mark> panelMarks = new ArrayList<>();
      Axes.Range xRange = new Axes.Range();
      for (Map.Entry<String, List<String[]>> series
          : Groups.series(spec, data, panel.getValue(), notes).entrySet()) {
        Points points = points(spec, data, series.getValue());
        Arrays.stream(points.xs()).forEach(xRange::add);
        Arrays.stream(points.ys()).forEach(yRange::add);
        if (points.overlay() != null) {
          Arrays.stream(points.overlay()).forEach(yRange::add);
        }
        panelMarks.addAll(marks(spec, series.getKey(), groups.color(series.getKey()), points));
      }
      titles.add(panel.getKey());
      marks.add(panelMarks);
      xRanges.add(xRange);
    }
    if (spec.kind() == Kind.STEP) {
      yRange.add(0); // a CDF axis starts at 0
    }
    if (spec.identity()) {
      // Pairs of one quantity: x and y share one range, so y = x runs corner to corner.
      for (Axes.Range xRange : xRanges) {
        yRange.add(xRange.min);
        yRange.add(xRange.minPositive);
        yRange.add(xRange.max);
      }
      xRanges.replaceAll(xRange -> yRange);
      marks.forEach(panelMarks -> panelMarks.add(new Mark.Identity(IDENTITY)));
    }
    Scale y = yRange.scale(spec.yAxis());
    List<Figure.Panel> panels = new ArrayList<>();
    for (int i = 0; i < marks.size(); i++) {
      panels.add(new Figure.Panel(titles.get(i), xRanges.get(i).scale(spec.xAxis()), y,
          marks.get(i)));
    }
    List<Figure.LegendEntry> legend = new ArrayList<>(
        groups.legend(spec.kind() == Kind.SCATTER ? Figure.Swatch.DOT : Figure.Swatch.LINE));
    if (spec.identity()) {
      legend.add(new Figure.LegendEntry(IDENTITY, Palette.MUTED, Figure.Swatch.LINE));
    }
    if (!panels.isEmpty()) {
      noteDropped(data, spec, panels.get(0).x(), y, notes);
    }
    return new Figure(spec.title(), spec.xLabel(), spec.yLabel(), panels, legend, notes, null);
  }

  private static List<Mark> marks(FigureSpec spec, String label, Color color, Points points) {
    boolean shortSeries = points.size() <= Mark.MARKER_LIMIT;
    double width = Groups.ALL_LABEL.equals(label) ? 2.4 : 1.6;
    String name = label.isEmpty() ? null : label;
    return switch (spec.kind()) {
      case SCATTER -> points.overlay() == null
          ? List.of(new Mark.Points(name, "point", color, 3, false, points.xs(), points.ys()))
          : List.of(new Mark.Points(name, "point", color, 3, false, points.xs(), points.ys()),
              new Mark.Line(name == null ? null : name + " (fit)", color, 1.6, points.xs(),
                  points.overlay(), false, false));
      case STEP -> List.of(new Mark.Line(name, color, width, points.xs(), points.ys(),
          shortSeries, shortSeries));
      default -> List.of(new Mark.Line(name, color, width, points.xs(), points.ys(), false,
          shortSeries));
    };
  }

  /** The rows' x and y (and overlay) values, rows without a finite x and y left out. */
  static Points points(FigureSpec spec, FigureData data, List<String[]> rows) {
    int xIndex = data.index(spec.x());
    int yIndex = data.index(spec.y());
    int overlayIndex = spec.overlay() == null ? -1 : data.index(spec.overlay());
    List<double[]> points = new ArrayList<>();
    for (String[] row : rows) {
      double x = Axes.value(spec.xAxis(), row[xIndex]);
      double y = FigureData.parse(row[yIndex]);
      if (Double.isFinite(x) && Double.isFinite(y)) {
        points.add(new double[] {x, y,
            overlayIndex < 0 ? Double.NaN : FigureData.parse(row[overlayIndex])});
      }
    }
    points.sort(Comparator.comparingDouble(point -> point[0]));
    double[] xs = new double[points.size()];
    double[] ys = new double[points.size()];
    double[] overlay = overlayIndex < 0 ? null : new double[points.size()];
    for (int i = 0; i < points.size(); i++) {
      xs[i] = points.get(i)[0];
      ys[i] = points.get(i)[1];
      if (overlay != null) {
        overlay[i] = points.get(i)[2];
      }
    }
    return new Points(xs, ys, overlay);
  }

  /** Notes how many points a log axis cannot show (values <= 0). */
  private static void noteDropped(FigureData data, FigureSpec spec, Scale x, Scale y,
      List<String> notes) {
    if (!x.isLog() && !y.isLog()) {
      return;
    }
    int xIndex = data.index(spec.x());
    int yIndex = data.index(spec.y());
    long dropped = data.rows().stream()
        .filter(row -> x.isLog() && !(Axes.value(spec.xAxis(), row[xIndex]) > 0)
            || y.isLog() && !(FigureData.parse(row[yIndex]) > 0))
        .count();
    if (dropped > 0) {
      notes.add(dropped + " points with a value <= 0 are not shown on the log axis");
    }
  }
}
