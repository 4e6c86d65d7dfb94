package dev.stability.api.event;

import java.util.regex.Pattern;

/**
 * A documented event code: what the record means, its category and default level. The SDK's own
 * codes are the closed enum {@link StabilityEventCode}; applications declare theirs by implementing
 * this interface with their own enum, so their records share the schema and the catalog format.
 * Implementations must be immutable.
 */
public interface EventCode {

  /** Codes are upper-case words joined by underscores, 2 to 64 characters. */
  Pattern CODE_PATTERN = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");

  /** The stable code written to the {@code code} field; never changes once published. */
  String code();

  /** The log category records with this code belong to. */
  Category category();

  /** The default level; a record may override it. */
  Level level();

  /** One line saying what happened and, where it helps, what to do. */
  String meaning();
}
