package dev.servelens.kstar;

import java.io.Serializable;

/**
 * A least-squares line {@code y = alpha + beta * x} with its coefficient of determination.
 *
 * <p>Ordinary least squares first; when its intercept is negative (a negative fixed cost means
 * nothing physically) the intercept is clamped to 0 and the slope is refit through the origin,
 * {@code beta = sum(x*y) / sum(x*x)}, so the line is the best one with {@code alpha = 0} rather
 * than the OLS slope with its intercept cut off. {@code r2 = 1 - SS_res / SS_tot} is the R^2 of
 * the line reported (after clamping), {@code SS_tot} about the mean of {@code y}; it is NaN when
 * every y is equal.
 */
public record LineFit(double alpha, double beta, double r2, long points, boolean clamped)
    implements Serializable {

  /** Fits from raw points. */
  public static LineFit of(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("x and y differ in length");
    }
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sx += x[i];
      sy += y[i];
      sxx += x[i] * x[i];
      sxy += x[i] * y[i];
      syy += y[i] * y[i];
    }
    return fromSums(x.length, sx, sy, sxx, sxy, syy);
  }

  /** Fits from the sums one aggregation pass gives: n, sum x, sum y, sum xx, sum xy, sum yy. */
  public static LineFit fromSums(
      long n, double sx, double sy, double sxx, double sxy, double syy) {
    double centeredXx = sxx - sx * sx / n;
    if (n < 2 || !(centeredXx > 1e-12 * Math.max(1.0, sxx))) {
      throw new IllegalArgumentException(
          "a line needs at least two distinct x values, got " + n + " point(s)");
    }
    double centeredXy = sxy - sx * sy / n;
    double centeredYy = syy - sy * sy / n;
    double beta = centeredXy / centeredXx;
    double alpha = (sy - beta * sx) / n;
    boolean clamped = false;
    double residual;
    if (alpha < 0) {
      clamped = true;
      alpha = 0;
      beta = sxy / sxx;
      residual = syy - 2 * beta * sxy + beta * beta * sxx;
    } else {
      residual = centeredYy - beta * centeredXy;
    }
    residual = Math.max(0.0, residual);
    double r2 = centeredYy > 0 ? 1.0 - residual / centeredYy : Double.NaN;
    return new LineFit(alpha, beta, r2, n, clamped);
  }
}
