package dev.servelens.figures;

import dev.servelens.figures.Canvas.Anchor;
import dev.servelens.figures.Canvas.Stroke;
import dev.servelens.figures.Canvas.TextStyle;
import dev.servelens.figures.Figure.LegendEntry;
import dev.servelens.figures.Figure.Panel;

/**
 * Lays a {@link Figure} out and draws it on a {@link Canvas}: title, a grid of panels (up to
 * three per row) with grid lines, ticks and axis labels, the legend or colour bar on the right
 * and the notes at the bottom. The layout depends only on the figure, so the SVG and the PNG
 * drawn from one figure match.
 */
final class FigureRenderer {
  private static final double MARGIN = 16;
  private static final double TITLE_HEIGHT = 40;
  private static final double NOTE_LINE = 16;
  private static final double AXIS_LEFT = 72;
  private static final double AXIS_BOTTOM = 50;
  private static final double PANEL_TITLE = 22;
  private static final double PANEL_GAP = 18;
  private static final double TICK_FONT = 11;
  private static final double LABEL_FONT = 13;
  private static final double LEGEND_FONT = 11.5;
  private static final double LEGEND_LINE = 18;
  private static final int LABEL_CHARS = 42;

  private final Figure figure;
  private final int columns;
  private final int rows;
  private final double plotWidth;
  private final double plotHeight;
  private final double legendWidth;

  FigureRenderer(Figure figure) {
    this.figure = figure;
    int panels = Math.max(1, figure.panels().size());
    this.columns = panels == 1 ? 1 : Math.min(3, panels);
    this.rows = (panels + columns - 1) / columns;
    this.plotWidth = panels == 1 ? 620 : 300;
    this.plotHeight = panels == 1 ? 400 : 210;
    this.legendWidth = legendWidth(figure);
  }

  double width() {
    return MARGIN + columns * cellWidth() + legendWidth + MARGIN;
  }

  double height() {
    return TITLE_HEIGHT + rows * cellHeight() + MARGIN + figure.notes().size() * NOTE_LINE;
  }

  private double cellWidth() {
    return AXIS_LEFT + plotWidth + PANEL_GAP;
  }

  private double cellHeight() {
    return PANEL_TITLE + plotHeight + AXIS_BOTTOM;
  }

  void draw(Canvas canvas) {
    canvas.rect(0, 0, width(), height(), java.awt.Color.WHITE, null, "background");
    canvas.text(MARGIN, 26, figure.title(), TextStyle.of(17, Anchor.START).inBold(), "title");
    for (int i = 0; i < figure.panels().size(); i++) {
      double left = MARGIN + (i % columns) * cellWidth() + AXIS_LEFT;
      double top = TITLE_HEIGHT + (i / columns) * cellHeight() + PANEL_TITLE;
      drawPanel(canvas, figure.panels().get(i), left, top);
    }
    double legendLeft = MARGIN + columns * cellWidth() + 4;
    if (figure.colorBar() != null) {
      drawColorBar(canvas, legendLeft, TITLE_HEIGHT + PANEL_TITLE);
    } else {
      drawLegend(canvas, legendLeft, TITLE_HEIGHT + PANEL_TITLE);
    }
    double noteTop = TITLE_HEIGHT + rows * cellHeight() + MARGIN;
    for (String note : figure.notes()) {
      canvas.text(MARGIN, noteTop, note, TextStyle.of(11.5, Anchor.START).inColor(Palette.MUTED),
          "note");
      noteTop += NOTE_LINE;
    }
  }

