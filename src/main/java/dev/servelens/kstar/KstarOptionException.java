package dev.servelens.kstar;

/**
 * A value of an {@code analyze kstar} option that the catalog or the file it names cannot
 * satisfy (a profile that is not there, a lengths file missing or malformed); the message names
 * the option and the value. The command reports it as a usage error.
 */
public final class KstarOptionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public KstarOptionException(String message) {
    super(message);
  }
}
