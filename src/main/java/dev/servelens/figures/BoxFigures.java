package dev.servelens.figures;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Builds box-plot figures from box statistics rows ({@code p5, p25, p50, p75, p95, mean} per
 * category of x): a box per row, a panel per series, categories shared by every panel.
 */
final class BoxFigures {
  private BoxFigures() {}

  private static final Color FILL = new Color(0x9ecae1);
  private static final int LABELS_PER_PANEL = 16;
  private static final int LABELS_PER_SMALL_PANEL = 6;

  static Figure build(FigureSpec spec, FigureData data) {
    List<String> notes = new ArrayList<>();
    List<String> categories = categories(data, data.index(spec.x()));
    int xIndex = data.index(spec.x());
    int[] stats = FigureSpecs.BOX_COLUMNS.stream().mapToInt(data::index).toArray();
    Axes.Range yRange = new Axes.Range();
    List<String> titles = new ArrayList<>();
    List<List<Mark>> marks = new ArrayList<>();
    for (Map.Entry<String, List<String[]>> panel : Groups.panels(spec, data, notes).entrySet()) {
      List<Mark> boxes = new ArrayList<>();
      for (String[] row : panel.getValue()) {
        double[] v = new double[stats.length];
        for (int i = 0; i < stats.length; i++) {
          v[i] = FigureData.parse(row[stats[i]]);
          yRange.add(v[i]);
        }
        boxes.add(new Mark.Box(categories.indexOf(row[xIndex]), 0.32, v[0], v[1], v[2], v[3],
            v[4], v[5], FILL));
      }
      titles.add(panel.getKey());
      marks.add(boxes);
    }
    Scale x = Scale.categories(categories.stream().map(BoxFigures::shortDate).toList(),
        marks.size() > 1 ? LABELS_PER_SMALL_PANEL : LABELS_PER_PANEL);
    Scale y = yRange.scale(spec.yAxis());
    List<Figure.Panel> panels = new ArrayList<>();
    for (int i = 0; i < marks.size(); i++) {
      panels.add(new Figure.Panel(titles.get(i), x, y, marks.get(i)));
    }
    return new Figure(spec.title(), spec.xLabel(), spec.yLabel(), panels, List.of(), notes, null);
  }

  /** The distinct categories, in numeric order when they are all numbers, else in text order. */
  private static List<String> categories(FigureData data, int index) {
    boolean numeric = data.rows().stream().allMatch(row -> !Double.isNaN(FigureData.parse(row[index])));
    TreeSet<String> sorted = new TreeSet<>(numeric
        ? java.util.Comparator.comparingDouble(FigureData::parse)
        : java.util.Comparator.naturalOrder());
    data.rows().forEach(row -> sorted.add(row[index]));
    return new ArrayList<>(sorted);
  }

  /** {@code 2025-01-15} as {@code 01-15}; other labels unchanged. */
  private static String shortDate(String label) {
    return label.matches("\\d{4}-\\d{2}-\\d{2}") ? label.substring(5) : label;
  }
}
