package dev.servelens.figures;

import java.awt.Color;
import java.util.List;

/**
 * What one figure shows, independent of how it is drawn: a title, one or more panels sharing
 * axis labels, the legend, notes (e.g. series left out) and, for heatmaps, a colour bar.
 */
record Figure(String title, String xLabel, String yLabel, List<Panel> panels,
    List<LegendEntry> legend, List<String> notes, ColorBar colorBar) {

  /** One plot area with its own scales; {@code title} is null for a single-panel figure. */
  record Panel(String title, Scale x, Scale y, List<Mark> marks) {}

  /** A legend line: a line swatch, a dot, or a ring. */
  record LegendEntry(String label, Color color, Swatch swatch) {}

  /** How a legend entry is drawn. */
  enum Swatch { LINE, DOT, RING }

  /** The scale of a colour-coded value, drawn as a bar of the palette's ramp. */
  record ColorBar(String label, Scale scale) {}
}
