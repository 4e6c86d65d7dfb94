package dev.stability.core.consistency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.consistency.Checkpoint;
import dev.stability.api.consistency.DigestValue;
import dev.stability.api.consistency.RecordEncoder;
import dev.stability.api.consistency.StateDigest;
import dev.stability.api.event.LogField;
import dev.stability.api.event.LogRecord;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.consistency.Positions.Position;
import dev.stability.core.consistency.StateDigestProperties.MapStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CheckpointAuditor#capturePrimary}: the order path's checkpoint is the digest as it was at
 * the call, compared later on the auditor's thread, and never lost.
 */
class CheckpointCaptureTest {

  private final CapturingSink sink = new CapturingSink();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private StabilityRuntime runtime;
  private CheckpointAuditor auditor;
  private final MapStore primary = new MapStore();
  private final Random random = new Random(11);

  @BeforeEach
  void start() {
    runtime = TestRuntimes.quiet("a1").meterRegistry(registry).eventSink(sink).build();
    auditor = runtime.consistency().auditor();
  }

  @AfterEach
  void stop() {
    runtime.close();
  }

  private void mutate(int times) {
    for (int i = 0; i < times; i++) {
      primary.apply(
          new Position(
              "A00" + random.nextInt(10),
              List.of("IF2612", "IC2612").get(random.nextInt(2)),
              random.nextInt(100),
              random.nextInt(100),
              BigDecimal.valueOf(random.nextInt(1_000_000), 2),
              random.nextBoolean()));
    }
  }

  private double checks() {
    return registry.get("stability.consistency.checks").counter().count();
  }

  private double mismatches() {
    return registry.get("stability.consistency.mismatches").counter().count();
  }

  private double direct() {
    return registry.get("stability.consistency.captures.direct").counter().count();
  }

  @Test
  void theCheckpointIsTheDigestAsItWasAtTheCallThoughTheStateChangesRightAfter() {
    mutate(100);
    Checkpoint atCapture = Checkpoint.of("standby", 100, 1, primary.digest);
    auditor.capturePrimary("primary", 100, 1, primary.digest);
    mutate(100); // before the auditor's thread has necessarily looked at the capture
    assertThat(auditor.awaitCaptured(Duration.ofSeconds(5))).isTrue();

    AuditResult result = auditor.standby(atCapture).orElseThrow();

    assertThat(result.matched()).isTrue();
    assertThat(result.primary().digest()).isEqualTo(atCapture.digest());
    assertThat(result.primary().buckets()).isEqualTo(atCapture.buckets());
    assertThat(result.primary().source()).isEqualTo("primary");
    assertThat(result.primary().epoch()).isEqualTo(1);
    assertThat(auditor.lastMatchedSequence()).hasValue(100);
  }

