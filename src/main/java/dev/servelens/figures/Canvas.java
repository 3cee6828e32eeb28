package dev.servelens.figures;

import java.awt.Color;

/**
 * The drawing surface a figure is drawn on, in figure units (1 unit = 1 SVG pixel). One figure
 * is drawn twice through this interface, once as SVG text and once into a PNG image, so both
 * files always show the same thing. {@code role} names what an element is (an SVG class, for
 * tests and styling); {@code label} is the data series it belongs to, or null.
 */
interface Canvas {

  /** How a line or an outline is drawn; a null stroke draws nothing. */
  record Stroke(Color color, double width, boolean dashed) {
    static Stroke solid(Color color, double width) {
      return new Stroke(color, width, false);
    }
  }

  /** Where a text is anchored horizontally. */
  enum Anchor { START, MIDDLE, END }

  /** Font size, weight, colour and anchor of a text; {@code vertical} rotates it by -90 degrees. */
  record TextStyle(double size, boolean bold, Color color, Anchor anchor, boolean vertical) {
    static TextStyle of(double size, Anchor anchor) {
      return new TextStyle(size, false, Color.BLACK, anchor, false);
    }

    TextStyle inBold() {
      return new TextStyle(size, true, color, anchor, vertical);
    }

    TextStyle rotated() {
      return new TextStyle(size, bold, color, anchor, true);
    }

    TextStyle inColor(Color newColor) {
      return new TextStyle(size, bold, newColor, anchor, vertical);
    }
  }

  void rect(double x, double y, double width, double height, Color fill, Stroke stroke,
      String role);

  void line(double x1, double y1, double x2, double y2, Stroke stroke, String role);

  void polyline(double[] xs, double[] ys, Stroke stroke, String role, String label);

  void circle(double cx, double cy, double radius, Color fill, Stroke stroke, String role,
      String label);

  void text(double x, double y, String text, TextStyle style, String role);
}
