package dev.stability.core.operations;

import dev.stability.api.StabilityException;
import java.nio.file.Path;

/**
 * The operation log cannot be opened or written (R5): operations that must be recorded are not
 * carried out unrecorded, so this stops them. The message names the file and what failed.
 */
public final class OperationLogException extends StabilityException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /** Creates the exception. */
  public OperationLogException(Path file, String message, Throwable cause) {
    super("operation log " + file + ": " + message, cause);
    this.file = file;
  }

  /** The file involved. */
  public Path file() {
    return file;
  }
}
