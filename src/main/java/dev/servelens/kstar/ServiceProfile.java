package dev.servelens.kstar;

import java.io.Serializable;

/**
 * The timing model of one served model: a prefill of {@code t} tokens takes {@code alphaP +
 * betaP * t} seconds, a decode step with {@code j} running requests takes {@code alphaD + betaD
 * * j} seconds.
 *
 * <p>Example ({@code --profile 0.015,0.00006,0.012,0.0001}): 15 ms fixed prefill cost, 60 us per
 * prompt token (about 16k tokens/s), 12 ms per decode step plus 0.1 ms per running request, in
 * the range the seed experiment measured for a 7B model on one A100.
 */
public record ServiceProfile(double alphaP, double betaP, double alphaD, double betaD)
    implements Serializable {

  public ServiceProfile {
    check(alphaP, "alpha_p");
    check(betaP, "beta_p");
    check(alphaD, "alpha_d");
    check(betaD, "beta_d");
    if (alphaD + betaD <= 0) {
      throw new IllegalArgumentException("alpha_d + beta_d must be positive: a decode step takes time");
    }
  }

  private static void check(double value, String name) {
    if (!Double.isFinite(value) || value < 0) {
      throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + value);
    }
  }

  /** Parses {@code alpha_p,beta_p,alpha_d,beta_d} (seconds, seconds per token, ...). */
  public static ServiceProfile parse(String text) {
    String[] parts = text.split(",");
    if (parts.length != 4) {
      throw new IllegalArgumentException(
          "profile must be alpha_p,beta_p,alpha_d,beta_d (4 numbers), got '" + text + "'");
    }
    double[] values = new double[4];
    for (int i = 0; i < 4; i++) {
      try {
        values[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("profile: not a number '" + parts[i] + "'");
      }
    }
    return new ServiceProfile(values[0], values[1], values[2], values[3]);
  }

  /** Seconds of one decode step with {@code running} requests in the batch. */
  public double decodeStepSeconds(int running) {
    return alphaD + betaD * running;
  }

  /** Seconds of one prefill over {@code tokens} prompt tokens in all. */
  public double prefillSeconds(long tokens) {
    return alphaP + betaP * tokens;
  }
}
