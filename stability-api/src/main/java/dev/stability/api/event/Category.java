package dev.stability.api.event;

import java.util.Locale;

/**
 * The log category of a record (R4: logs are stored centrally by category). Each category has its
 * own SLF4J logger, {@code stability.<category>}, so a backend can route them to separate stores.
 */
public enum Category {
  /** Business facts: orders accepted or rejected, trades, positions. */
  BUSINESS,
  /** Operations on the system: switchovers, approvals, configuration changes (R5). */
  OPERATION,
  /** The system's own state: guards, health, capacity, journal, replication. */
  SYSTEM,
  /** Authentication, authorisation, tampering. */
  SECURITY,
  /** Calls across interfaces to other systems (R17). */
  INTERFACE;

  private final String loggerName = "stability." + name().toLowerCase(Locale.ROOT);

  /** The SLF4J logger name records of this category are written to. */
  public String loggerName() {
    return loggerName;
  }
}
