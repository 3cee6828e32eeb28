package dev.servelens.figures;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Builds the Pareto figure of a benchmark sweep: every configuration as a dot (coloured by
 * series), the frontier (rows whose {@code on_front} is true, or, without that column, the rows
 * no other row beats on both axes) joined by a line and ringed, and an optional vertical cutoff
 * at the per-user throughput a deployment needs.
 */
final class ParetoFigures {
  private ParetoFigures() {}

  static final String ON_FRONT = "on_front";

  static Figure build(FigureSpec spec, FigureData data, Double cutoff) {
    List<String> notes = new ArrayList<>();
    Groups groups = new Groups();
    Axes.Range xRange = new Axes.Range();
    Axes.Range yRange = new Axes.Range();
    List<Mark> marks = new ArrayList<>();
    for (Map.Entry<String, List<String[]>> series
        : Groups.series(spec, data, data.rows(), notes).entrySet()) {
      SeriesFigures.Points points = SeriesFigures.points(spec, data, series.getValue());
      Arrays.stream(points.xs()).forEach(xRange::add);
      Arrays.stream(points.ys()).forEach(yRange::add);
      String label = series.getKey().isEmpty() ? null : series.getKey();
      marks.add(new Mark.Points(label, "point", groups.color(series.getKey()), 3.5, false,
          points.xs(), points.ys()));
    }
    double[][] front = frontier(spec, data);
    marks.add(new Mark.Line("Pareto frontier", Palette.HIGHLIGHT, 1.8, front[0], front[1], false,
        false));
    marks.add(new Mark.Points("Pareto frontier", "frontier", Palette.HIGHLIGHT, 6, true, front[0],
        front[1]));
    if (cutoff != null) {
      marks.add(new Mark.VerticalRule(cutoff, "cutoff " + cutoff, Palette.MUTED));
      xRange.add(cutoff);
    }
    List<Figure.LegendEntry> legend = new ArrayList<>(groups.legend(Figure.Swatch.DOT));
    legend.add(new Figure.LegendEntry("Pareto frontier", Palette.HIGHLIGHT, Figure.Swatch.RING));
    Figure.Panel panel = new Figure.Panel(null, xRange.scale(spec.xAxis()),
        yRange.scale(spec.yAxis()), marks);
    return new Figure(spec.title(), spec.xLabel(), spec.yLabel(), List.of(panel), legend, notes,
        null);
  }

  /** The frontier's x and y values in x order. */
  static double[][] frontier(FigureSpec spec, FigureData data) {
    List<double[]> front = new ArrayList<>();
    if (data.has(ON_FRONT)) {
      int flag = data.index(ON_FRONT);
      SeriesFigures.Points flagged = SeriesFigures.points(spec, data, data.rows().stream()
          .filter(row -> "true".equalsIgnoreCase(row[flag]) || "1".equals(row[flag])).toList());
      for (int i = 0; i < flagged.size(); i++) {
        front.add(new double[] {flagged.xs()[i], flagged.ys()[i]});
      }
    } else {
      SeriesFigures.Points all = SeriesFigures.points(spec, data, data.rows());
      for (int i = 0; i < all.size(); i++) {
        if (!dominated(all, i)) {
          front.add(new double[] {all.xs()[i], all.ys()[i]});
        }
      }
    }
    front.sort(Comparator.comparingDouble(point -> point[0]));
    return new double[][] {
      front.stream().mapToDouble(point -> point[0]).toArray(),
      front.stream().mapToDouble(point -> point[1]).toArray()
    };
  }

  private static boolean dominated(SeriesFigures.Points points, int i) {
    for (int j = 0; j < points.size(); j++) {
      if (points.xs()[j] >= points.xs()[i] && points.ys()[j] >= points.ys()[i]
          && (points.xs()[j] > points.xs()[i] || points.ys()[j] > points.ys()[i])) {
        return true;
      }
    }
    return false;
  }
}
