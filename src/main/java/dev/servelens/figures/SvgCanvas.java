package dev.servelens.figures;

import java.awt.Color;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** A {@link Canvas} that writes standalone SVG 1.1 text. */
final class SvgCanvas implements Canvas {
  static final String FONT_FAMILY = "'DejaVu Sans', Verdana, Arial, sans-serif";

  private final StringBuilder svg = new StringBuilder();

  /** Starts a document of {@code width x height} units whose accessible title is {@code title}. */
  SvgCanvas(double width, double height, String title) {
    svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"")
        .append(number(width)).append("\" height=\"").append(number(height))
        .append("\" viewBox=\"0 0 ").append(number(width)).append(' ').append(number(height))
        .append("\" font-family=\"").append(escape(FONT_FAMILY)).append("\">\n")
        .append("<title>").append(escape(title)).append("</title>\n");
  }

  /** The finished document. */
  String finish() {
    return svg + "</svg>\n";
  }

  @Override
  public void rect(double x, double y, double width, double height, Color fill, Stroke stroke,
      String role) {
    svg.append("<rect class=\"").append(escape(role)).append("\" x=\"").append(number(x))
        .append("\" y=\"").append(number(y)).append("\" width=\"").append(number(width))
        .append("\" height=\"").append(number(height)).append('"');
    fill(fill);
    stroke(stroke);
    svg.append("/>\n");
  }

  @Override
  public void line(double x1, double y1, double x2, double y2, Stroke stroke, String role) {
    svg.append("<line class=\"").append(escape(role)).append("\" x1=\"").append(number(x1))
        .append("\" y1=\"").append(number(y1)).append("\" x2=\"").append(number(x2))
        .append("\" y2=\"").append(number(y2)).append('"');
    stroke(stroke);
    svg.append("/>\n");
  }

  @Override
  public void polyline(double[] xs, double[] ys, Stroke stroke, String role, String label) {
    svg.append("<polyline class=\"").append(escape(role)).append('"');
    label(label);
    svg.append(" fill=\"none\" stroke-linejoin=\"round\" points=\"");
    for (int i = 0; i < xs.length; i++) {
      svg.append(i == 0 ? "" : " ").append(number(xs[i])).append(',').append(number(ys[i]));
    }
    svg.append('"');
    stroke(stroke);
    svg.append("/>\n");
  }

  @Override
  public void circle(double cx, double cy, double radius, Color fill, Stroke stroke, String role,
      String label) {
    svg.append("<circle class=\"").append(escape(role)).append('"');
    label(label);
    svg.append(" cx=\"").append(number(cx)).append("\" cy=\"").append(number(cy))
        .append("\" r=\"").append(number(radius)).append('"');
    fill(fill);
    stroke(stroke);
    svg.append("/>\n");
  }

  @Override
  public void text(double x, double y, String text, TextStyle style, String role) {
    svg.append("<text class=\"").append(escape(role)).append("\" x=\"").append(number(x))
        .append("\" y=\"").append(number(y)).append("\" font-size=\"")
        .append(number(style.size())).append("\" text-anchor=\"")
        .append(switch (style.anchor()) {
          case START -> "start";
          case MIDDLE -> "middle";
          case END -> "end";
        }).append('"');
    if (style.bold()) {
      svg.append(" font-weight=\"bold\"");
    }
    if (!Color.BLACK.equals(style.color())) {
      svg.append(" fill=\"").append(hex(style.color())).append('"');
    }
    if (style.vertical()) {
      svg.append(" transform=\"rotate(-90 ").append(number(x)).append(' ').append(number(y))
          .append(")\"");
    }
    svg.append('>').append(escape(text)).append("</text>\n");
  }

  private void label(String label) {
    if (label != null) {
      svg.append(" data-series=\"").append(escape(label)).append('"');
    }
  }

  private void fill(Color fill) {
    svg.append(" fill=\"").append(fill == null ? "none" : hex(fill)).append('"');
    if (fill != null && fill.getAlpha() < 255) {
      svg.append(" fill-opacity=\"").append(number(fill.getAlpha() / 255.0)).append('"');
    }
  }

  private void stroke(Stroke stroke) {
    if (stroke == null) {
      return;
    }
    svg.append(" stroke=\"").append(hex(stroke.color())).append("\" stroke-width=\"")
        .append(number(stroke.width())).append('"');
    if (stroke.dashed()) {
      svg.append(" stroke-dasharray=\"").append(number(stroke.width() * 4)).append(' ')
          .append(number(stroke.width() * 3)).append('"');
    }
  }

  static String hex(Color color) {
    return String.format(Locale.ROOT, "#%02x%02x%02x", color.getRed(), color.getGreen(),
        color.getBlue());
  }

  /** Coordinates to two decimals, without trailing zeros. */
  static String number(double value) {
    String text = twoDecimals(value);
    if (text.indexOf('.') >= 0) {
      text = text.replaceAll("0+$", "");
      if (text.endsWith(".")) {
        text = text.substring(0, text.length() - 1);
      }
    }
    return text.equals("-0") ? "0" : text;
  }

  /**
   * {@code String.format(Locale.ROOT, "%.2f", value)} without the formatter's cost (the SVG
   * of a figure has thousands of numbers): the shortest decimal of the value rounded half up
   * to two places, as the formatter rounds it.
   */
  static String twoDecimals(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return String.format(Locale.ROOT, "%.2f", value);
    }
    String text = new BigDecimal(Double.toString(value)).setScale(2, RoundingMode.HALF_UP)
        .toPlainString();
    // The formatter keeps the sign of a negative value that rounds to zero ("-0.00").
    boolean negative = value < 0 || (value == 0 && 1 / value < 0);
    return negative && !text.startsWith("-") ? "-" + text : text;
  }

  private static String escape(String text) {
    return XmlEscape.text(text);
  }
}