  private void drawPanel(Canvas canvas, Panel panel, double left, double top) {
    Frame frame = new Frame(left, top, plotWidth, plotHeight, panel.x(), panel.y());
    if (panel.title() != null) {
      canvas.text(left + plotWidth / 2, top - 7, shorten(panel.title()),
          TextStyle.of(12.5, Anchor.MIDDLE).inBold(), "panel-title");
    }
    canvas.rect(left, top, plotWidth, plotHeight, null, Stroke.solid(Palette.GRID, 1), "frame");
    for (Scale.Tick tick : panel.x().ticks()) {
      double x = frame.px(tick.value());
      if (x < left - 0.5 || x > left + plotWidth + 0.5) {
        continue;
      }
      if (tick.major()) {
        canvas.line(x, top, x, top + plotHeight, Stroke.solid(Palette.GRID, 0.8), "grid");
        canvas.text(x, top + plotHeight + 16, tick.label(), TextStyle.of(TICK_FONT, Anchor.MIDDLE),
            "tick-label x");
      }
      canvas.line(x, top + plotHeight, x, top + plotHeight + (tick.major() ? 5 : 3),
          Stroke.solid(Palette.AXIS, 1), "tick");
    }
    for (Scale.Tick tick : panel.y().ticks()) {
      double y = frame.py(tick.value());
      if (y < top - 0.5 || y > top + plotHeight + 0.5) {
        continue;
      }
      if (tick.major()) {
        canvas.line(left, y, left + plotWidth, y, Stroke.solid(Palette.GRID, 0.8), "grid");
        canvas.text(left - 8, y + 4, tick.label(), TextStyle.of(TICK_FONT, Anchor.END),
            "tick-label y");
      }
      canvas.line(left - (tick.major() ? 5 : 3), y, left, y, Stroke.solid(Palette.AXIS, 1),
          "tick");
    }
    for (Mark mark : panel.marks()) {
      mark.draw(canvas, frame);
    }
    Stroke axis = Stroke.solid(Palette.AXIS, 1.2);
    canvas.line(left, top + plotHeight, left + plotWidth, top + plotHeight, axis, "axis x");
    canvas.line(left, top, left, top + plotHeight, axis, "axis y");
    canvas.text(left + plotWidth / 2, top + plotHeight + 38, figure.xLabel(),
        TextStyle.of(LABEL_FONT, Anchor.MIDDLE), "axis-label x");
    canvas.text(left - AXIS_LEFT + 16, top + plotHeight / 2, figure.yLabel(),
        TextStyle.of(LABEL_FONT, Anchor.MIDDLE).rotated(), "axis-label y");
  }

  private void drawLegend(Canvas canvas, double left, double top) {
    double y = top + 6;
    for (LegendEntry entry : figure.legend()) {
      switch (entry.swatch()) {
        case LINE -> canvas.line(left, y, left + 22, y, Stroke.solid(entry.color(), 2.5),
            "legend-swatch");
        case DOT -> canvas.circle(left + 11, y, 4, entry.color(), null, "legend-swatch", null);
        case RING -> canvas.circle(left + 11, y, 5, null, Stroke.solid(entry.color(), 2),
            "legend-swatch", null);
      }
      canvas.text(left + 28, y + 4, shorten(entry.label()),
          TextStyle.of(LEGEND_FONT, Anchor.START), "legend-label");
      y += LEGEND_LINE;
    }
  }

  private void drawColorBar(Canvas canvas, double left, double top) {
    Figure.ColorBar bar = figure.colorBar();
    double height = Math.min(plotHeight, 260);
    int steps = 64;
    for (int i = 0; i < steps; i++) {
      double y = top + height - (i + 1) * height / steps;
      canvas.rect(left, y, 18, height / steps + 0.6, Palette.ramp((i + 0.5) / steps), null,
          "colorbar");
    }
    canvas.rect(left, top, 18, height, null, Stroke.solid(Palette.AXIS, 1), "colorbar-frame");
    for (Scale.Tick tick : bar.scale().ticks()) {
      double unit = bar.scale().unit(tick.value());
      if (!tick.major() || unit < -1e-9 || unit > 1 + 1e-9) {
        continue;
      }
      double y = top + (1 - unit) * height;
      canvas.line(left + 18, y, left + 23, y, Stroke.solid(Palette.AXIS, 1), "tick");
      canvas.text(left + 26, y + 4, tick.label(), TextStyle.of(TICK_FONT, Anchor.START),
          "tick-label colorbar");
    }
    canvas.text(left, top + height + 22, bar.label(), TextStyle.of(LEGEND_FONT, Anchor.START),
        "colorbar-label");
  }

  private static double legendWidth(Figure figure) {
    if (figure.colorBar() != null) {
      return Math.max(90, figure.colorBar().label().length() * LEGEND_FONT * 0.6);
    }
    int longest = 0;
    for (LegendEntry entry : figure.legend()) {
      longest = Math.max(longest, shorten(entry.label()).length());
    }
    return longest == 0 ? 0 : 36 + longest * LEGEND_FONT * 0.62;
  }

  /** A label cut to {@value #LABEL_CHARS} characters with an ellipsis. */
  static String shorten(String label) {
    return label.length() <= LABEL_CHARS ? label : label.substring(0, LABEL_CHARS - 1) + "\u2026";
  }
}
