package dev.stability.core.journal.internal;

import dev.stability.api.journal.EpochFencedException;
import dev.stability.api.journal.Journal;
import dev.stability.api.journal.JournalReader;
import dev.stability.api.journal.RecordHandler;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A journal in memory, for tests and simulations: the same contract as the file journal, every
 * record durable when appended, nothing kept after the process. Thread-safe.
 */
public final class MemoryJournal implements Journal {

  private record Entry(long epoch, long timestamp, byte[] payload) {}

  private final Clock clock;
  private final List<Entry> entries = new ArrayList<>();
  private volatile long epoch;
  private volatile long last;

  /** An empty journal. */
  public MemoryJournal(Clock clock) {
    this.clock = clock;
  }

  @Override
  public long append(long recordEpoch, byte[] payload) {
    return append(recordEpoch, ByteBuffer.wrap(payload));
  }

  @Override
  public synchronized long append(long recordEpoch, ByteBuffer payload) {
    if (recordEpoch < epoch) {
      throw new EpochFencedException("journal append", recordEpoch, epoch);
    }
    epoch = Math.max(epoch, recordEpoch);
    byte[] copy = new byte[payload.remaining()];
    payload.duplicate().get(copy);
    entries.add(new Entry(recordEpoch, clock.millis() * 1_000L, copy));
    last = entries.size();
    return last;
  }

  @Override
  public long lastSequence() {
    return last;
  }

  @Override
  public long durableSequence() {
    return last;
  }

  @Override
  public long sync() {
    return last;
  }

  @Override
  public long epoch() {
    return epoch;
  }

  @Override
  public synchronized void fence(long newEpoch) {
    if (newEpoch < epoch) {
      throw new IllegalArgumentException(
          "journal: cannot fence back to epoch " + newEpoch + " from " + epoch);
    }
    epoch = newEpoch;
  }

  @Override
  public JournalReader reader(long fromSequence) {
    if (fromSequence < 1) {
      throw new IllegalArgumentException("journal sequences start at 1, got " + fromSequence);
    }
    return new JournalReader() {
      long next = fromSequence;

      @Override
      public int poll(RecordHandler handler, int limit) {
        int delivered = 0;
        while (delivered < limit) {
          Entry entry;
          synchronized (MemoryJournal.this) {
            if (next > entries.size()) {
              break;
            }
            entry = entries.get((int) (next - 1));
          }
          handler.onRecord(
              next,
              entry.epoch(),
              entry.timestamp(),
              ByteBuffer.wrap(entry.payload()).asReadOnlyBuffer());
          next++;
          delivered++;
        }
        return delivered;
      }

      @Override
      public long nextSequence() {
        return next;
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public void close() {}
}
