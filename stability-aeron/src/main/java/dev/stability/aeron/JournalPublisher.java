package dev.stability.aeron;

import dev.stability.aeron.internal.Threads;
import dev.stability.aeron.internal.Wire;
import dev.stability.api.consistency.DigestValue;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthResult;
import dev.stability.api.journal.Journal;
import dev.stability.api.journal.JournalReader;
import dev.stability.api.journal.RecordHandler;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.api.switchover.RoleLease;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.internal.SdkMeters;
import dev.stability.core.journal.JournalFrameReader;
import dev.stability.core.journal.JournalFrames;
import io.aeron.ChannelUri;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.codecs.SourceLocation;
import io.aeron.archive.status.RecordingPos;
import io.aeron.logbuffer.Header;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

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
 * <p>With an archived media ({@link AeronMediaSettings#archived()}) an Aeron Archive records the
 * stream as it is sent, and the publisher keeps a sparse index of where each sequence starts in the
 * recording: a standby that asks from a sequence the recording holds is caught up by a replay from
 * the archive to it alone (on {@link ReplicationSettings#replayStream()}), which it merges into the
 * live stream by sequence; the live stream goes on undisturbed for the others. When the recording
 * does not hold the sequence (before this process started, or purged under {@link
 * AeronMediaSettings#archiveKeepBytes()}) the publisher resends from its journal instead. Either
 * way {@code REPLICATION_CATCH_UP} says which and why.
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

  /** The file journal's reader hands out frames as stored; another's records are framed here. */
  private JournalFrameReader frames;

  // Control messages over one datagram (a checkpoint of many buckets) arrive in fragments.
  private final FragmentAssembler controlAssembler = new FragmentAssembler(this::onControl);

  private final UnsafeBuffer send;
  private final ByteBuffer sendFrames;
  private final UnsafeBuffer controlOut = new UnsafeBuffer(new byte[Wire.CONTROL_LENGTH]);
  private final CRC32C crc = new CRC32C();
  private final long publisherId = ThreadLocalRandom.current().nextLong();
  private final Map<Long, Long> standbys = new ConcurrentHashMap<>();
  private final java.util.Set<Long> served = ConcurrentHashMap.newKeySet();
  private final Map<Long, Long> divergenceReported = new ConcurrentHashMap<>();
  private final Object confirmedSignal = new Object();

  // archive (null when the media is not archived); used on the publisher thread only
  private static final long INDEX_STRIDE = 64 * 1024;
  private static final long REPLAY_REPEAT_NANOS = 2_000_000_000L;
  private static final long PURGE_INTERVAL_NANOS = 1_000_000_000L;
  private final AeronArchive archive;
  private final long recordingId;
  private final long keepBytes;
  private final int termLength;
  private final int segmentLength;
  private long archiveStart;
  private long[] indexSequence = new long[1024];
  private long[] indexPosition = new long[1024];
  private int indexCount;
  private long lastPurgeCheck;
  private final Map<Long, Replay> replays = new HashMap<>();
  private String archiveFailureReported;
  private final Map<Long, Long> catchUpsReported = new HashMap<>();

  // handover (a planned switchover run by a standby's controller)
  private volatile HandoverHandler handoverHandler;
  private volatile RoleLease handoverLease;
  private volatile Answer answer;
  private volatile boolean answerDue;
  private volatile boolean handingOver;
  private final UnsafeBuffer answerOut = new UnsafeBuffer(new byte[Wire.HANDED_OVER_LENGTH + 1024]);

  private volatile boolean running = true;
  private volatile long published;
  private volatile long confirmed;
  private volatile long remoteApplied = -1;
  private volatile long lastHeard = Long.MIN_VALUE; // nanoTime of a standby's last message
  private volatile boolean timedOut;
  private volatile String failure;

  // event thread state
  private JournalReader reader;
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
    this.archive = media.archive();
    // Recorded by a local archive (a spy): with ssc the publication counts the archive as a
    // receiver, so the stream is sent, and recorded, while no standby is there.
    String channel =
        archive != null && settings.dataChannel().startsWith("aeron:udp")
            ? settings.dataChannel() + "|ssc=true"
            : settings.dataChannel();
    this.data = media.aeron().addExclusivePublication(channel, settings.dataStream());
    // A batch ends after the frame that passes the target: with the largest record after an
    // almost full batch it must still fit the publication's largest message (its real one: an
    // external driver may use another term length than the settings say).
    this.maxPayload = ((data.maxMessageLength() - batchTarget) & ~7) - JournalFrames.HEADER;
    byte[] sendBytes = new byte[data.maxMessageLength()];
    this.send = new UnsafeBuffer(sendBytes);
    send.putInt(Wire.TYPE, Wire.RECORD);
    send.putInt(Wire.TYPE + 4, 0);
    this.sendFrames = ByteBuffer.wrap(sendBytes).position(Wire.FRAMES);
    this.control =
        media.aeron().addSubscription(settings.controlChannel(), settings.controlStream());
    this.idle = AeronMedia.idle(media.settings());
    this.keepBytes = media.settings().archiveKeepBytes();
    this.termLength = data.termBufferLength();
    this.segmentLength = media.settings().archiveSegmentLength();
    if (archive != null) {
      try {
        this.recordingId = record(media, channel);
        this.archiveStart = archive.getStartPosition(recordingId);
      } catch (RuntimeException e) {
        data.close();
        control.close();
        throw new IllegalStateException(
            "replication " + settings.name() + ": the archive did not record the stream: " + e, e);
      }
    } else {
      this.recordingId = -1;
    }
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

  /** Starts the archive recording this publication and returns the recording's id. */
  private long record(AeronMedia media, String channel) {
    int session = data.sessionId();
    archive.startRecording(
        ChannelUri.addSessionId(channel, session), settings.dataStream(), SourceLocation.LOCAL);
    CountersReader counters = media.aeron().countersReader();
    long deadline = System.nanoTime() + 10_000_000_000L;
    int counter;
    while ((counter = RecordingPos.findCounterIdBySession(counters, session, archive.archiveId()))
        == CountersReader.NULL_COUNTER_ID) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no recording of session " + session + " after 10 s");
      }
      Thread.onSpinWait();
      Thread.yield();
    }
    return RecordingPos.getRecordingId(counters, counter);
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

  /**
   * Lets a standby's switch controller ask this primary to hand over (a planned switchover across
   * processes): {@code handler} stops the application's input and returns its state's digest; the
   * publisher then fences the journal at the next epoch, sends every record and answers with where
   * it stopped. Without a handler, handovers are refused. Only a standby whose history was checked
   * against this journal is answered; the replication ports belong on a private network.
   */
  public void acceptHandover(HandoverHandler handler) {
    this.handoverLease = null;
    this.handoverHandler = handler;
  }

  /**
   * As {@link #acceptHandover(HandoverHandler)}, for a primary that holds the role through a lease
   * (e.g. {@code ZooKeeperRoleLease}): once {@code handler} stopped the input and the journal is
   * fenced, the publisher releases {@code lease} before it answers, so that the standby's switch
   * controller can take the role with a new epoch (its fence step) without the application's
   * handler having to release it. A handler that refuses leaves the lease held.
   */
  public void acceptHandover(HandoverHandler handler, RoleLease lease) {
    this.handoverLease = java.util.Objects.requireNonNull(lease, "lease");
    this.handoverHandler = handler;
  }

  /** Whether this primary handed over to a standby (it takes no more input). */
  public boolean handedOver() {
    Answer done = answer;
    return done != null && done.lastSequence >= 0;
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

  /**
   * The primary's view of its standby as a trading-readiness check, {@code replication-<name>},
   * grade 2 (losing the standby degrades the service; it does not stop trading): DOWN when the
   * publisher stopped, no standby was heard for three heartbeats (at least 1 s), or SEMI_SYNC timed
   * out; DEGRADED when more records than {@code maxLag} are unconfirmed; UP otherwise, with the
   * confirmed and applied sequences and both lags as details. Register it on the primary's runtime:
   * {@code runtime.health().register(publisher.healthCheck())}.
   */
  public HealthCheck healthCheck() {
    return HealthCheck.of(
        "replication-" + settings.name(), HealthKind.TRADING_READINESS, 2, this::standbyHealth);
  }

  private HealthResult standbyHealth() {
    long heard = lastHeard;
    long silentNanos = heard == Long.MIN_VALUE ? -1 : System.nanoTime() - heard;
    long bound = Math.max(1_000_000_000L, 3 * settings.heartbeat().toNanos());
    HealthResult result;
    if (failure != null) {
      result = HealthResult.down("replication " + settings.name() + " stopped: " + failure);
    } else if (silentNanos < 0) {
      result = HealthResult.down("no standby has been heard yet");
    } else if (silentNanos > bound) {
      result =
          HealthResult.down(
              "no standby heard for "
                  + silentNanos / 1_000_000
                  + " ms: a failover now would lose "
                  + lag()
                  + " unconfirmed records");
    } else if (timedOut) {
      result =
          HealthResult.down(
              "SEMI_SYNC confirmations timed out: "
                  + (settings.onConfirmTimeout() == ConfirmTimeoutAction.REFUSE
                      ? "input is refused"
                      : "degraded to ASYNC")
                  + " until the standby catches up");
    } else if (lag() > settings.maxLag()) {
      result =
          HealthResult.degraded(
              lag() + " records unconfirmed by the standby, more than " + settings.maxLag());
    } else {
      result =
          HealthResult.up(
              "standby confirmed up to " + confirmed + ", applied up to " + remoteApplied);
    }
    return result
        .withDetail("lag", lag())
        .withDetail("remote_lag", remoteLag())
        .withDetail("confirmed", confirmed)
        .withDetail("silent_ms", silentNanos < 0 ? -1 : silentNanos / 1_000_000);
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
    if (archive != null) {
      // recorded from now on, whether a standby is there or not: a standby that comes back is
      // replayed what it missed from the archive
      reader = reader(local.lastSequence() + 1);
    }
    try {
      while (running) {
        int work = control.poll(controlAssembler, 16);
        work += sendSome();
        work += answerHandover();
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
      for (Replay replay : replays.values()) {
        stopReplay(replay);
      }
      replays.clear();
    }
  }

  private int sendSome() {
    if (rewindTo > 0) {
      if (reader != null) {
        reader.close();
      }
      reader = reader(rewindTo);
      sendFrames.position(Wire.FRAMES);
      rewindTo = -1;
    }
    if (reader == null) {
      return 0;
    }
    int sent = 0;
    for (int i = 0; i < 64; i++) {
      if (sendFrames.position() == Wire.FRAMES && !fill()) {
        break;
      }
      int length = sendFrames.position();
      long start = archive != null ? data.position() : 0; // only the archive's index needs it
      long result = data.offer(send, 0, length);
      if (result < 0) {
        if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
          throw new IllegalStateException(
              "the replication publication cannot take more: " + Publication.errorString(result));
        }
        break; // back pressure or no standby: keep the batch and try again
      }
      if (archive != null) {
        index(batchFirst, start);
      }
      published = sendSequence;
      sendFrames.position(Wire.FRAMES);
      sent++;
    }
    return sent;
  }

  private JournalReader reader(long from) {
    JournalReader opened = local.reader(from);
    frames = opened instanceof JournalFrameReader frameReader ? frameReader : null;
    return opened;
  }

  /** Fills an empty batch with the records there are, up to the target; false if none. */
  private boolean fill() {
    long first = reader.nextSequence();
    if (frames == null) {
      while (sendFrames.position() < batchTarget && reader.poll(encoder, 1) == 1) {
        // fill the batch while records are there
      }
    } else if (frames.pollFrames(sendFrames, batchTarget) == 0) {
      int size = frames.nextFrameSize();
      if (size > sendFrames.remaining()) {
        throw tooLarge(first, size - JournalFrames.HEADER);
      }
    }
    if (sendFrames.position() == Wire.FRAMES) {
      return false;
    }
    batchFirst = first;
    sendSequence = reader.nextSequence() - 1;
    return true;
  }

  private IllegalStateException tooLarge(long sequence, int length) {
    return new IllegalStateException(
        "record "
            + sequence
            + " of "
            + length
            + " bytes is larger than the largest replication message ("
            + maxPayload
            + " bytes: the largest Aeron message, an eighth of the term length, less one batch):"
            + " raise AeronMediaSettings.termLength");
  }

  /** Frames a record of a journal whose reader is no frame reader. */
  private void encode(long sequence, long epoch, long timestampMicros, ByteBuffer payload) {
    int length = payload.remaining();
    if (length > maxPayload) {
      throw tooLarge(sequence, length);
    }
    JournalFrames.write(crc, sendFrames, sequence, epoch, timestampMicros, payload);
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
    lastHeard = now;
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
              : sendFrames.position() > Wire.FRAMES
                  ? batchFirst // a pending batch first
                  : reader.nextSequence();
      // A standby repeats its request until records arrive; the same request again soon after is
      // already being served, and going back again would only resend what is on its way.
      boolean repeat = from == lastRewindFrom && now - lastRewindAt < 250_000_000L;
      if (from < next && !repeat) {
        String noArchive = catchUpFromArchive(standby, from, now);
        if (noArchive == null) {
          // being replayed to it from the archive (or the same replay is under way)
        } else {
          rewindTo = rewindTo < 0 ? from : Math.min(rewindTo, from); // the earliest request wins
          lastRewindFrom = from;
          lastRewindAt = now;
          catchUpReported(standby, from, "journal", noArchive);
        }
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
    } else if (type == Wire.HANDOVER) {
      onHandover(standby, buffer.getLong(offset + 16));
    } else if (type == Wire.REPLAYED) {
      Replay replay = replays.remove(standby);
      if (replay != null) {
        stopReplay(replay);
      }
    } else if (type == Wire.ACK) {
      standbys.computeIfPresent(standby, (id, seen) -> now);
      if (!served.contains(standby)) {
        return; // only a standby whose history was checked against this journal confirms
      }
      if (!replays.isEmpty() && buffer.getLong(offset + 16) >= published) {
        // it holds everything sent so far: the live stream alone serves it from here
        Replay replay = replays.remove(standby);
        if (replay != null) {
          stopReplay(replay);
        }
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

  /** A standby asks this primary to hand over. On the publisher thread. */
  private void onHandover(long standby, long requestId) {
    Answer done = answer;
    if (done != null && done.requestId == requestId) {
      answerDue = true; // asked again: the answer was lost
      return;
    }
    if (handingOver) {
      return; // under way
    }
    if (done != null && done.lastSequence >= 0) {
      // handed over already (to another request): the journal is fenced; say where it stopped
      answer = new Answer(standby, requestId, done.lastSequence, done.epoch, done.digest, null);
      answerDue = true;
      return;
    }
    if (!served.contains(standby)) {
      answer =
          new Answer(
              standby,
              requestId,
              -1,
              local.epoch(),
              null,
              "this standby's history was not checked against the journal (it has not asked for"
                  + " records, or it diverged)");
      answerDue = true;
      return;
    }
    HandoverHandler handler = handoverHandler;
    if (handler == null) {
      answer =
          new Answer(
              standby,
              requestId,
              -1,
              local.epoch(),
              null,
              "the primary does not accept handovers (JournalPublisher.acceptHandover)");
      answerDue = true;
      return;
    }
    handingOver = true;
    Thread worker =
        new Thread(
            () -> handOver(handler, standby, requestId), "stability-handover-" + settings.name());
    worker.setDaemon(true);
    worker.start();
  }

  /** Stops input, fences, and prepares the answer (sent once every record is). Own thread. */
  private void handOver(HandoverHandler handler, long standby, long requestId) {
    try {
      DigestValue digest = handler.stopInput();
      if (digest == null) {
        throw new IllegalStateException("the handover handler returned no digest");
      }
      long epoch = local.epoch() + 1;
      local.fence(epoch); // an append still in flight is refused from here on
      local.sync();
      long last = local.lastSequence();
      RoleLease lease = handoverLease;
      if (lease != null) {
        lease.release(); // fenced first: nothing more is appended here; the standby takes the role
      }
      answer = new Answer(standby, requestId, last, epoch, digest, null);
      report(
          LogRecord.builder(StabilityEventCode.SWITCHOVER_FENCED)
              .epoch(epoch)
              .journalSeq(last)
              .message(
                  "handing over to standby "
                      + Long.toHexString(standby)
                      + ": input stopped, journal fenced at epoch "
                      + epoch
                      + " after sequence "
                      + last
                      + "; this process takes no more input")
              .attr("replication", settings.name()));
    } catch (Exception | Error e) {
      answer = new Answer(standby, requestId, -1, local.epoch(), null, String.valueOf(e));
      report(
          LogRecord.builder(StabilityEventCode.SWITCHOVER_FAILED)
              .message("refused to hand over to standby " + Long.toHexString(standby) + ": " + e)
              .error(e)
              .attr("replication", settings.name()));
    } finally {
      answerDue = true;
      handingOver = false;
    }
  }

  /** Sends the handover answer once every record up to its sequence was sent. */
  private int answerHandover() {
    Answer done = answer;
    if (!answerDue || done == null || (done.lastSequence >= 0 && published < done.lastSequence)) {
      return 0;
    }
    answerOut.putInt(Wire.TYPE, Wire.HANDED_OVER);
    answerOut.putInt(4, 0);
    answerOut.putLong(8, done.standby);
    answerOut.putLong(16, done.requestId);
    answerOut.putLong(24, done.lastSequence);
    answerOut.putLong(32, done.epoch);
    answerOut.putLong(40, done.digest == null ? 0 : done.digest.count());
    answerOut.putLong(48, done.digest == null ? 0 : done.digest.high());
    answerOut.putLong(56, done.digest == null ? 0 : done.digest.low());
    int length = Wire.HANDED_OVER_LENGTH;
    if (done.reason != null) {
      byte[] reason = done.reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      int n = Math.min(reason.length, answerOut.capacity() - length);
      answerOut.putBytes(length, reason, 0, n);
      length += n;
    }
    if (data.offer(answerOut, 0, length) > 0) {
      answerDue = false;
      return 1;
    }
    return 0;
  }

  /** A handover's answer. */
  private record Answer(
      long standby,
      long requestId,
      long lastSequence,
      long epoch,
      DigestValue digest,
      String reason) {}

  /** Remembers where a batch starting at {@code sequence} starts in the recording. */
  private void index(long sequence, long position) {
    int n = indexCount;
    if (n > 0
        && (position - indexPosition[n - 1] < INDEX_STRIDE || sequence <= indexSequence[n - 1])) {
      return; // sparse; and a resent batch (after a rewind) adds nothing new
    }
    if (n == indexSequence.length) {
      indexSequence = Arrays.copyOf(indexSequence, n * 2);
      indexPosition = Arrays.copyOf(indexPosition, n * 2);
    }
    indexSequence[n] = sequence;
    indexPosition[n] = position;
    indexCount = n + 1;
  }

  /**
   * Starts a replay from the archive to {@code standby} from a message holding {@code from}.
   *
   * @return null if the replay runs (or already ran for this request), else why the archive cannot
   *     serve it
   */
  private String catchUpFromArchive(long standby, long from, long now) {
    if (archive == null) {
      return "no archive (AeronMediaSettings.archive)";
    }
    Replay running = replays.get(standby);
    if (running != null && running.from == from && now - running.startedAt < REPLAY_REPEAT_NANOS) {
      return null; // the standby repeats its request until records arrive
    }
    int at = floor(from);
    if (at < 0) {
      return indexCount == 0
          ? "the archive holds nothing yet"
          : "the archive holds sequences from "
              + indexSequence[0]
              + " on (recorded since this process started"
              + (archiveStart > 0 ? ", older segments purged" : "")
              + ")";
    }
    if (running != null) {
      replays.remove(standby);
      stopReplay(running);
    }
    long until = published;
    // The notice goes first: the standby then takes the live stream running ahead as expected.
    int length = Wire.control(controlOut, Wire.REPLAY, standby, from, until);
    for (int i = 0; i < 3 && data.offer(controlOut, 0, length) < 0; i++) {
      Thread.onSpinWait();
    }
    long session;
    try {
      session =
          archive.startReplay(
              recordingId,
              indexPosition[at],
              Long.MAX_VALUE,
              settings.dataChannel(),
              settings.replayStream());
    } catch (RuntimeException e) {
      archiveFailed("a replay from sequence " + from, e);
      return "the archive refused the replay: " + e.getMessage();
    }
    replays.put(standby, new Replay(from, session, now));
    catchUpReported(
        standby,
        from,
        "archive",
        "replayed from position "
            + indexPosition[at]
            + " (sequence "
            + indexSequence[at]
            + ") of recording "
            + recordingId
            + "; the live stream is at "
            + until);
    return null;
  }

  /** The index entry with the greatest sequence at or below {@code sequence}, or -1. */
  private int floor(long sequence) {
    int low = 0;
    int high = indexCount - 1;
    int found = -1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (indexSequence[mid] <= sequence) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found >= 0 && indexPosition[found] >= archiveStart ? found : -1;
  }

  private boolean stopReplay(Replay replay) {
    try {
      archive.stopReplay(replay.session);
    } catch (RuntimeException ended) {
      // it ended on its own (the standby went away): nothing to stop
    }
    return true;
  }

  /** Purges whole segments older than the bytes to keep, once no replay reads them. */
  private void purge(long now) {
    // a standby that went away mid-replay never says REPLAYED: its replay ends when it goes quiet
    long quiet = Math.max(5 * settings.heartbeat().toNanos(), 1_000_000_000L);
    replays
        .entrySet()
        .removeIf(
            r -> {
              Long seen = standbys.get(r.getKey());
              return (seen == null || now - seen > quiet) && stopReplay(r.getValue());
            });
    if (keepBytes == 0 || now - lastPurgeCheck < PURGE_INTERVAL_NANOS || !replays.isEmpty()) {
      return;
    }
    lastPurgeCheck = now;
    long keepFrom = data.position() - keepBytes;
    if (keepFrom <= archiveStart) {
      return;
    }
    long newStart =
        AeronArchive.segmentFileBasePosition(archiveStart, keepFrom, termLength, segmentLength);
    if (newStart <= archiveStart) {
      return;
    }
    try {
      archive.purgeSegments(recordingId, newStart);
    } catch (RuntimeException e) {
      archiveFailed("a purge up to position " + newStart, e);
      return;
    }
    archiveStart = newStart;
    int drop = 0;
    while (drop < indexCount && indexPosition[drop] < newStart) {
      drop++;
    }
    System.arraycopy(indexSequence, drop, indexSequence, 0, indexCount - drop);
    System.arraycopy(indexPosition, drop, indexPosition, 0, indexCount - drop);
    indexCount -= drop;
  }

  private void archiveFailed(String what, RuntimeException e) {
    String key = what.replaceAll("[0-9]", "") + e.getClass().getName();
    if (!key.equals(archiveFailureReported)) { // once a kind, not once a request
      archiveFailureReported = key;
      report(
          LogRecord.builder(StabilityEventCode.REPLICATION_ARCHIVE_FAILED)
              .message(
                  "replication "
                      + settings.name()
                      + ": the archive refused "
                      + what
                      + ": "
                      + e.getMessage()
                      + "; standbys catch up from the journal")
              .error(e)
              .attr("replication", settings.name()));
    }
  }

  private void catchUpReported(long standby, long from, String source, String why) {
    Long before = catchUpsReported.put(standby, from);
    if (before != null && before == from) {
      return; // the same request repeated: one catch-up
    }
    meters.counter(StabilityMetric.REPLICATION_CATCH_UPS, "source", source).increment();
    report(
        LogRecord.builder(StabilityEventCode.REPLICATION_CATCH_UP)
            .message(
                "standby "
                    + Long.toHexString(standby)
                    + " of replication "
                    + settings.name()
                    + " is caught up from sequence "
                    + from
                    + " from the "
                    + source
                    + ": "
                    + why)
            .attr("replication", settings.name())
            .attr("standby", Long.toHexString(standby))
            .attr("from_sequence", from)
            .attr("source", source)
            .attr("reason", why));
  }

  /** A replay the archive runs for one standby. */
  private record Replay(long from, long session, long startedAt) {}

  /** Whether this journal's record {@code sequence} has this epoch and frame CRC32C. */
  private boolean sameRecord(long sequence, long epoch, long frameCrc) {
    long[] found = {-1, 0};
    try (JournalReader own = local.reader(sequence)) {
      own.poll(
          (s, e, t, p) -> {
            found[0] = e;
            found[1] = JournalFrames.checksum(crc, s, e, t, p);
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
    if (archive != null) {
      purge(now);
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
