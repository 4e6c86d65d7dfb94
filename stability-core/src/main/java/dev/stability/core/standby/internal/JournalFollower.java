package dev.stability.core.standby.internal;

import dev.stability.api.consistency.Checkpoint;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.journal.JournalReader;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.api.standby.StateMachine;
import dev.stability.core.consistency.CheckpointAuditor;
import dev.stability.core.event.Events;
import dev.stability.core.internal.DaemonThreads;
import dev.stability.core.internal.RuntimeContext;
import dev.stability.core.internal.SdkMeters;
import dev.stability.core.standby.Follower;
import dev.stability.core.standby.FollowerSettings;
import dev.stability.core.standby.JournalSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;

/**
 * The follower thread: poll the journal, apply, checkpoint, record the position; between batches,
 * take requested snapshots and check the lag. Internal: reached through {@link Follower}.
 */
public final class JournalFollower implements Follower {

  private static final int BATCH = 1024;

  /** How often, at most, the position is written when caught up (it is forced each time). */
  private static final long POSITION_EVERY_NANOS = 100_000_000L;

  private final FollowerSettings settings;
  private final JournalSource source;
  private final StateMachine machine;
  private final CheckpointAuditor auditor;
  private final Events events;
  private final Clock clock;
  private final StandbyState state;
  private final Thread thread;
  private final JournalReader reader;
  // Written by the follower thread only; published once per polled batch (no fence per record).
  private long applied;
  private long appliedEpoch;
  private long appliedTimestamp;
  private volatile long publishedApplied;
  private long nextCheckpoint;
  private long nextSnapshot;
  private volatile long publishedTimestamp;
  private volatile Checkpoint lastCheckpoint;
  private volatile Throwable failure;
  private volatile boolean stopping;
  private final java.util.concurrent.atomic.AtomicReference<CompletableFuture<Long>>
      snapshotRequest = new java.util.concurrent.atomic.AtomicReference<>();
  private long lagCheckedAt;
  private long positionWrittenAt;
  private long positionWritten;
  private boolean lagging;

