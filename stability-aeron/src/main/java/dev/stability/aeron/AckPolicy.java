package dev.stability.aeron;

/**
 * When the primary's journal calls a record durable, and so when a client may be acknowledged (R9,
 * R18).
 */
public enum AckPolicy {
  /**
   * On local durability alone (the journal's flush policy). Replication runs behind: what a
   * failover can lose is the replication lag, reported as {@code stability.replication.lag} and by
   * {@code REPLICATION_LAG_HIGH}.
   */
  ASYNC,

  /**
   * Only once a standby confirmed it journaled the record too (under its own flush policy). On a
   * confirmation timeout the primary either degrades to ASYNC with an event, or refuses new input,
   * as {@link ReplicationSettings#onConfirmTimeout()} says.
   */
  SEMI_SYNC
}
