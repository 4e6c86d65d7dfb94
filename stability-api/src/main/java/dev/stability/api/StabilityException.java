package dev.stability.api;

import org.jspecify.annotations.Nullable;

/**
 * Root of the SDK's exception family. Every exception the SDK throws on purpose extends this type,
 * so callers can catch SDK failures separately from their own. Subclasses carry the name of the
 * guard, check, record or configuration key involved.
 */
public class StabilityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message that says what went wrong and with what.
   *
   * @param message the full, human-readable description
   */
  public StabilityException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the underlying cause.
   *
   * @param message the full, human-readable description
   * @param cause the failure that led to this one
   */
  public StabilityException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * For exceptions raised on a hot path as a normal outcome (a rejection): no stack trace is
   * captured, which is the expensive part of creating an exception.
   *
   * @param message the full, human-readable description
   * @param cause the failure that led to this one, or {@code null}
   * @param writableStackTrace whether a stack trace is captured
   */
  protected StabilityException(String message, Throwable cause, boolean writableStackTrace) {
    super(message, cause, true, writableStackTrace);
  }
}