  /**
   * Prepares the state machine (resume or rebuild) and starts following.
   *
   * @throws UncheckedIOException if the state directory cannot be read
   */
  public JournalFollower(
      FollowerSettings settings,
      JournalSource source,
      StateMachine machine,
      CheckpointAuditor auditor,
      RuntimeContext context) {
    this.settings = settings;
    this.source = source;
    this.machine = machine;
    this.auditor = auditor;
    this.events = context.events();
    this.clock = context.clock();
    SdkMeters meters = context.meters();
    try {
      this.state = new StandbyState(settings.stateDirectory());
      long from = prepare();
      this.reader = source.open(from);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "standby " + settings.name() + " cannot read " + settings.stateDirectory() + ": " + e, e);
    }
    meters.gauge(StabilityMetric.STANDBY_APPLIED_SEQUENCE, this, f -> f.publishedApplied);
    meters.gauge(StabilityMetric.STANDBY_LAG, this, f -> f.lag());
    this.thread = DaemonThreads.named("stability-standby-" + settings.name()).newThread(this::run);
    thread.start();
  }

  /** Restores what the start mode says and returns the first sequence to read. */
  private long prepare() throws IOException {
    if (settings.start() == FollowerSettings.Start.RESUME) {
      long own = machine.lastApplied();
      long position = own >= 0 ? own : state.readPosition();
      applied = position;
      positionWritten = position;
      events.publish(
          LogRecord.builder(StabilityEventCode.STANDBY_RESUMED)
              .journalSeq(position)
              .message(
                  "standby "
                      + settings.name()
                      + " resumes after sequence "
                      + position
                      + (own >= 0 ? " (the state machine's own)" : " (its recorded position)"))
              .attr("standby", settings.name())
              .attr("mode", "resume"));
      return startAfter();
    }
    List<String> damaged = new ArrayList<>();
    Optional<StandbyState.Snapshot> snapshot = state.newestSnapshot(damaged);
    for (String problem : damaged) {
      events.publish(
          LogRecord.builder(StabilityEventCode.STANDBY_APPLY_FAILED)
              .message("standby " + settings.name() + " skipped a damaged snapshot: " + problem)
              .attr("standby", settings.name()));
    }
    if (snapshot.isPresent()) {
      machine.restore(snapshot.get().state());
      applied = snapshot.get().sequence();
      appliedEpoch = snapshot.get().epoch();
      events.publish(
          LogRecord.builder(StabilityEventCode.SNAPSHOT_RESTORED)
              .journalSeq(applied)
              .epoch(appliedEpoch)
              .message(
                  "standby "
                      + settings.name()
                      + " restored its snapshot at sequence "
                      + applied
                      + "; replaying the journal from "
                      + (applied + 1))
              .attr("standby", settings.name()));
    }
    positionWritten = applied;
    events.publish(
        LogRecord.builder(StabilityEventCode.STANDBY_RESUMED)
            .journalSeq(applied)
            .message(
                "standby "
                    + settings.name()
                    + " rebuilds from "
                    + (snapshot.isPresent()
                        ? "its snapshot at " + applied
                        : "the start of the journal"))
            .attr("standby", settings.name())
            .attr("mode", "rebuild"));
    return startAfter();
  }

  /** Publishes the starting point and returns the first sequence to read. */
  private long startAfter() {
    publish();
    // The next multiples, so the per-record test is a comparison, not a division.
    nextCheckpoint = (applied / settings.checkpointEvery() + 1) * settings.checkpointEvery();
    nextSnapshot =
        settings.snapshotEvery() == 0
            ? Long.MAX_VALUE
            : (applied / settings.snapshotEvery() + 1) * settings.snapshotEvery();
    return applied + 1;
  }

  private void publish() {
    publishedTimestamp = appliedTimestamp;
    publishedApplied = applied;
  }

  private void run() {
    try {
      while (!stopping) {
        int n = reader.poll(this::apply, BATCH);
        publish();
        CompletableFuture<Long> request = snapshotRequest.getAndSet(null);
        if (request != null) {
          try {
            request.complete(takeSnapshot());
          } catch (RuntimeException e) {
            request.completeExceptionally(e);
          }
        }
        checkLag();
        if (n == 0) {
          writePositionWhenIdle();
          LockSupport.parkNanos(100_000);
        }
      }
    } catch (RuntimeException | Error e) {
      // Published before it is visible as the failure: whoever sees the failure finds the event.
      events.publish(
          LogRecord.builder(StabilityEventCode.STANDBY_APPLY_FAILED)
              .journalSeq(applied + 1)
              .message(
                  "standby "
                      + settings.name()
                      + " stopped at sequence "
                      + (applied + 1)
                      + ": "
                      + e
                      + "; it does not skip records, so it waits for an operator")
              .error(e)
              .attr("standby", settings.name()));
      publish();
      failure = e;
    } finally {
      publish();
      CompletableFuture<Long> pending = snapshotRequest.getAndSet(null);
      if (pending != null) {
        pending.completeExceptionally(new IllegalStateException("the follower stopped"));
      }
      try {
        writePositionIfBehind();
      } catch (RuntimeException e) {
        // reported below by the missing position at the next start; nothing else to do here
      }
      reader.close();
    }
  }

  private void apply(long sequence, long epoch, long timestamp, ByteBuffer payload) {
    machine.apply(sequence, epoch, payload);
    applied = sequence;
    appliedEpoch = epoch;
    appliedTimestamp = timestamp;
    // Checkpoints and snapshots are side duties: their failures are reported, following goes on.
    if (sequence >= nextCheckpoint) {
      nextCheckpoint = sequence + settings.checkpointEvery();
      try {
        Checkpoint checkpoint = Checkpoint.of(settings.name(), sequence, epoch, machine.digest());
        auditor.standby(checkpoint);
        lastCheckpoint = checkpoint;
        writePositionIfBehind();
      } catch (RuntimeException e) {
        sideDutyFailed("could not publish its checkpoint at " + sequence, e);
      }
    }
    if (sequence >= nextSnapshot) {
      nextSnapshot = sequence + settings.snapshotEvery();
      try {
        takeSnapshot();
      } catch (RuntimeException e) {
        sideDutyFailed("could not take its snapshot at " + sequence, e);
      }
    }
  }

  private void sideDutyFailed(String what, RuntimeException e) {
    events.publish(
        LogRecord.builder(StabilityEventCode.STANDBY_APPLY_FAILED)
            .journalSeq(applied)
            .message("standby " + settings.name() + " " + what + ": " + e + "; it keeps following")
            .error(e)
            .attr("standby", settings.name()));
  }

  private long takeSnapshot() {
    long sequence = applied;
    try {
      state.writeSnapshot(sequence, appliedEpoch, machine.snapshot());
    } catch (IOException e) {
      throw new UncheckedIOException("standby " + settings.name() + " cannot write a snapshot", e);
    }
    events.publish(
        LogRecord.builder(StabilityEventCode.SNAPSHOT_TAKEN)
            .journalSeq(sequence)
            .message("standby " + settings.name() + " took a snapshot at sequence " + sequence)
            .attr("standby", settings.name()));
    return sequence;
  }

  /**
   * When caught up, records the position at most ten times a second: a following standby is caught
   * up after nearly every poll, and each write forces a file and its directory.
   */
  private void writePositionWhenIdle() {
    long now = System.nanoTime();
    if (applied != positionWritten && now - positionWrittenAt >= POSITION_EVERY_NANOS) {
      writePositionIfBehind();
      positionWrittenAt = now;
    }
  }

  private void writePositionIfBehind() {
    long now = applied;
    if (now != positionWritten) {
      try {
        state.writePosition(now);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "standby " + settings.name() + " cannot record its position", e);
      }
      positionWritten = now;
    }
  }

  /** At most ten times a second, also while behind (not only when caught up). */
  private void checkLag() {
    long now = System.nanoTime();
    if (now - lagCheckedAt < 100_000_000L) {
      return;
    }
    lagCheckedAt = now;
    long lag = lag();
    if (lag < 0) {
      return;
    }
    boolean high = lag > settings.maxLag();
    if (high != lagging) {
      lagging = high;
      events.publish(
          LogRecord.builder(
                  high
                      ? StabilityEventCode.STANDBY_LAG_HIGH
                      : StabilityEventCode.STANDBY_LAG_RECOVERED)
              .journalSeq(applied)
              .message(
                  "standby "
                      + settings.name()
                      + (high
                          ? " is " + lag + " records behind (allowed " + settings.maxLag() + ")"
                          : " caught up"))
              .attr("standby", settings.name())
              .attr("lag", lag));
    }
  }

  @Override
  public long appliedSequence() {
    return publishedApplied;
  }

  @Override
  public long lag() {
    long last = source.lastSequence();
    return last < 0 ? -1 : Math.max(0, last - publishedApplied);
  }

  @Override
  public Duration timeLag() {
    long ts = publishedTimestamp;
    if (ts == 0 || lag() == 0) {
      return Duration.ZERO; // nothing waiting: not behind, however old the last record is
    }
    return Duration.ofMillis(Math.max(0, clock.millis() - ts / 1_000));
  }

  @Override
  public Optional<Checkpoint> lastCheckpoint() {
    return Optional.ofNullable(lastCheckpoint);
  }

  @Override
  public boolean awaitApplied(long sequence, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (publishedApplied < sequence) {
      if (failure != null || !thread.isAlive() || System.nanoTime() > deadline) {
        return publishedApplied >= sequence;
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      LockSupport.parkNanos(50_000);
    }
    return true;
  }

  @Override
  public long snapshot() throws InterruptedException {
    if (failure != null || !thread.isAlive()) {
      throw new IllegalStateException("standby " + settings.name() + " is not running", failure);
    }
    CompletableFuture<Long> request = new CompletableFuture<>();
    CompletableFuture<Long> earlier = snapshotRequest.getAndSet(request);
    if (earlier != null) {
      request.whenComplete(
          (seq, error) -> {
            if (error == null) {
              earlier.complete(seq);
            } else {
              earlier.completeExceptionally(error);
            }
          });
    }
    try {
      return request.get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "standby " + settings.name() + " could not snapshot", e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "standby " + settings.name() + " did not take the snapshot within 30 s", e);
    }
  }

  @Override
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  @Override
  public void close() {
    stopping = true;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "Follower[" + settings.name() + ", applied " + publishedApplied + "]";
  }
}
