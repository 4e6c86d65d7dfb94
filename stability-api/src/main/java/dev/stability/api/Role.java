package dev.stability.api;

/**
 * The role an instance plays in an active/standby pair (R9). The role in a {@link ServiceIdentity}
 * is the role at start; a switchover changes the runtime's current role.
 */
public enum Role {
  /** Accepts and journals input; its journal is the source of truth. */
  PRIMARY,
  /** Follows the primary's journal with its own implementation, ready to take over. */
  STANDBY,
  /**
   * Not known: written only on ordinary log lines of a process that did not say (a standby's lines
   * must never claim to be the primary's). A {@link ServiceIdentity} refuses it.
   */
  UNKNOWN
}
