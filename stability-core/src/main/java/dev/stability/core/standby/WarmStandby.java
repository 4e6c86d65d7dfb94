package dev.stability.core.standby;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The warm standby, reached through {@code runtime.warmStandby()}: the primary's resilience,
 * capacity, health and audit state, carried to the standby so that at a switch it takes over warm
 * rather than cold. An OPEN breaker stays open for the rest of its wait, a forced-open guard stays
 * forced until an operator resets it, adaptive limits and capacity peaks carry over, and the
 * operation log continues the primary's hash chain (the standby keeps a verified replica of it).
 * Guards marked {@code site-local} start fresh.
 *
 * <p>A transport carries the messages: {@link WarmLink} between two runtimes in one process, or
 * {@code stability-aeron}'s publisher beside the journal stream across hosts. Every few hundred
 * milliseconds the primary {@linkplain #export exports} its state with the operation-log records
 * the standby does not hold yet; the standby {@linkplain #accept accepts} it (never an older state
 * over a newer one) and reports its replica's head back. At promotion the switch controller calls
 * {@link #inherit()}. Nothing here touches the order path: capture reads a few volatile fields on
 * the transport's thread. Thread-safe.
 */
public interface WarmStandby {

  /**
   * Primary side: the state to send now, encoded, with the operation-log records after {@code
   * replicaSequence} (the head the standby last reported; 0 for none).
   *
   * @param epoch the primary's current epoch (its journal's), so a standby never takes state of an
   *     older epoch over a newer one
   */
  byte[] export(long epoch, long replicaSequence);

  /**
   * Standby side: takes a message from the primary. Older state than held is ignored; an unreadable
   * message, another system's, or operation-log records that do not continue the replica's chain
   * are refused with {@code WARM_STATE_REFUSED} naming what was wrong (a refused record is never
   * written; the state part of the message still applies).
   *
   * @return whether the message's state was taken
   */
  boolean accept(byte[] message);

  /** Standby side: how far its replica of the primary's operation log reaches. */
  ReplicaHead replicaHead();

  /**
   * Primary side: what the standby reported of its replica; {@code verify()} of this runtime's
   * operation log then also compares heads (records cut off the end of the primary's file show).
   */
  void standbyReported(String standby, ReplicaHead head);

  /** Standby side: the newest state received, if any. */
  Optional<Received> latest();

  /**
   * At promotion (the switch controller calls it after fencing, before the new primary takes
   * input): applies the newest state received, continues the operation log's chain from the
   * replica, records what was inherited and how old it was ({@code WARM_STATE_INHERITED}, and
   * {@code WARM_STATE_STALE} when older than the bound), in the event output and the operation log.
   * A switch controller that fails to take the state over reports {@code WARM_STATE_NOT_INHERITED}
   * and promotes all the same. With nothing received it changes nothing and says so.
   */
  Inheritance inherit();

  /** How this runtime carries and takes over state. */
  WarmStandbySettings settings();

  /**
   * The head of a chain.
   *
   * @param sequence the last record's {@code op_seq}, 0 for none
   * @param hash its hash
   */
  record ReplicaHead(long sequence, String hash) {}

  /**
   * The newest state a standby holds.
   *
   * @param from the primary's instance id
   * @param epoch the primary's epoch when it was captured
   * @param version the primary's version counter
   * @param capturedAt when the primary captured it (its clock)
   * @param age how long ago this standby received it (its monotonic clock)
   */
  record Received(String from, long epoch, long version, Instant capturedAt, Duration age) {}
}
