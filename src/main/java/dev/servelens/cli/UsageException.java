package dev.servelens.cli;

/** A bad option value found after parsing; the command exits with code 2 like a parse error. */
final class UsageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
