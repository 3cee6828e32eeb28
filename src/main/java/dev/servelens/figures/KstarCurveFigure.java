package dev.servelens.figures;

import java.awt.Color;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The throughput-against-k figure of the kstar family: the curves per N and source, with the
 * analytical k* (black dot) and the simulated k-hat (red ring) marked on each model's simulated
 * curve, taken from the family's {@code kstar.csv} when it is there.
 */
final class KstarCurveFigure {
  private KstarCurveFigure() {}

  private static final String SIMULATED = "simulated";

  static Figure build(FigureSpec spec, FigureData curve, FigureData kstar) {
    Figure lines = SeriesFigures.build(spec, curve);
    if (kstar == null || !kstar.has("model") || !kstar.has("n") || !kstar.has("kstar")
        || !kstar.has("khat_sim")) {
      return lines;
    }
    Map<String, Double> simulated = simulatedThroughput(spec, curve);
    List<Figure.Panel> panels = new ArrayList<>();
    for (Figure.Panel panel : lines.panels()) {
      List<Mark> marks = new ArrayList<>(panel.marks());
      marks.add(markers(kstar, panel.title(), "kstar", simulated, Color.BLACK, false));
      marks.add(markers(kstar, panel.title(), "khat_sim", simulated, Palette.HIGHLIGHT, true));
      panels.add(new Figure.Panel(panel.title(), panel.x(), panel.y(), marks));
    }
    List<Figure.LegendEntry> legend = new ArrayList<>(lines.legend());
    legend.add(new Figure.LegendEntry("k* (formula)", Color.BLACK, Figure.Swatch.DOT));
    legend.add(new Figure.LegendEntry("k-hat (simulation)", Palette.HIGHLIGHT,
        Figure.Swatch.RING));
    return new Figure(lines.title(), lines.xLabel(), lines.yLabel(), panels, legend,
        lines.notes(), null);
  }

  /** Simulated throughput by model, N and k. */
  private static Map<String, Double> simulatedThroughput(FigureSpec spec, FigureData curve) {
    int model = curve.index(spec.panel());
    int n = curve.index("n");
    int k = curve.index(spec.x());
    int throughput = curve.index(spec.y());
    int source = curve.has("source") ? curve.index("source") : -1;
    Map<String, Double> byKey = new HashMap<>();
    for (String[] row : curve.rows()) {
      if (source < 0 || SIMULATED.equals(row[source])) {
        byKey.put(key(row[model], row[n], row[k]), FigureData.parse(row[throughput]));
      }
    }
    return byKey;
  }

  /** A marker per N of the panel's model at k = the table's {@code column}. */
  private static Mark markers(FigureData kstar, String model, String column,
      Map<String, Double> simulated, Color color, boolean hollow) {
    List<double[]> points = new ArrayList<>();
    int modelIndex = kstar.index("model");
    int n = kstar.index("n");
    int k = kstar.index(column);
    for (String[] row : kstar.rows()) {
      Double throughput = simulated.get(key(row[modelIndex], row[n], row[k]));
      if (row[modelIndex].equals(model) && throughput != null) {
        points.add(new double[] {FigureData.parse(row[k]), throughput});
      }
    }
    return new Mark.Points(null, column, color, hollow ? 6.5 : 4.5, hollow,
        points.stream().mapToDouble(point -> point[0]).toArray(),
        points.stream().mapToDouble(point -> point[1]).toArray());
  }

  private static String key(String model, String n, String k) {
    return model + "\u0000" + n + "\u0000" + k;
  }
}
