package dev.stability.aeron;

/** What a SEMI_SYNC primary does when no standby confirms a record within the timeout. */
public enum ConfirmTimeoutAction {
  /**
   * Acknowledge on local durability (as ASYNC) with a {@code REPLICATION_CONFIRM_TIMEOUT} event,
   * and return to SEMI_SYNC ({@code REPLICATION_SEMI_SYNC_RESTORED}) once a standby confirmed
   * everything again. Availability first: the default.
   */
  DEGRADE,

  /**
   * Refuse new input ({@link ReplicationUnavailableException} from {@code append}) until a standby
   * confirmed everything again. Zero loss first.
   */
  REFUSE
}
