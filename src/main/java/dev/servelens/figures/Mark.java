package dev.servelens.figures;

import dev.servelens.figures.Canvas.Stroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/** Something drawn inside a panel's plot area, in data coordinates. */
interface Mark {
  /** Data series drawn with markers at most this long; longer ones are drawn as plain lines. */
  int MARKER_LIMIT = 60;

  void draw(Canvas canvas, Frame frame);

  /**
   * A data series as a line through its points, in the given order; with {@code markers} every
   * point also gets a circle, and {@code step} draws a staircase (a CDF of discrete values).
   */
  record Line(String label, Color color, double width, double[] xs, double[] ys, boolean step,
      boolean markers) implements Mark {
    @Override
    public void draw(Canvas canvas, Frame frame) {
      List<double[]> points = new ArrayList<>();
      for (int i = 0; i < xs.length; i++) {
        if (frame.accepts(xs[i], ys[i])) {
          points.add(new double[] {frame.px(xs[i]), frame.py(ys[i])});
        }
      }
      List<double[]> vertices = step ? staircase(points) : points;
      double[] px = new double[vertices.size()];
      double[] py = new double[vertices.size()];
      for (int i = 0; i < vertices.size(); i++) {
        px[i] = vertices.get(i)[0];
        py[i] = vertices.get(i)[1];
      }
      canvas.polyline(px, py, Stroke.solid(color, width), step ? "series step" : "series", label);
      if (markers) {
        for (double[] point : points) {
          canvas.circle(point[0], point[1], 2.5, color, null, "point", label);
        }
      }
    }

    private static List<double[]> staircase(List<double[]> points) {
      List<double[]> steps = new ArrayList<>();
      for (int i = 0; i < points.size(); i++) {
        if (i > 0) {
          steps.add(new double[] {points.get(i)[0], points.get(i - 1)[1]});
        }
        steps.add(points.get(i));
      }
      return steps;
    }
  }

  /** Unconnected points; {@code hollow} draws rings (highlights) instead of dots. */
  record Points(String label, String role, Color color, double radius, boolean hollow,
      double[] xs, double[] ys) implements Mark {
    @Override
    public void draw(Canvas canvas, Frame frame) {
      for (int i = 0; i < xs.length; i++) {
        if (frame.accepts(xs[i], ys[i])) {
          canvas.circle(frame.px(xs[i]), frame.py(ys[i]), radius, hollow ? null : color,
              hollow ? Stroke.solid(color, 2) : Stroke.solid(Color.WHITE, 0.8), role, label);
        }
      }
    }
  }

  /** A box of p25..p75 with the median, whiskers to p5 and p95 and the mean as a dot. */
  record Box(double x, double halfWidth, double p5, double p25, double p50, double p75, double p95,
      double mean, Color color) implements Mark {
    @Override
    public void draw(Canvas canvas, Frame frame) {
      if (!frame.accepts(x, p5) || !frame.accepts(x, p95) || !frame.y().accepts(p25)) {
        return;
      }
      double left = frame.px(x - halfWidth);
      double right = frame.px(x + halfWidth);
      double center = frame.px(x);
      Stroke outline = Stroke.solid(Palette.AXIS, 1);
      canvas.line(center, frame.py(p95), center, frame.py(p75), outline, "whisker");
      canvas.line(center, frame.py(p25), center, frame.py(p5), outline, "whisker");
      double top = frame.py(p75);
      canvas.rect(left, top, right - left, frame.py(p25) - top, color, outline, "box");
      canvas.line(left, frame.py(p50), right, frame.py(p50), Stroke.solid(Color.BLACK, 1.6),
          "median");
      if (frame.y().accepts(mean)) {
        canvas.circle(center, frame.py(mean), 2.2, Color.WHITE, Stroke.solid(Color.BLACK, 1),
            "mean", null);
      }
    }
  }

  /**
   * A bar (or a stacked segment of one) of the series {@code label} for {@code category},
   * centred on slot {@code x}, from {@code y0} up to {@code y1}.
   */
  record Bar(String label, String category, double x, double halfWidth, double y0, double y1,
      Color color) implements Mark {
    /** The value the bar stands for: its height. */
    double value() {
      return y1 - y0;
    }

    @Override
    public void draw(Canvas canvas, Frame frame) {
      if (!frame.accepts(x, y0) || !frame.y().accepts(y1)) {
        return;
      }
      double left = frame.px(x - halfWidth);
      double top = frame.py(y1);
      canvas.rect(left, top, frame.px(x + halfWidth) - left, frame.py(y0) - top, color,
          Stroke.solid(Color.WHITE, 0.8), "bar");
    }
  }

  /** The line y = x across the part of the plot area where both scales overlap. */
  record Identity(String label) implements Mark {
    @Override
    public void draw(Canvas canvas, Frame frame) {
      double low = Math.max(frame.x().low(), frame.y().low());
      double high = Math.min(frame.x().high(), frame.y().high());
      if (!(high > low) || !frame.accepts(low, low)) {
        return;
      }
      canvas.polyline(new double[] {frame.px(low), frame.px(high)},
          new double[] {frame.py(low), frame.py(high)}, new Stroke(Palette.MUTED, 1.2, true),
          "identity", label);
    }
  }

  /** A filled rectangle spanning [x0, x1] x [y0, y1] (a heatmap cell). */
  record Cell(double x0, double x1, double y0, double y1, Color fill) implements Mark {
    @Override
    public void draw(Canvas canvas, Frame frame) {
      if (!frame.accepts(x0, y0) || !frame.accepts(x1, y1)) {
        return;
      }
      double left = frame.px(x0);
      double top = frame.py(y1);
      canvas.rect(left, top, frame.px(x1) - left, frame.py(y0) - top, fill, null, "cell");
    }
  }

  /** A dashed vertical line at {@code x} with a label at its top. */
  record VerticalRule(double x, String label, Color color) implements Mark {
    @Override
    public void draw(Canvas canvas, Frame frame) {
      if (!frame.x().accepts(x) || frame.x().unit(x) < 0 || frame.x().unit(x) > 1) {
        return;
      }
      double px = frame.px(x);
      canvas.line(px, frame.top(), px, frame.top() + frame.height(),
          new Stroke(color, 1.5, true), "cutoff");
      canvas.text(px + 4, frame.top() + 12, label,
          Canvas.TextStyle.of(11, Canvas.Anchor.START).inColor(color), "cutoff-label");
    }
  }
}
