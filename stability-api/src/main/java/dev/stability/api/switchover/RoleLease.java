package dev.stability.api.switchover;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The primary role of one system as a lease held in a coordination service (R9, R18): at most one
 * participant holds it at a time, and every grant comes with an epoch issued by the service that
 * only grows. The epoch is the fencing token: hand it to {@link
 * dev.stability.api.journal.Journal#fence(long)} and stamp it on every record, so that anything
 * written by a replaced primary is refused.
 *
 * <p>The promise that matters: a holder that may have lost its lease stops saying it holds it
 * before anyone else can be granted it. {@link #held()} turns false on a deadline measured on a
 * monotonic clock, a safe margin before the service could expire the holder's session, even if no
 * thread of the holder ran in between; a primary checks it before acknowledging input. A pause
 * after the check (a long GC between the check and the acknowledgement) is what the epoch on the
 * records fences.
 *
 * <p>Implementations are thread-safe; {@link #held()} is cheap enough for the order path (no
 * allocation, no lock, no I/O). The SDK's implementation is in {@code stability-zookeeper}; an etcd
 * one plugs in here.
 */
public interface RoleLease extends AutoCloseable {

  /** The participant this lease acts for (e.g. the instance id), as other participants see it. */
  String participant();

  /**
   * Waits up to {@code timeout} for the role and takes it with a new epoch.
   *
   * @param above the new epoch is greater than this as well as every epoch issued before (pass the
   *     journal's {@code epoch()}, so that {@code fence} accepts it)
   * @param timeout how long to wait while another participant holds the role
   * @return the new epoch, or empty if the role was not free within {@code timeout} or the service
   *     could not be reached
   * @throws IllegalStateException if this participant holds the role already or the lease is closed
   * @throws InterruptedException if interrupted while waiting
   */
  OptionalLong acquire(long above, Duration timeout) throws InterruptedException;

  /**
   * Whether this participant holds the role now and may acknowledge input: false from the moment
   * the lease may be lost (the deadline passed, the session was lost or expired, the lease was
   * released), and never true again for the same grant.
   */
  boolean held();

  /** The epoch of this participant's current or last grant (0 if it never held the role). */
  long epoch();

  /**
   * Who holds the role now according to the service (a remote read: not for the order path).
   *
   * @return the holder and its epoch, or empty if nobody holds it
   * @throws IllegalStateException if the service cannot be read (who holds the role is unknown,
   *     which is not the same as nobody)
   */
  Optional<Holder> holder();

  /**
   * Gives the role up: {@link #held()} turns false at once, then the service is told, so another
   * participant may take it. Does nothing if the role is not held.
   */
  void release();

  /**
   * Registers a listener told when the role is acquired and when it is lost or released. Listeners
   * run on the lease's own thread, one call at a time; they must not block it for long.
   */
  void addListener(Listener listener);

  /** Releases the role if held and disconnects. Idempotent. */
  @Override
  void close();

  /**
   * A holder of the role.
   *
   * @param participant who holds it
   * @param epoch the epoch it was granted
   */
  record Holder(String participant, long epoch) {}

  /** Told of changes of this participant's lease. */
  interface Listener {

    /** This participant was granted the role at {@code epoch}. */
    void acquired(long epoch);

    /**
     * This participant no longer holds the role granted at {@code epoch}; {@link #held()} turned
     * false before this call.
     *
     * @param reason why, in one line: released, the deadline passed without a heartbeat answered,
     *     the session expired, the holder's node was removed
     */
    void lost(long epoch, String reason);
  }
}