  @Test
  void theCallerNeitherWaitsForTheAuditorsLockNorRunsTheComparison() throws Exception {
    mutate(10);
    assertThat(auditor.standby(Checkpoint.of("standby", 10, 1, primary.digest))).isEmpty();
    double before = checks();
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder =
        new Thread(
            () -> {
              synchronized (auditor) { // the lock every comparison takes
                held.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            });
    holder.start();
    assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
    try {
      CompletableFuture.runAsync(() -> auditor.capturePrimary("primary", 10, 1, primary.digest))
          .get(5, TimeUnit.SECONDS); // returns though the auditor is locked
      assertThat(checks()).as("not compared yet: the auditor is locked").isEqualTo(before);
    } finally {
      release.countDown();
      holder.join();
    }

    assertThat(auditor.awaitCaptured(Duration.ofSeconds(5))).isTrue();
    assertThat(checks()).isEqualTo(before + 1);
    assertThat(auditor.lastMatchedSequence()).hasValue(10);
  }

  @Test
  void noCaptureIsLostWhenTheCallerOutrunsTheAuditorsThread() {
    int count = 2_000; // far more than the reserved slots: some are submitted on this thread
    for (int seq = 1; seq <= count; seq++) {
      mutate(1);
      auditor.standby(Checkpoint.of("standby", seq, 1, primary.digest));
      auditor.capturePrimary("primary", seq, 1, primary.digest);
    }
    assertThat(auditor.awaitCaptured(Duration.ofSeconds(10))).isTrue();

    assertThat(checks()).isEqualTo(count);
    assertThat(mismatches()).isZero();
    assertThat(auditor.lastMatchedSequence()).hasValue(count);
  }

  @Test
  void whenEverySlotWaitsTheCallerSubmitsItselfAndCountsIt() throws Exception {
    mutate(1);
    double before = checks();
    int count = 40; // the ring has 16 slots
    synchronized (auditor) { // the auditor's thread cannot compare: its slots fill up
      for (int seq = 1; seq <= count; seq++) {
        auditor.capturePrimary("primary", seq, 1, primary.digest);
      }
      // submitted on this thread (which holds the lock, so they are compared at once)
      assertThat(direct()).isGreaterThanOrEqualTo(count - 17.0).isLessThan(count);
    }
    assertThat(auditor.awaitCaptured(Duration.ofSeconds(5))).isTrue();
    assertThat(checks() - before)
        .as("every checkpoint waits for its standby: none was compared, none was lost")
        .isZero();
    for (int seq = 1; seq <= count; seq++) {
      assertThat(auditor.standby(Checkpoint.of("standby", seq, 1, primary.digest)))
          .as("checkpoint %d", seq)
          .hasValueSatisfying(result -> assertThat(result.matched()).isTrue());
    }
  }

  @Test
  void closingTheRuntimeSubmitsWhatWasCaptured() {
    mutate(5);
    auditor.standby(Checkpoint.of("standby", 5, 1, primary.digest));
    auditor.capturePrimary("primary", 5, 1, primary.digest);

    runtime.close(); // (the runtime's meters go with it)

    assertThat(auditor.lastMatchedSequence()).hasValue(5);
  }

  @Test
  void aCaptureAfterCloseIsStillComparedOnTheCallersThread() {
    mutate(5);
    runtime.close();
    auditor.standby(Checkpoint.of("standby", 5, 1, primary.digest));

    auditor.capturePrimary("primary", 5, 1, primary.digest);

    assertThat(auditor.lastMatchedSequence()).as("compared before the call returned").hasValue(5);
  }

  @Test
  void aCaptureThatCannotBeComparedIsReportedNamingItsSequence() throws Exception {
    StateDigest other = StateDigests.create(8);
    mutate(3);
    auditor.standby(Checkpoint.of("standby", 3, 1, other));

    auditor.capturePrimary("primary", 3, 1, primary.digest);
    assertThat(auditor.awaitCaptured(Duration.ofSeconds(5))).isTrue();

    assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
    List<LogRecord> failed = sink.withCode("CONSISTENCY_CHECK_FAILED");
    assertThat(failed)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.get(LogField.JOURNAL_SEQ)).isEqualTo(3L);
              assertThat(e.message())
                  .contains("captured at sequence 3")
                  .contains("different bucket counts")
                  .contains("8");
            });
    // The direct call throws the same error to its caller instead.
    auditor.standby(Checkpoint.of("standby", 4, 1, other));
    assertThatThrownBy(() -> auditor.primary(Checkpoint.of("primary", 4, 1, primary.digest)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("different bucket counts");
  }

  @Test
  void aDigestOfAnotherClassIsSubmittedOnTheCallersThread() {
    StateDigest own = new ForwardingDigest(primary.digest);
    mutate(7);
    auditor.capturePrimary("primary", 7, 1, own);

    // No wait: the primary's checkpoint is already there for the standby's to pair with.
    assertThat(auditor.standby(Checkpoint.of("standby", 7, 1, primary.digest)))
        .hasValueSatisfying(result -> assertThat(result.matched()).isTrue());
    assertThat(direct()).as("counted as submitted on the caller's thread").isEqualTo(1.0);
  }

  @Test
  void aCaptureSwitchesToADigestOfAnotherBucketCount() {
    StateDigest small = StateDigests.create(4);
    mutate(2);
    auditor.capturePrimary("primary", 1, 1, primary.digest);
    auditor.capturePrimary("primary", 2, 1, small);
    auditor.capturePrimary("primary", 3, 1, primary.digest);
    assertThat(auditor.awaitCaptured(Duration.ofSeconds(5))).isTrue();

    assertThat(auditor.standby(Checkpoint.of("s", 1, 1, primary.digest)).orElseThrow().matched())
        .isTrue();
    assertThat(auditor.standby(Checkpoint.of("s", 2, 1, small)).orElseThrow().matched()).isTrue();
    assertThat(auditor.standby(Checkpoint.of("s", 3, 1, primary.digest)).orElseThrow().matched())
        .isTrue();
  }

  @Test
  void badArgumentsAreRefusedOnTheCallersThread() {
    assertThatThrownBy(() -> auditor.capturePrimary("primary", -1, 1, primary.digest))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sequence must be >= 0, got -1");
    assertThatThrownBy(() -> auditor.capturePrimary(null, 1, 1, primary.digest))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("source");
    assertThatThrownBy(() -> auditor.capturePrimary("primary", 1, 1, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("digest");
  }

  /** A digest of the application's own class: it answers through the SDK's digest. */
  private record ForwardingDigest(StateDigest inner) implements StateDigest {
    @Override
    public <R> void add(RecordEncoder<R> encoder, R record) {
      inner.add(encoder, record);
    }

    @Override
    public <R> void remove(RecordEncoder<R> encoder, R record) {
      inner.remove(encoder, record);
    }

    @Override
    public <R> void replace(RecordEncoder<R> encoder, R before, R after) {
      inner.replace(encoder, before, after);
    }

    @Override
    public DigestValue value() {
      return inner.value();
    }

    @Override
    public int bucketCount() {
      return inner.bucketCount();
    }

    @Override
    public DigestValue bucket(int bucket) {
      return inner.bucket(bucket);
    }

    @Override
    public List<DigestValue> buckets() {
      return inner.buckets();
    }

    @Override
    public <R> int bucketOf(RecordEncoder<R> encoder, R record) {
      return inner.bucketOf(encoder, record);
    }

    @Override
    public void clear() {
      inner.clear();
    }
  }
}
