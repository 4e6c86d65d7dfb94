package dev.stability.core.journal;

import dev.stability.api.ConfigurationException;
import dev.stability.api.journal.Journal;
import dev.stability.api.journal.JournalReader;
import dev.stability.api.switchover.RoleLease;
import dev.stability.api.switchover.RoleNotHeldException;
import java.nio.ByteBuffer;

/**
 * A primary's journal that takes appends only while the primary holds its role lease (R9, R18): the
 * wiring of "a primary that may have lost its lease stops acknowledging before anyone else can
 * win". Every {@code append} asks {@link RoleLease#held()} first and, when the lease is not held,
 * refuses with {@link RoleNotHeldException} and writes nothing; so input that the application
 * appends before acknowledging it (the journal's contract) stops at the lease's deadline, measured
 * on the monotonic clock at the call, even when the JVM was paused past it and no other thread has
 * run since.
 *
 * <pre>{@code
 * long epoch = lease.acquire(journal.epoch(), timeout).orElseThrow();
 * journal.fence(epoch);
 * Journal input = LeasedJournal.of(journal, lease); // the order path appends here
 * }</pre>
 *
 * <p>The check costs what {@code held()} costs (for {@code ZooKeeperRoleLease}: three volatile
 * reads and one {@link System#nanoTime()}; no allocation, no lock, no I/O; measured in
 * BENCHMARKS.md). What it cannot stop, a pause between the append and the acknowledgement, is left
 * to the lease's margin and to the epoch on the record. Everything else (readers, {@code fence},
 * {@code sync}, {@code close}) goes to the journal as it is. Thread-safe as the journal is.
 */
public final class LeasedJournal implements Journal {

  private final Journal journal;
  private final RoleLease lease;

  private LeasedJournal(Journal journal, RoleLease lease) {
    this.journal = journal;
    this.lease = lease;
  }

  /**
   * {@code journal}, taking appends only while {@code lease} is held.
   *
   * @throws ConfigurationException naming {@code LeasedJournal.journal} or {@code
   *     LeasedJournal.lease} when it is missing
   */
  public static LeasedJournal of(Journal journal, RoleLease lease) {
    if (journal == null) {
      throw new ConfigurationException(
          "LeasedJournal.journal", null, "must be set: the journal the primary's input goes to");
    }
    if (lease == null) {
      throw new ConfigurationException(
          "LeasedJournal.lease", null, "must be set: the role lease that gates the appends");
    }
    return new LeasedJournal(journal, lease);
  }

  /** The lease that gates the appends. */
  public RoleLease lease() {
    return lease;
  }

  /** The journal the appends go to when the lease is held. */
  public Journal journal() {
    return journal;
  }

  /**
   * Appends the record if the lease is held now.
   *
   * @throws RoleNotHeldException if it is not (nothing is written)
   * @see Journal#append(long, ByteBuffer)
   */
  @Override
  public long append(long epoch, ByteBuffer payload) {
    if (!lease.held()) {
      throw refused();
    }
    return journal.append(epoch, payload);
  }

  /**
   * Appends the record if the lease is held now.
   *
   * @throws RoleNotHeldException if it is not (nothing is written)
   * @see Journal#append(long, byte[])
   */
  @Override
  public long append(long epoch, byte[] payload) {
    if (!lease.held()) {
      throw refused();
    }
    return journal.append(epoch, payload);
  }

  private RoleNotHeldException refused() {
    return new RoleNotHeldException("journal append", lease.participant(), lease.epoch());
  }

  @Override
  public long lastSequence() {
    return journal.lastSequence();
  }

  @Override
  public long durableSequence() {
    return journal.durableSequence();
  }

  @Override
  public long sync() {
    return journal.sync();
  }

  @Override
  public long epoch() {
    return journal.epoch();
  }

  @Override
  public void fence(long epoch) {
    journal.fence(epoch);
  }

  @Override
  public JournalReader reader(long fromSequence) {
    return journal.reader(fromSequence);
  }

  /** Closes the journal (not the lease). */
  @Override
  public void close() {
    journal.close();
  }

  @Override
  public String toString() {
    return "LeasedJournal[" + journal + ", lease of " + lease.participant() + "]";
  }
}
