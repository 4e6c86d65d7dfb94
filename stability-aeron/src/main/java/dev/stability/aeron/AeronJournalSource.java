package dev.stability.aeron;

import dev.stability.aeron.internal.Threads;
import dev.stability.aeron.internal.Wire;
import dev.stability.api.consistency.Checkpoint;
import dev.stability.api.consistency.DigestValue;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.journal.EpochFencedException;
import dev.stability.api.journal.JournalReader;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.internal.SdkMeters;
import dev.stability.core.journal.JournalFrames;
import dev.stability.core.journal.ReplicaJournal;
import dev.stability.core.standby.Follower;
import dev.stability.core.standby.JournalSource;
import dev.stability.core.switchover.RemotePrimary;
import dev.stability.core.switchover.SwitchRefusedException;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The standby's side of a replication (R9): a thread of its own receives the primary's records,
 * writes each to the standby's own journal as the primary's journal stored it, with the primary's
 * sequence, epoch, timestamp and CRC32C ({@link ReplicaJournal#appendFrame}, which checks the
 * CRC32C, sequence and epoch on its copy before the record becomes visible), and confirms to the
 * primary what it journaled. The follower reads that local journal: this is the {@link
 * JournalSource} it is given, so the follower does not change, and after a promotion the new
 * primary owns a complete journal and continues it at the next sequence.
 *
 * <p>Never a gap, never a duplicate: at start and whenever a record does not follow the last one,
 * it asks the primary for the journal from its next sequence (its breakpoint) and skips what it
 * already has. A record whose checksum fails is refused and asked for again ({@code
 * REPLICATION_RECORD_REFUSED}); a record stamped with an epoch older than the local journal's (a
 * replaced primary still sending) is ignored and reported ({@code REPLICATION_STALE_EPOCH}).
 *
 * <pre>{@code
 * ReplicaJournal own = runtime.journals().openReplica(JournalSettings.builder("orders", dir).build());
 * AeronJournalSource source = AeronJournalSource.start(runtime, own, media, settings);
 * Follower follower = runtime.standby().follow(followerSettings, source, stateMachine);
 * }</pre>
 *
 * <p>A primary whose media is archived catches this standby up by a replay from its archive to it
 * alone (on {@link ReplicationSettings#replayStream()}): records then come from the replay while
 * the live stream runs ahead, and once a live record follows in order (or the replay overtakes the
 * live stream) the standby tells the primary, which stops the replay. Records are merged by
 * sequence, so nothing depends on the two streams' timing.
 *
 * <p>Thread-safe. {@link #close()} stops receiving; the local journal stays open (its owner closes
 * it, or continues it after a promotion).
 */
public final class AeronJournalSource implements JournalSource, AutoCloseable {

  private static final long RESEND_INTERVAL_NANOS = 50_000_000L;

  /** A replay pauses longer than the live stream (the archive reads files): asked again after. */
  private static final long REPLAY_PAUSE_NANOS = 1_000_000_000L;

  private final StabilityRuntime runtime;
  private final ReplicaJournal local;
  private final ReplicationSettings settings;
  private final Subscription data;
  private final Subscription replay;
  private final Publication control;
  private final SdkMeters meters;
  private final IdleStrategy idle;
  private final FragmentAssembler assembler;
  private final FragmentAssembler replayAssembler;
  private final Thread thread;
  private final long standbyId = ThreadLocalRandom.current().nextLong();
  private final CRC32C crc = new CRC32C();
  private final UnsafeBuffer controlOut = new UnsafeBuffer(new byte[Wire.CONTROL_LENGTH]);

  private byte[] scratch = new byte[4096];
  private Object viewOf;
  private ByteBuffer view;
  private volatile boolean running = true;
  private volatile long primaryLast = -1;
  private volatile long received;
  private volatile long duplicates;
  private volatile long replayed;
  private volatile String failure;

  // receiver thread state
  private boolean asking = true;

  /**
   * A request from the breakpoint is owed to the primary (at start, and to a new primary process)
   * even if its records happen to arrive in order: the request carries this standby's history,
   * which the primary checks before it counts the standby's confirmations.
   */
  private boolean hello = true;

  private long lastAsk;
  private long lastAck;
  private long ackedDurable = -1;
  private long ackedApplied = -1;
  private long staleEpochReported = -1;
  private long refusedAt = -1;
  private long publisherId;
  private long checkpointSent = -1;

  /** Records come from an archive replay while the live stream runs ahead of them. */
  private boolean catchingUp;

  private boolean replayDone;

  /** Epoch and frame CRC32C of the last record in the local journal: sent with each request. */
  private long lastEpoch;

  private int lastCrc;
  private long progressAt = -1;
  private long progressSince;
  private final ExpandableArrayBuffer checkpointOut = new ExpandableArrayBuffer(1024);
  private volatile Follower follower;

  // a handover asked of the primary (a planned switchover run by this standby's controller)
  private volatile long handoverRequest;
  private volatile RemotePrimary.Handover handoverAnswer;
  private volatile String handoverRefusal;
  private final Object handoverSignal = new Object();
  private long lastHandoverAsk;

  private AeronJournalSource(
      StabilityRuntime runtime,
      ReplicaJournal local,
      AeronMedia media,
      ReplicationSettings settings) {
    this.runtime = runtime;
    this.local = local;
    this.settings = settings;
    this.data = media.aeron().addSubscription(settings.dataChannel(), settings.dataStream());
    this.replay = media.aeron().addSubscription(settings.dataChannel(), settings.replayStream());
    this.control =
        media.aeron().addPublication(settings.controlChannel(), settings.controlStream());
    this.idle = AeronMedia.idle(media.settings());
    this.assembler = new FragmentAssembler((b, o, l, h) -> onMessage(b, o, l, false));
    this.replayAssembler = new FragmentAssembler((b, o, l, h) -> onMessage(b, o, l, true));
    this.received = local.lastSequence();
    if (received > 0) {
      try (JournalReader own = local.reader(received)) {
        own.poll(
            (s, e, t, p) -> {
              lastEpoch = e;
              lastCrc = JournalFrames.checksum(crc, s, e, t, p);
            },
            1);
      }
    }
    this.meters = new SdkMeters(runtime.meterRegistry(), runtime.identity());
    meters.gauge(StabilityMetric.REPLICATION_RECEIVED_SEQUENCE, this, s -> s.received);
    this.thread = new Thread(this::run, "stability-replica-" + settings.name());
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Starts receiving the replication {@code settings} into {@code local} through {@code media},
   * reporting to {@code runtime}.
   */
  public static AeronJournalSource start(
      StabilityRuntime runtime,
      ReplicaJournal local,
      AeronMedia media,
      ReplicationSettings settings) {
    return new AeronJournalSource(runtime, local, media, settings);
  }

  /** A reader of the local journal, which this source fills. */
  @Override
  public JournalReader open(long sequence) {
    return local.reader(sequence);
  }

  /** The primary's last sequence as it last said (its heartbeat or a record), or -1 if unknown. */
  @Override
  public long lastSequence() {
    return primaryLast;
  }

  /** The last sequence received and written to the local journal. */
  public long receivedSequence() {
    return received;
  }

  /** Records received again that the local journal already held (after a catch-up request). */
  public long duplicates() {
    return duplicates;
  }

  /** Records journaled from an archive replay (a catch-up) rather than from the live stream. */
  public long replayedRecords() {
    return replayed;
  }

  /**
   * Reports {@code follower}'s applied sequence and checkpoints to the primary, so that the
   * primary's lag, gates and checkpoint auditor see the standby's real state (R10).
   */
  public void reportFrom(Follower follower) {
    this.follower = follower;
  }

  /**
   * The primary as this standby's switch controller reaches it for a planned switchover ({@link
   * dev.stability.core.switchover.SwitchParticipants.Builder#remotePrimary}): asked to hand over,
   * the primary stops its input (its {@link HandoverHandler}), fences its journal, sends every
   * record and answers with where it stopped.
   */
  public RemotePrimary remotePrimary() {
    return this::handover;
  }

  private RemotePrimary.Handover handover(Duration timeout) throws InterruptedException {
    long request = ThreadLocalRandom.current().nextLong() | 1; // never 0: 0 is "none"
    synchronized (handoverSignal) {
      handoverAnswer = null;
      handoverRefusal = null;
      handoverRequest = request;
      long deadline = System.nanoTime() + timeout.toNanos();
      try {
        while (handoverAnswer == null && handoverRefusal == null) {
          long left = deadline - System.nanoTime();
          if (left <= 0 || failure != null) {
            throw new SwitchRefusedException(
                "the primary did not answer the handover within "
                    + timeout.toMillis()
                    + " ms"
                    + (failure != null ? " (receiving stopped: " + failure + ")" : "")
                    + "; it may have stopped taking input: check it, or fail over",
                null);
          }
          handoverSignal.wait(Math.max(1, Math.min(10, left / 1_000_000)));
        }
        if (handoverRefusal != null) {
          throw new SwitchRefusedException(
              "the primary refused to hand over: " + handoverRefusal, null);
        }
        return handoverAnswer;
      } finally {
        handoverRequest = 0;
      }
    }
  }

  /** Why receiving stopped, or null while it runs. */
  public String failure() {
    return failure;
  }

  private void run() {
    try {
      while (running) {
        int work = data.poll(assembler, 64);
        work += replay.poll(replayAssembler, 64);
        work += housekeeping();
        idle.idle(work);
      }
    } catch (RuntimeException | Error e) {
      failure = e.toString();
      runtime
          .events()
          .publish(
              LogRecord.builder(StabilityEventCode.REPLICATION_STOPPED)
                  .message("replica " + settings.name() + " stopped receiving: " + e)
                  .error(e)
                  .attr("replication", settings.name()));
    }
  }

  private int housekeeping() {
    long now = System.nanoTime();
    int work = 0;
    long last = local.lastSequence();
    if (last != progressAt) {
      progressAt = last;
      progressSince = now;
    } else if (!asking
        && primaryLast > last
        && now - progressSince
            > (catchingUp
                ? Math.max(2 * settings.heartbeat().toNanos(), REPLAY_PAUSE_NANOS)
                : 2 * settings.heartbeat().toNanos())) {
      // The primary has more than arrived, and nothing comes: a lost tail (no later record will
      // ever show the gap). Ask for it.
      asking = true;
      lastAsk = 0;
    }
    if ((asking || hello) && now - lastAsk > RESEND_INTERVAL_NANOS) {
      int length =
          Wire.control(
              controlOut, Wire.RESEND, standbyId, local.lastSequence() + 1, lastEpoch, lastCrc);
      if (control.offer(controlOut, 0, length) > 0) {
        lastAsk = now; // not before it went out: a primary not yet connected is asked again
        hello = false;
        work++;
      }
    }
    long request = handoverRequest;
    if (request != 0 && now - lastHandoverAsk > RESEND_INTERVAL_NANOS) {
      int length = Wire.control(controlOut, Wire.HANDOVER, standbyId, request, 0);
      if (control.offer(controlOut, 0, length) > 0) {
        lastHandoverAsk = now;
        work++;
      }
    }
    if (replayDone) {
      int length = Wire.control(controlOut, Wire.REPLAYED, standbyId, local.lastSequence(), 0);
      if (control.offer(controlOut, 0, length) > 0) {
        replayDone = false;
        work++;
      }
    }
    long durable = local.durableSequence();
    Follower reporting = follower;
    long applied = reporting == null ? -1 : reporting.appliedSequence();
    if (durable != ackedDurable
        || applied != ackedApplied
        || now - lastAck > settings.heartbeat().toNanos()) {
      int length =
          Wire.control(controlOut, Wire.ACK, standbyId, local.lastSequence(), durable, applied);
      if (control.offer(controlOut, 0, length) > 0) {
        ackedDurable = durable;
        ackedApplied = applied;
        lastAck = now;
        work++;
      }
    }
    if (reporting != null) {
      Checkpoint checkpoint = reporting.lastCheckpoint().orElse(null);
      if (checkpoint != null && checkpoint.sequence() != checkpointSent) {
        int length = Wire.checkpoint(checkpointOut, standbyId, checkpoint);
        if (control.offer(checkpointOut, 0, length) > 0) {
          checkpointSent = checkpoint.sequence();
          work++;
        }
      }
    }
    return work;
  }

  private void onMessage(DirectBuffer buffer, int offset, int length, boolean fromReplay) {
    int type = Wire.type(buffer, offset);
    if (fromReplay && type != Wire.RECORD) {
      return; // the recording's old heartbeats and notices say nothing about now
    }
    if (type == Wire.HANDED_OVER) {
      if (length >= Wire.HANDED_OVER_LENGTH
          && buffer.getLong(offset + 8) == standbyId
          && buffer.getLong(offset + 16) == handoverRequest) {
        long last = buffer.getLong(offset + 24);
        synchronized (handoverSignal) {
          if (last < 0) {
            handoverRefusal =
                buffer.getStringWithoutLengthUtf8(
                    offset + Wire.HANDED_OVER_LENGTH, length - Wire.HANDED_OVER_LENGTH);
          } else {
            primaryLast = Math.max(primaryLast, last);
            handoverAnswer =
                new RemotePrimary.Handover(
                    last,
                    buffer.getLong(offset + 32),
                    new DigestValue(
                        buffer.getLong(offset + 40),
                        buffer.getLong(offset + 48),
                        buffer.getLong(offset + 56)));
          }
          handoverSignal.notifyAll();
        }
      }
      return;
    }
    if (type == Wire.REPLAY) {
      if (length >= Wire.CONTROL_LENGTH && buffer.getLong(offset + 8) == standbyId) {
        catchingUp = true; // the primary replays to this standby from the archive
      }
      return;
    }
    if (type == Wire.HEARTBEAT) {
      if (length < Wire.CONTROL_LENGTH) {
        return; // not a heartbeat this version wrote
      }
      long epoch = buffer.getLong(offset + 16);
      if (epoch < local.epoch()) {
        staleEpoch(epoch, "heartbeat");
        return;
      }
      long publisher = buffer.getLong(offset + 24);
      if (publisher != publisherId) {
        // A new primary process (a restart or a promotion elsewhere): it sends nothing until asked,
        // so ask it for the journal from this standby's breakpoint.
        publisherId = publisher;
        asking = true;
        hello = true;
        lastAsk = 0;
      }
      primaryLast = Math.max(primaryLast, buffer.getLong(offset + 8));
      return;
    }
    if (type != Wire.RECORD) {
      return; // not a message this version knows
    }
    int end = offset + length;
    int at = offset + Wire.FRAMES;
    while (at < end) {
      int frame =
          end - at < JournalFrames.HEADER
              ? -1
              : JournalFrames.size(
                  buffer.getInt(at + JournalFrames.LENGTH, ByteOrder.LITTLE_ENDIAN));
      if (frame < JournalFrames.HEADER || frame > end - at) {
        refuse(
            end - at < JournalFrames.HEADER ? -1 : frameSequence(buffer, at),
            "checksum",
            "a record frame is cut short");
        return;
      }
      if (!onRecord(buffer, at, frame, fromReplay)) {
        return;
      }
      at += frame;
    }
  }

  private static long frameSequence(DirectBuffer buffer, int at) {
    return buffer.getLong(at + JournalFrames.SEQUENCE, ByteOrder.LITTLE_ENDIAN);
  }

  /** Takes one record's frame; false if it was refused, so the rest of its message is not read. */
  private boolean onRecord(DirectBuffer buffer, int offset, int length, boolean fromReplay) {
    long sequence = frameSequence(buffer, offset);
    long expected = local.lastSequence() + 1;
    if (sequence < expected) {
      duplicates++;
      if (catchingUp && !fromReplay) {
        // the replay overtook the live stream: merged, the replay can stop
        catchingUp = false;
        replayDone = true;
      }
      return true;
    }
    if (sequence > expected) {
      if (!asking && !catchingUp) {
        refuse(sequence, "sequence", "record " + sequence + " does not follow " + (expected - 1));
      }
      // While asking (at start, or after a refusal) the live stream runs ahead until the primary
      // goes back to this standby's breakpoint: expected, skipped, not a fault.
      return false;
    }
    long epoch = buffer.getLong(offset + JournalFrames.EPOCH, ByteOrder.LITTLE_ENDIAN);
    try {
      // The journal copies the frame as it is and checks its CRC32C (and sequence and epoch) on
      // its copy before the record becomes visible: checked once, where it is kept.
      local.appendFrame(frame(buffer, offset, length));
    } catch (EpochFencedException e) {
      staleEpoch(epoch, "record " + sequence);
      return false;
    } catch (IllegalArgumentException e) {
      refuse(sequence, "checksum", "record " + sequence + " was refused: " + e.getMessage());
      return false;
    } catch (RuntimeException e) {
      // The standby's own journal refused it (too large for it, storage failing): Aeron would
      // swallow this to stderr, and the record would be asked for again and again unexplained.
      refuse(sequence, "journal", "the local journal could not take record " + sequence + ": " + e);
      return false;
    }
    asking = false;
    refusedAt = -1;
    if (fromReplay) {
      catchingUp = true;
      replayed++;
    } else if (catchingUp) {
      // a live record in order: merged into the live stream, the replay can stop
      catchingUp = false;
      replayDone = true;
    }
    received = sequence;
    lastEpoch = epoch;
    lastCrc = buffer.getInt(offset + JournalFrames.CRC, ByteOrder.LITTLE_ENDIAN);
    primaryLast = Math.max(primaryLast, sequence);
    return true;
  }

  /**
   * The frame at {@code offset} as a ByteBuffer for the journal, without copying it where the Aeron
   * buffer has one underneath (a term buffer mapped from a file, a reassembled message's array);
   * the view is kept and reused while the buffer underneath stays the same.
   */
  private ByteBuffer frame(DirectBuffer buffer, int offset, int length) {
    ByteBuffer underneath = buffer.byteBuffer();
    byte[] array = buffer.byteArray();
    int from = buffer.wrapAdjustment() + offset;
    if (array != null) { // the adjustment is an index in the array
      if (array != viewOf) {
        viewOf = array;
        view = ByteBuffer.wrap(array);
      }
    } else if (underneath != null) {
      if (underneath != viewOf) {
        viewOf = underneath;
        view = underneath.duplicate();
      }
    } else {
      // memory Aeron mapped by address only: copied
      if (scratch.length < length) {
        scratch = new byte[Math.max(length, scratch.length * 2)];
      }
      buffer.getBytes(offset, scratch, 0, length);
      if (scratch != viewOf) {
        viewOf = scratch;
        view = ByteBuffer.wrap(scratch);
      }
      from = 0;
    }
    view.clear().position(from).limit(from + length);
    return view;
  }

  /** Refuses a record, asks for the journal again from the next sequence; reports once a place. */
  private void refuse(long sequence, String reason, String what) {
    meters.counter(StabilityMetric.REPLICATION_REFUSED, "reason", reason).increment();
    long expected = local.lastSequence() + 1;
    if (refusedAt != expected) {
      refusedAt = expected;
      runtime
          .events()
          .publish(
              LogRecord.builder(StabilityEventCode.REPLICATION_RECORD_REFUSED)
                  .message(
                      "replica "
                          + settings.name()
                          + " refused a record: "
                          + what
                          + "; nothing was written, asking the primary again from "
                          + expected)
                  .attr("replication", settings.name())
                  .attr("reason", reason)
                  .attr("sequence", sequence)
                  .attr("expected_sequence", expected));
    }
    if (!asking) {
      asking = true;
      lastAsk = 0;
    }
  }

  private void staleEpoch(long epoch, String what) {
    meters.counter(StabilityMetric.REPLICATION_REFUSED, "reason", "epoch").increment();
    if (staleEpochReported != epoch) {
      staleEpochReported = epoch;
      runtime
          .events()
          .publish(
              LogRecord.builder(StabilityEventCode.REPLICATION_STALE_EPOCH)
                  .message(
                      "replica "
                          + settings.name()
                          + " ignored a "
                          + what
                          + " of epoch "
                          + epoch
                          + ": the local journal is at epoch "
                          + local.epoch()
                          + " (a replaced primary is still sending)")
                  .attr("replication", settings.name())
                  .epoch(epoch));
    }
  }

  /** Stops receiving and releases the subscription and publication. Idempotent. */
  @Override
  public void close() {
    running = false;
    Threads.joinThenRelease(thread, data::close, replay::close, control::close, meters::close);
  }

  @Override
  public String toString() {
    return "AeronJournalSource[" + settings + ", received=" + received + "]";
  }
}
