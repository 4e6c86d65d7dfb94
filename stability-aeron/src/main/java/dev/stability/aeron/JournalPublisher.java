package dev.stability.aeron;

import dev.stability.aeron.internal.Threads;
import dev.stability.aeron.internal.Wire;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.journal.Journal;
import dev.stability.api.journal.JournalReader;
import dev.stability.api.journal.RecordHandler;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.internal.SdkMeters;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The primary's side of a replication (R9): one thread of its own reads the journal and sends every
 * record (sequence, epoch, timestamp, CRC32C, payload) to the standbys, so replication is never on
 * the order path and never blocks {@code append}: back pressure shows as lag ({@link #lag()}, the
 * {@code stability.replication.lag} gauge, {@code REPLICATION_LAG_HIGH}), never as a silent drop.
 *
 * <p>It sends nothing until a standby asks for the journal from a sequence (its breakpoint), and
 * goes back to that sequence whenever a standby asks again (a restart, or a record it refused): the
 * standby checks continuity and skips what it already has, so it sees no gap and no duplicate.
 * Standbys confirm what they journaled; {@link #journal()} is the primary's journal as the
 * application should acknowledge from it under the {@link AckPolicy}.
 *
 * <pre>{@code
 * JournalPublisher publisher = JournalPublisher.start(runtime, journal, media, settings);
 * Journal replicated = publisher.journal();       // append here; ack up to durableSequence()
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops the thread and releases the Aeron resources; the journal
 * stays open (its owner closes it).
 */
public final class JournalPublisher implements AutoCloseable {

  private final StabilityRuntime runtime;
  private final Journal local;
  private final ReplicationSettings settings;
  private final ExclusivePublication data;
  private final Subscription control;
  private final SdkMeters meters;
  private final IdleStrategy idle;
  private final ReplicatedJournal view;
  private final Thread thread;
  private final int maxPayload;
  private final int batchTarget;
  private final RecordHandler encoder = this::encode; // one object, not one per poll
  // Control messages over one datagram (a checkpoint of many buckets) arrive in fragments.
  private final FragmentAssembler controlAssembler = new FragmentAssembler(this::onControl);

  private final byte[] sendBytes;
  private final UnsafeBuffer send;
  private final UnsafeBuffer controlOut = new UnsafeBuffer(new byte[Wire.CONTROL_LENGTH]);
  private final CRC32C crc = new CRC32C();
  private final long publisherId = ThreadLocalRandom.current().nextLong();
  private final Map<Long, Long> standbys = new ConcurrentHashMap<>();
  private final java.util.Set<Long> served = ConcurrentHashMap.newKeySet();
  private final Map<Long, Long> divergenceReported = new ConcurrentHashMap<>();
  private final Object confirmedSignal = new Object();

  private volatile boolean running = true;
  private volatile long published;
  private volatile long confirmed;
  private volatile long remoteApplied = -1;
  private volatile boolean timedOut;
  private volatile String failure;

  // event thread state
  private JournalReader reader;
  private int sendLength;
  private long sendSequence;
  private long batchFirst;
  private long rewindTo = -1;
  private long lastRewindFrom = -1;
  private long lastRewindAt;
  private long lastHeartbeat;
  private long lastProgress;
  private long waitingSince;
  private boolean lagHigh;

  private JournalPublisher(
      StabilityRuntime runtime, Journal local, AeronMedia media, ReplicationSettings settings) {
    this.runtime = runtime;
    this.local = local;
    this.settings = settings;
    // Records go in batches of about one datagram: one Aeron message per record would make the
    // per-message costs of the driver, not the journal, the limit.
    this.batchTarget = media.settings().mtu() - 32;
    this.data =
        media.aeron().addExclusivePublication(settings.dataChannel(), settings.dataStream());
    // A batch ends after the record that passes the target: with the largest record after an
    // almost full batch it must still fit the publication's largest message (its real one: an
    // external driver may use another term length than the settings say).
    this.maxPayload = data.maxMessageLength() - batchTarget - Wire.PAYLOAD;
    this.sendBytes = new byte[batchTarget + Wire.PAYLOAD + maxPayload];
    this.send = new UnsafeBuffer(sendBytes);
    this.control =
        media.aeron().addSubscription(settings.controlChannel(), settings.controlStream());
    this.idle = AeronMedia.idle(media.settings());
    this.meters = new SdkMeters(runtime.meterRegistry(), runtime.identity());
    meters.gauge(StabilityMetric.REPLICATION_PUBLISHED_SEQUENCE, this, p -> p.published);
    meters.gauge(StabilityMetric.REPLICATION_CONFIRMED_SEQUENCE, this, p -> p.confirmed);
    meters.gauge(StabilityMetric.REPLICATION_LAG, this, JournalPublisher::lag);
    meters.gauge(StabilityMetric.STANDBY_APPLIED_SEQUENCE, this, p -> p.remoteApplied);
    meters.gauge(StabilityMetric.STANDBY_LAG, this, JournalPublisher::remoteLag);
    this.view = new ReplicatedJournal();
    this.thread = new Thread(this::run, "stability-replication-" + settings.name());
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Starts replicating {@code journal} under {@code settings} through {@code media}, reporting to
   * {@code runtime}.
   */
  public static JournalPublisher start(
      StabilityRuntime runtime, Journal journal, AeronMedia media, ReplicationSettings settings) {
    return new JournalPublisher(runtime, journal, media, settings);
  }

  /**
   * The primary's journal as the application appends to it and acknowledges from it: under
   * SEMI_SYNC {@code durableSequence()} waits for a standby's confirmation (until a timeout
   * degrades it, or {@code append} refuses input, as configured); under ASYNC it is the local
   * journal's. Every other call is the local journal's.
   */
  public Journal journal() {
    return view;
  }

  /** The last sequence sent to the standbys. */
  public long publishedSequence() {
    return published;
  }

  /** The highest sequence a standby confirmed it journaled (0 before any). */
  public long confirmedSequence() {
    return confirmed;
  }

  /** Records in the journal no standby confirmed yet: what an ASYNC failover could lose now. */
  public long lag() {
    return Math.max(0, local.lastSequence() - confirmed);
  }

  /**
   * The last sequence a standby's follower applied, as it reported ({@code
   * AeronJournalSource.reportFrom}); -1 before any report.
   */
  public long remoteApplied() {
    return remoteApplied;
  }

  /** Records in the journal the reporting standby has yet to apply; -1 before any report. */
  public long remoteLag() {
    long applied = remoteApplied;
    return applied < 0 ? -1 : Math.max(0, local.lastSequence() - applied);
  }

  /**
   * Whether SEMI_SYNC timed out (or the publisher stopped) and is degraded, or refusing input,
   * until standbys catch up.
   */
  public boolean timedOut() {
    return timedOut || failure != null;
  }

  /** Why the publisher stopped, or null while it runs. */
  public String failure() {
    return failure;
  }

  /**
   * Waits until a standby confirmed {@code sequence}.
   *
   * @return false if {@code timeout} passed first
   */
  public boolean awaitConfirmed(long sequence, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (confirmedSignal) {
      while (confirmed < sequence) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        confirmedSignal.wait(Math.max(1, Math.min(10, left / 1_000_000)));
      }
    }
    return true;
  }

  private void run() {
    lastProgress = System.nanoTime();
    lastHeartbeat = lastProgress - settings.heartbeat().toNanos(); // first heartbeat at once
    try {
      while (running) {
        int work = control.poll(controlAssembler, 16);
        work += sendSome();
        work += housekeeping();
        idle.idle(work);
      }
    } catch (RuntimeException | Error e) {
      failure = e.toString();
      report(
          LogRecord.builder(StabilityEventCode.REPLICATION_STOPPED)
              .message(
                  "replication "
                      + settings.name()
                      + " stopped sending: "
                      + e
                      + (settings.ack() == AckPolicy.SEMI_SYNC
                          ? "; the primary now acts as timed out ("
                              + settings.onConfirmTimeout()
                              + ")"
                          : ""))
              .error(e)
              .attr("replication", settings.name()));
    } finally {
      if (reader != null) {
        reader.close();
      }
    }
  }

  private int sendSome() {
    if (rewindTo > 0) {
      if (reader != null) {
        reader.close();
      }
      reader = local.reader(rewindTo);
      sendLength = 0;
      rewindTo = -1;
    }
    if (reader == null) {
      return 0;
    }
    int sent = 0;
    for (int i = 0; i < 64; i++) {
      if (sendLength == 0) {
        while (sendLength < batchTarget && reader.poll(encoder, 1) == 1) {
          // fill the batch while records are there
        }
        if (sendLength == 0) {
          break;
        }
      }
      long result = data.offer(send, 0, sendLength);
      if (result < 0) {
        if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
          throw new IllegalStateException(
              "the replication publication cannot take more: " + Publication.errorString(result));
        }
        break; // back pressure or no standby: keep the record and try again
      }
      published = sendSequence;
      sendLength = 0;
      sent++;
    }
    return sent;
  }

  private void encode(long sequence, long epoch, long timestampMicros, ByteBuffer payload) {
    int length = payload.remaining();
    if (length > maxPayload) {
      throw new IllegalStateException(
          "record "
              + sequence
              + " of "
              + length
              + " bytes is larger than the largest replication message ("
              + maxPayload
              + " bytes: the largest Aeron message, an eighth of the term length, less one batch):"
              + " raise AeronMediaSettings.termLength");
    }
    int at = sendLength;
    if (at == 0) {
      batchFirst = sequence;
    }
    send.putInt(at + Wire.TYPE, Wire.RECORD);
    send.putLong(at + Wire.SEQUENCE, sequence);
    send.putLong(at + Wire.EPOCH, epoch);
    send.putLong(at + Wire.TIMESTAMP, timestampMicros);
    send.putInt(at + Wire.LENGTH, length);
    payload.duplicate().get(sendBytes, at + Wire.PAYLOAD, length);
    int frame = Wire.PAYLOAD + length;
    send.putInt(at + Wire.CRC, Wire.crc(crc, sendBytes, at, frame));
    sendLength = at + frame;
    sendSequence = sequence;
  }

  private void onControl(DirectBuffer buffer, int offset, int length, Header header) {
    if (length < Wire.CONTROL_LENGTH) {
      return;
    }
    int type = Wire.type(buffer, offset);
    if (type == Wire.CHECKPOINT) {
      // the standby's digest at a checkpoint: the primary's auditor compares it with its own (R10)
      try {
        runtime.consistency().auditor().standby(Wire.checkpoint(buffer, offset, length));
      } catch (RuntimeException e) {
        // Aeron would swallow it (to stderr): say it where operations look
        report(
            LogRecord.builder(StabilityEventCode.REPLICATION_RECORD_REFUSED)
                .message(
                    "replication " + settings.name() + ": a standby checkpoint was refused: " + e)
                .error(e)
                .attr("replication", settings.name())
                .attr("reason", "checkpoint"));
      }
      return;
    }
    long standby = buffer.getLong(offset + 8);
    long now = System.nanoTime();
    if (type == Wire.RESEND) {
      long from = Math.max(1, buffer.getLong(offset + 16));
      boolean known = standbys.put(standby, now) != null; // only a request makes it known
      long last = local.lastSequence();
      String divergence =
          from > last + 1
              ? "the standby holds records up to "
                  + (from - 1)
                  + " but this journal ends at "
                  + last
              : from > 1
                      && !sameRecord(
                          from - 1, buffer.getLong(offset + 24), buffer.getLong(offset + 32))
                  ? "its record " + (from - 1) + " is not this journal's record " + (from - 1)
                  : null;
      if (divergence != null) {
        // Two histories: serving would splice them, and counting its confirmations would
        // acknowledge records no standby holds. Neither happens; it is reported once.
        served.remove(standby);
        Long reported = divergenceReported.put(standby, from);
        if (reported == null || reported != from) {
          report(
              LogRecord.builder(StabilityEventCode.REPLICATION_RECORD_REFUSED)
                  .message(
                      "standby "
                          + Long.toHexString(standby)
                          + " asked for sequence "
                          + from
                          + " but "
                          + divergence
                          + " (a divergence): nothing is sent to it, its confirmations do not count")
                  .attr("replication", settings.name())
                  .attr("reason", "divergence")
                  .attr("from_sequence", from));
        }
        return;
      }
      served.add(standby);
      long next =
          reader == null
              ? Long.MAX_VALUE
              : sendLength > 0 ? batchFirst : reader.nextSequence(); // a pending batch first
      // A standby repeats its request until records arrive; the same request again soon after is
      // already being served, and going back again would only resend what is on its way.
      boolean repeat = from == lastRewindFrom && now - lastRewindAt < 250_000_000L;
      if (from < next && !repeat) {
        rewindTo = rewindTo < 0 ? from : Math.min(rewindTo, from); // the earliest request wins
        lastRewindFrom = from;
        lastRewindAt = now;
      }
      if (!known) {
        report(
            LogRecord.builder(StabilityEventCode.REPLICATION_STANDBY_CONNECTED)
                .message(
                    "standby "
                        + Long.toHexString(standby)
                        + " of replication "
                        + settings.name()
                        + " asked for the journal from sequence "
                        + from)
                .attr("replication", settings.name())
                .attr("standby", Long.toHexString(standby))
                .attr("from_sequence", from));
      }
    } else if (type == Wire.ACK) {
      standbys.computeIfPresent(standby, (id, seen) -> now);
      if (!served.contains(standby)) {
        return; // only a standby whose history was checked against this journal confirms
      }
      long durable = Math.min(buffer.getLong(offset + 24), local.lastSequence());
      long applied = buffer.getLong(offset + 32);
      if (applied > remoteApplied) {
        remoteApplied = applied;
      }
      if (durable > confirmed) {
        confirmed = durable;
        lastProgress = now;
        synchronized (confirmedSignal) {
          confirmedSignal.notifyAll();
        }
      }
    }
  }

  /** Whether this journal's record {@code sequence} has this epoch and frame CRC32C. */
  private boolean sameRecord(long sequence, long epoch, long frameCrc) {
    long[] found = {-1, 0};
    try (JournalReader own = local.reader(sequence)) {
      own.poll(
          (s, e, t, p) -> {
            found[0] = e;
            found[1] = Wire.recordCrc(crc, s, e, t, p);
          },
          1);
    }
    return found[0] == epoch && (int) found[1] == (int) frameCrc;
  }

  private int housekeeping() {
    long now = System.nanoTime();
    int work = 0;
    if (now - lastHeartbeat > settings.heartbeat().toNanos()) {
      lastHeartbeat = now;
      int length =
          Wire.control(
              controlOut, Wire.HEARTBEAT, local.lastSequence(), local.epoch(), publisherId);
      data.offer(controlOut, 0, length);
      work++;
    }
    if (settings.ack() == AckPolicy.SEMI_SYNC) {
      checkConfirmations(now);
    }
    long lag = lag();
    if (!lagHigh && lag > settings.maxLag()) {
      lagHigh = true;
      report(
          LogRecord.builder(StabilityEventCode.REPLICATION_LAG_HIGH)
              .message(
                  "replication "
                      + settings.name()
                      + " is "
                      + lag
                      + " records behind the journal (allowed "
                      + settings.maxLag()
                      + ")")
              .attr("replication", settings.name())
              .attr("lag", lag));
    } else if (lagHigh && lag <= settings.maxLag() / 2) {
      lagHigh = false;
      report(
          LogRecord.builder(StabilityEventCode.REPLICATION_LAG_RECOVERED)
              .message("replication " + settings.name() + " is " + lag + " records behind")
              .attr("replication", settings.name())
              .attr("lag", lag));
    }
    return work;
  }

  /** SEMI_SYNC: no confirmation progress for the timeout while records wait is a timeout. */
  private void checkConfirmations(long now) {
    long durable = local.durableSequence();
    long confirmedNow = confirmed;
    if (confirmedNow >= durable) {
      waitingSince = 0;
      if (timedOut) {
        report(
            LogRecord.builder(StabilityEventCode.REPLICATION_SEMI_SYNC_RESTORED)
                .message(
                    "replication "
                        + settings.name()
                        + ": a standby confirmed every record up to "
                        + confirmedNow
                        + "; acknowledgements wait for it again")
                .attr("replication", settings.name()));
        timedOut = false; // after the event: whoever sees the flag change finds the event sent
      }
      return;
    }
    if (waitingSince == 0 || lastProgress > waitingSince) {
      waitingSince = now;
      return;
    }
    if (!timedOut && now - waitingSince > settings.confirmTimeout().toNanos()) {
      boolean refuse = settings.onConfirmTimeout() == ConfirmTimeoutAction.REFUSE;
      report(
          LogRecord.builder(StabilityEventCode.REPLICATION_CONFIRM_TIMEOUT)
              .message(
                  "replication "
                      + settings.name()
                      + ": no standby confirmed past sequence "
                      + confirmedNow
                      + " within "
                      + settings.confirmTimeout().toMillis()
                      + " ms ("
                      + (durable - confirmedNow)
                      + " records waiting); "
                      + (refuse
                          ? "input is refused until a standby confirms"
                          : "acknowledging on local durability (ASYNC) until a standby confirms"))
              .attr("replication", settings.name())
              .attr("confirmed_sequence", confirmedNow)
              .attr("waiting", durable - confirmedNow));
      timedOut = true;
    }
  }

  private void report(LogRecord.Builder record) {
    runtime.events().publish(record);
  }

  /** Stops the thread and releases the publication and subscription. Idempotent. */
  @Override
  public void close() {
    running = false;
    Threads.joinThenRelease(thread, data::close, control::close, meters::close);
  }

  @Override
  public String toString() {
    return "JournalPublisher["
        + settings
        + ", published="
        + published
        + ", confirmed="
        + confirmed
        + "]";
  }

  /** The local journal seen through the acknowledgement policy. */
  private final class ReplicatedJournal implements Journal {

    @Override
    public long append(long epoch, ByteBuffer payload) {
      refuseIfUnavailable();
      return local.append(epoch, payload);
    }

    @Override
    public long append(long epoch, byte[] payload) {
      refuseIfUnavailable();
      return local.append(epoch, payload);
    }

    private void refuseIfUnavailable() {
      if ((timedOut || failure != null)
          && settings.ack() == AckPolicy.SEMI_SYNC
          && settings.onConfirmTimeout() == ConfirmTimeoutAction.REFUSE) {
        throw new ReplicationUnavailableException(
            "replication "
                + settings.name()
                + ": no standby confirmed past sequence "
                + confirmed
                + " within "
                + settings.confirmTimeout().toMillis()
                + " ms"
                + (failure == null ? "" : " (replication stopped: " + failure + ")")
                + "; input is refused (SEMI_SYNC, REFUSE) until one does");
      }
    }

    @Override
    public long lastSequence() {
      return local.lastSequence();
    }

    @Override
    public long durableSequence() {
      long durable = local.durableSequence();
      if (settings.ack() == AckPolicy.ASYNC
          || ((timedOut || failure != null)
              && settings.onConfirmTimeout() == ConfirmTimeoutAction.DEGRADE)) {
        return durable;
      }
      return Math.min(durable, confirmed);
    }

    @Override
    public long sync() {
      local.sync();
      return durableSequence();
    }

    @Override
    public long epoch() {
      return local.epoch();
    }

    @Override
    public void fence(long epoch) {
      local.fence(epoch);
    }

    @Override
    public JournalReader reader(long fromSequence) {
      return local.reader(fromSequence);
    }

    @Override
    public void close() {
      local.close();
    }

    @Override
    public String toString() {
      return "ReplicatedJournal[" + settings.ack() + ", " + local + "]";
    }
  }
}
