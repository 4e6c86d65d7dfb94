package dev.stability.core.capacity;

import dev.stability.api.StabilityException;
import java.nio.file.Path;

/**
 * The capacity store could not be read (R1): the historical peak is never silently reset to zero,
 * so the runtime refuses to start until the file is repaired, restored, or removed on purpose.
 */
public final class CapacityStoreException extends StabilityException {
  private static final long serialVersionUID = 1L;

  private final transient Path store;

  /** Creates the exception for {@code store} with the problem found. */
  public CapacityStoreException(Path store, String problem, Throwable cause) {
    super(
        "capacity store "
            + store
            + " is damaged: "
            + problem
            + ". The historical peak was not reset to zero: repair the file or restore it from a"
            + " backup; delete it only to start a new history on purpose",
        cause);
    this.store = store;
  }

  /** The file that could not be read. */
  public Path store() {
    return store;
  }
}
