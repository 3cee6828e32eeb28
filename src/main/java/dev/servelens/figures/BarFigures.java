package dev.servelens.figures;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds bar figures: a bar per category of x (the CSV's text values, in the order they first
 * appear, so an analysis writes them ranked) rising from 0 to y, the series of a category
 * stacked in its bar in the order they first appear. A panel per value of the panel column,
 * each with its own categories and y scale (panels may count different things). The bar of
 * the rest, {@value #OTHER}, is grey when the figure has no series. Tick labels drop a
 * model's organisation and are cut to the room of a slot; the CSV has the full names.
 */
final class BarFigures {
  private BarFigures() {}

  /** The category an analysis gives to everything outside its top values. */
  static final String OTHER = "(other)";

  private static final Color OTHER_FILL = new Color(0xb0b0b0);
  private static final double HALF_WIDTH = 0.36;
  /** Horizontal room per character of a tick label, in figure units (11 px font). */
  private static final double CHAR_WIDTH = 6.6;
  /** Categories shown per panel; the rest are left out with a note (the CSV has them all). */
  static final int MAX_CATEGORIES = 30;

  static Figure build(FigureSpec spec, FigureData data) {
    List<String> notes = new ArrayList<>();
    Groups groups = new Groups();
    int xIndex = data.index(spec.x());
    int yIndex = data.index(spec.y());
    Map<String, List<String[]>> panelRows = Groups.panels(spec, data, notes);
    double plotWidth = panelRows.size() == 1 ? 620 : 300;
    List<Figure.Panel> panels = new ArrayList<>();
    for (Map.Entry<String, List<String[]>> panel : panelRows.entrySet()) {
      Map<String, Integer> slots = new LinkedHashMap<>();
      for (String[] row : panel.getValue()) {
        if (slots.size() < MAX_CATEGORIES || slots.containsKey(row[xIndex])) {
          slots.putIfAbsent(row[xIndex], slots.size());
        }
      }
      long omitted = panel.getValue().stream().map(row -> row[xIndex]).distinct().count()
          - slots.size();
      if (omitted > 0) {
        notes.add(omitted + " more categories not drawn (the CSV has them all)");
      }
      double[] stacked = new double[slots.size()];
      Axes.Range yRange = new Axes.Range();
      yRange.add(0);
      List<Mark> bars = new ArrayList<>();
      for (Map.Entry<String, List<String[]>> series
          : Groups.series(spec, data, panel.getValue(), notes).entrySet()) {
        Color color = groups.color(series.getKey());
        for (String[] row : series.getValue()) {
          Integer slot = slots.get(row[xIndex]);
          double value = FigureData.parse(row[yIndex]);
          if (slot == null || !Double.isFinite(value)) {
            continue;
          }
          double base = stacked[slot];
          stacked[slot] += value;
          yRange.add(stacked[slot]);
          Color fill = spec.series().isEmpty() && OTHER.equals(row[xIndex]) ? OTHER_FILL : color;
          bars.add(new Mark.Bar(series.getKey().isEmpty() ? null : series.getKey(), row[xIndex],
              slot, HALF_WIDTH, base, stacked[slot], fill));
        }
      }
      int chars = Math.max(4, (int) (plotWidth / Math.max(1, slots.size()) / CHAR_WIDTH));
      List<String> labels = slots.keySet().stream().map(label -> shorten(label, chars)).toList();
      panels.add(new Figure.Panel(panel.getKey(), Scale.categories(labels, MAX_CATEGORIES),
          yRange.scale(spec.yAxis()), bars));
    }
    return new Figure(spec.title(), spec.xLabel(), spec.yLabel(), panels,
        groups.legend(Figure.Swatch.DOT), notes, null);
  }

  /**
   * A tick label without what precedes its last {@code /} (a model's organisation), cut to
   * {@code chars} characters with an ellipsis.
   */
  private static String shorten(String label, int chars) {
    String name = label.endsWith("/") ? label : label.substring(label.lastIndexOf('/') + 1);
    return name.length() <= chars ? name : name.substring(0, chars - 1) + "\u2026";
  }
}
