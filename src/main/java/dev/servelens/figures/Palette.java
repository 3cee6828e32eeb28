package dev.servelens.figures;

import java.awt.Color;

/**
 * Colours that stay apart in print and for colour-blind readers: the all-traffic series
 * {@code *} in black, the others in the ten "tab10" colours; a viridis-like ramp for heatmaps.
 */
final class Palette {
  private Palette() {}

  static final String ALL_SERIES = "*";
  static final Color GRID = new Color(0xdddddd);
  static final Color AXIS = new Color(0x333333);
  static final Color MUTED = new Color(0x555555);
  static final Color HIGHLIGHT = new Color(0xd62728);

  private static final Color[] SERIES = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
    new Color(0xbcbd22), new Color(0x17becf)
  };

  /** Number of distinct series colours. */
  static final int SERIES_COLORS = SERIES.length;

  private static final double[] RAMP_AT = {0, 0.25, 0.5, 0.75, 1};
  private static final Color[] RAMP = {
    new Color(0x440154), new Color(0x3b528b), new Color(0x21908d), new Color(0x5dc963),
    new Color(0xfde725)
  };

  /** The colour of the {@code index}-th coloured series. */
  static Color series(int index) {
    return SERIES[index % SERIES.length];
  }

  /** The ramp colour at {@code t} in [0, 1] (clamped), dark to light. */
  static Color ramp(double t) {
    double clamped = Math.max(0, Math.min(1, t));
    int i = 0;
    while (i < RAMP_AT.length - 2 && clamped > RAMP_AT[i + 1]) {
      i++;
    }
    double f = (clamped - RAMP_AT[i]) / (RAMP_AT[i + 1] - RAMP_AT[i]);
    Color a = RAMP[i];
    Color b = RAMP[i + 1];
    return new Color(mix(a.getRed(), b.getRed(), f), mix(a.getGreen(), b.getGreen(), f),
        mix(a.getBlue(), b.getBlue(), f));
  }

  private static int mix(int a, int b, double f) {
    return (int) Math.round(a + (b - a) * f);
  }
}
