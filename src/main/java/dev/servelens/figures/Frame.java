package dev.servelens.figures;

/** The plot area of one panel in figure units, and the scales that map data into it. */
record Frame(double left, double top, double width, double height, Scale x, Scale y) {
  double px(double value) {
    return left + x.unit(value) * width;
  }

  double py(double value) {
    return top + (1 - y.unit(value)) * height;
  }

  /** Whether both scales can place the point (a log scale drops values <= 0). */
  boolean accepts(double xValue, double yValue) {
    return x.accepts(xValue) && y.accepts(yValue);
  }
}
