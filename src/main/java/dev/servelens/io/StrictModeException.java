package dev.servelens.io;

/** Raised by {@code --strict} ingests at the first rejected record, naming where it is. */
public final class StrictModeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StrictModeException(String message) {
    super(message);
  }
}
