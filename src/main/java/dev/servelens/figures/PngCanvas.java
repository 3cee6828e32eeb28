package dev.servelens.figures;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/**
 * A {@link Canvas} that draws with headless Java2D into an image {@code scale} times the figure's
 * size (2 by default, sharp enough for print), encoded as PNG by {@link #finish()}.
 */
final class PngCanvas implements Canvas {
  static final String FONT_NAME = "DejaVu Sans";

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private final BufferedImage image;
  private final Graphics2D graphics;

  PngCanvas(double width, double height, double scale) {
    image = new BufferedImage((int) Math.ceil(width * scale), (int) Math.ceil(height * scale),
        BufferedImage.TYPE_INT_RGB);
    graphics = image.createGraphics();
    graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    graphics.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    graphics.setColor(Color.WHITE);
    graphics.fillRect(0, 0, image.getWidth(), image.getHeight());
    graphics.scale(scale, scale);
  }

  /** The image as PNG bytes. */
  byte[] finish() {
    graphics.dispose();
    return PngEncoder.encode(image);
  }

  @Override
  public void rect(double x, double y, double width, double height, Color fill, Stroke stroke,
      String role) {
    Rectangle2D shape = new Rectangle2D.Double(x, y, width, height);
    if (fill != null) {
      graphics.setColor(fill);
      graphics.fill(shape);
    }
    outline(shape, stroke);
  }

  @Override
  public void line(double x1, double y1, double x2, double y2, Stroke stroke, String role) {
    outline(new Line2D.Double(x1, y1, x2, y2), stroke);
  }

  @Override
  public void polyline(double[] xs, double[] ys, Stroke stroke, String role, String label) {
    if (xs.length == 0) {
      return;
    }
    Path2D.Double path = new Path2D.Double();
    path.moveTo(xs[0], ys[0]);
    for (int i = 1; i < xs.length; i++) {
      path.lineTo(xs[i], ys[i]);
    }
    outline(path, stroke);
  }

  @Override
  public void circle(double cx, double cy, double radius, Color fill, Stroke stroke, String role,
      String label) {
    Ellipse2D shape = new Ellipse2D.Double(cx - radius, cy - radius, 2 * radius, 2 * radius);
    if (fill != null) {
      graphics.setColor(fill);
      graphics.fill(shape);
    }
    outline(shape, stroke);
  }

  @Override
  public void text(double x, double y, String text, TextStyle style, String role) {
    Font font = new Font(FONT_NAME, style.bold() ? Font.BOLD : Font.PLAIN, 1)
        .deriveFont((float) style.size());
    graphics.setFont(font);
    graphics.setColor(style.color());
    FontMetrics metrics = graphics.getFontMetrics();
    double width = metrics.getStringBounds(text, graphics).getWidth();
    double shift = switch (style.anchor()) {
      case START -> 0;
      case MIDDLE -> -width / 2;
      case END -> -width;
    };
    AffineTransform saved = graphics.getTransform();
    graphics.translate(x, y);
    if (style.vertical()) {
      graphics.rotate(-Math.PI / 2);
    }
    graphics.drawString(text, (float) shift, 0f);
    graphics.setTransform(saved);
  }

  private void outline(java.awt.Shape shape, Stroke stroke) {
    if (stroke == null) {
      return;
    }
    float width = (float) stroke.width();
    graphics.setStroke(stroke.dashed()
        ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[] {width * 4, width * 3}, 0f)
        : new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    graphics.setColor(stroke.color());
    graphics.draw(shape);
  }
}
