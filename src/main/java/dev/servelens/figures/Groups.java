package dev.servelens.figures;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits figure rows into panels and series, keeps the all-traffic group {@code *} first and
 * at most {@link #MAX_PANELS} panels and {@link #MAX_SERIES} coloured series (notes say how
 * many were left out: the CSV keeps them all), and gives each series one colour per figure.
 */
final class Groups {
  static final int MAX_PANELS = 12;
  static final int MAX_SERIES = Palette.SERIES_COLORS;
  /** The label of the all-traffic group {@code *}. */
  static final String ALL_LABEL = "all (*)";
  /** The column that names the series of tidy figure data. */
  static final String SERIES = "series";

  private final Map<String, Color> colors = new LinkedHashMap<>();
  private int colored;

  /**
   * The series label of a key cell: a number is shown as {@code column=value}, except in the
   * {@code series} column, whose values are names (a numeric job id stays {@code 3667}).
   */
  static String label(String column, String value) {
    if (Palette.ALL_SERIES.equals(value)) {
      return ALL_LABEL;
    }
    return SERIES.equals(column) || Double.isNaN(FigureData.parse(value)) ? value
        : column + "=" + value;
  }

  /** The rows by panel (one untitled panel when the spec has no panel column), capped. */
  static Map<String, List<String[]>> panels(FigureSpec spec, FigureData data,
      List<String> notes) {
    if (spec.panel() == null) {
      Map<String, List<String[]>> single = new LinkedHashMap<>();
      single.put(null, data.rows());
      return single;
    }
    Map<String, List<String[]>> panels = data.groupBy(List.of(spec.panel()), Groups::label);
    int hasAll = panels.containsKey(ALL_LABEL) ? 1 : 0;
    return capped(panels, MAX_PANELS - hasAll, "panels", notes);
  }

  /** The rows of one panel by series, capped to the coloured series plus {@code *}. */
  static Map<String, List<String[]>> series(FigureSpec spec, FigureData data, List<String[]> rows,
      List<String> notes) {
    return capped(new FigureData(data.columns(), rows).groupBy(spec.series(), Groups::label),
        MAX_SERIES, "series", notes);
  }

  /** {@code *} and at most {@code maxOthers} other groups, in order. */
  private static Map<String, List<String[]>> capped(Map<String, List<String[]>> groups,
      int maxOthers, String what, List<String> notes) {
    Map<String, List<String[]>> kept = new LinkedHashMap<>();
    List<String[]> all = groups.get(ALL_LABEL);
    if (all != null) {
      kept.put(ALL_LABEL, all);
    }
    int others = 0;
    int omitted = 0;
    for (Map.Entry<String, List<String[]>> group : groups.entrySet()) {
      if (kept.containsKey(group.getKey())) {
        continue;
      }
      if (others < maxOthers) {
        kept.put(group.getKey(), group.getValue());
        others++;
      } else {
        omitted++;
      }
    }
    if (omitted > 0) {
      String note = omitted + " more " + what + " not drawn (the CSV has them all)";
      if (!notes.contains(note)) {
        notes.add(note);
      }
    }
    return kept;
  }

  /** The colour of a series label: black for {@code *}, else the next palette colour. */
  Color color(String label) {
    return colors.computeIfAbsent(label, key -> ALL_LABEL.equals(key)
        ? Color.BLACK : Palette.series(colored++));
  }

  /** One legend entry per series coloured so far, in order. */
  List<Figure.LegendEntry> legend(Figure.Swatch swatch) {
    List<Figure.LegendEntry> legend = new ArrayList<>();
    colors.forEach((label, color) -> {
      if (!label.isEmpty()) {
        legend.add(new Figure.LegendEntry(label, color, swatch));
      }
    });
    return legend;
  }
}
