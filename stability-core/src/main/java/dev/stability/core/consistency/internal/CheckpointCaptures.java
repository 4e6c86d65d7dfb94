package dev.stability.core.consistency.internal;

import dev.stability.api.consistency.Checkpoint;
import dev.stability.api.consistency.DigestValue;
import dev.stability.api.consistency.StateDigest;
import dev.stability.core.internal.DaemonThreads;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The order path's side of the auditor: copies a digest's sums into one of a few slots reserved at
 * the first capture (no allocation after it) and wakes one daemon thread that makes the {@link
 * Checkpoint} and submits it, so the caller never builds objects, takes the auditor's lock or runs
 * a comparison and its events. A single-producer ring under a producer lock (taken once per
 * checkpoint, uncontended when one thread captures); when every slot still waits for the thread,
 * the capture is submitted on the caller's thread instead: slower, never lost. Internal.
 */
final class CheckpointCaptures implements AutoCloseable {

  /** At most this many slots, and at most about {@link #SLOT_BYTES} bytes in all. */
  static final int MAX_SLOTS = 16;

  private static final long SLOT_BYTES = 4L << 20;

  private final Consumer<Checkpoint> submit;
  private final String threadName;
  private final Object producerLock = new Object();
  private volatile Slot[] slots;
  private int sums;
  private volatile Thread thread;

  /** Slots published by the producer (only it writes). */
  private volatile long published;

  /** Slots the thread has copied out (only it writes). */
  private volatile long taken;

  /** Captures the thread has submitted (only it writes). */
  private volatile long submitted;

  private volatile boolean closed;

  CheckpointCaptures(Consumer<Checkpoint> submit, String threadName) {
    this.submit = submit;
    this.threadName = threadName;
  }

  /**
   * Captures {@code digest} now. Returns false when it could not be queued (closed, full, or not
   * the SDK's digest): the caller then submits it itself.
   */
  boolean capture(String source, long sequence, long epoch, StateDigest digest) {
    if (!(digest instanceof DigestSums sumsOf)) {
      return false;
    }
    synchronized (producerLock) {
      if (closed) {
        return false;
      }
      int needed = 3 * (sumsOf.bucketCount() + 1);
      if (slots == null || needed != sums) {
        if (published != taken) {
          return false; // another digest shape while captures wait: keep theirs, submit directly
        }
        reserve(needed);
      }
      long at = published;
      if (at - taken >= slots.length) {
        return false;
      }
      Slot slot = slots[(int) (at % slots.length)];
      slot.source = source;
      slot.sequence = sequence;
      slot.epoch = epoch;
      sumsOf.copySums(slot.sums);
      published = at + 1;
    }
    LockSupport.unpark(thread);
    return true;
  }

  private void reserve(int needed) {
    int count = (int) Math.max(2, Math.min(MAX_SLOTS, SLOT_BYTES / (8L * needed)));
    Slot[] fresh = new Slot[count];
    for (int i = 0; i < count; i++) {
      fresh[i] = new Slot(needed);
    }
    // Nothing is waiting (checked by the caller), so no slot of the old ring is read again.
    slots = fresh;
    sums = needed;
    if (thread == null) {
      thread = DaemonThreads.named(threadName).newThread(this::run);
      thread.start();
    }
  }

  private void run() {
    while (true) {
      boolean drained = drain();
      if (closed && drained) {
        return;
      }
      LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
    }
  }

  /** Submits every waiting capture; true if none was left. */
  private boolean drain() {
    while (true) {
      long next = taken;
      if (next == published) {
        return true;
      }
      Slot[] ring = slots; // replaced only while nothing waits: read after published, current
      Slot slot = ring[(int) (next % ring.length)];
      Checkpoint checkpoint = slot.toCheckpoint();
      taken = next + 1;
      try {
        submit.accept(checkpoint);
      } finally {
        submitted = next + 1;
      }
    }
  }

  /** Submits what is waiting and stops the thread; later captures return false. */
  @Override
  public void close() {
    synchronized (producerLock) {
      closed = true;
    }
    Thread running = thread;
    if (running != null) {
      LockSupport.unpark(running);
      try {
        running.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits until every capture made before this call was submitted, or the timeout passed. */
  boolean awaitSubmitted(long timeoutNanos) {
    long target = published;
    long deadline = System.nanoTime() + timeoutNanos;
    while (submitted < target) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      LockSupport.parkNanos(100_000);
    }
    return true;
  }

  private static final class Slot {
    final long[] sums;
    String source = "";
    long sequence;
    long epoch;

    Slot(int size) {
      this.sums = new long[size];
    }

    Checkpoint toCheckpoint() {
      int buckets = sums.length / 3 - 1;
      DigestValue[] all = new DigestValue[buckets];
      for (int b = 0; b < buckets; b++) {
        int at = 3 * (b + 1);
        all[b] = new DigestValue(sums[at], sums[at + 1], sums[at + 2]);
      }
      return new Checkpoint(
          source, sequence, epoch, new DigestValue(sums[0], sums[1], sums[2]), List.of(all));
    }
  }
}
