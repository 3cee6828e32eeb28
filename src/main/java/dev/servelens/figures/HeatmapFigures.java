package dev.servelens.figures;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds heatmaps of binned pairs ({@code x_lo, x_hi, y_lo, y_hi, probability}): a cell per
 * row coloured by its probability on a log colour scale shared by every panel (a panel per
 * series), with the colour bar as legend. Bin edges are in seconds; the axes show milliseconds,
 * as the seed's plots of log10(ms) did.
 */
final class HeatmapFigures {
  private HeatmapFigures() {}

  private static final double MILLIS = 1000;

  static Figure build(FigureSpec spec, FigureData data) {
    List<String> notes = new ArrayList<>();
    int[] edges = FigureSpecs.HEATMAP_COLUMNS.stream().mapToInt(data::index).toArray();
    Map<String, List<String[]>> panelRows = Groups.panels(spec, data, notes);
    Axes.Range xRange = new Axes.Range();
    Axes.Range yRange = new Axes.Range();
    Axes.Range probability = new Axes.Range();
    for (List<String[]> rows : panelRows.values()) {
      for (String[] row : rows) {
        xRange.add(FigureData.parse(row[edges[0]]) * MILLIS);
        xRange.add(FigureData.parse(row[edges[1]]) * MILLIS);
        yRange.add(FigureData.parse(row[edges[2]]) * MILLIS);
        yRange.add(FigureData.parse(row[edges[3]]) * MILLIS);
        double p = FigureData.parse(row[edges[4]]);
        if (p > 0) {
          probability.add(p);
        }
      }
    }
    Scale colors = probability.isEmpty() ? Scale.log(1e-6, 1)
        : Scale.log(probability.minPositive, probability.max);
    Scale x = xRange.scale(spec.xAxis());
    Scale y = yRange.scale(spec.yAxis());
    List<Figure.Panel> panels = new ArrayList<>();
    for (Map.Entry<String, List<String[]>> panel : panelRows.entrySet()) {
      List<Mark> cells = new ArrayList<>();
      for (String[] row : panel.getValue()) {
        double p = FigureData.parse(row[edges[4]]);
        if (p > 0) {
          cells.add(new Mark.Cell(FigureData.parse(row[edges[0]]) * MILLIS,
              FigureData.parse(row[edges[1]]) * MILLIS, FigureData.parse(row[edges[2]]) * MILLIS,
              FigureData.parse(row[edges[3]]) * MILLIS, Palette.ramp(colors.unit(p))));
        }
      }
      panels.add(new Figure.Panel(panel.getKey(), x, y, cells));
    }
    return new Figure(spec.title(), spec.xLabel(), spec.yLabel(), panels, List.of(), notes,
        new Figure.ColorBar("joint probability", colors));
  }
}
