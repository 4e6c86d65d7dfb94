package dev.stability.core.standby;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.consistency.Checkpoint;
import dev.stability.api.journal.Journal;
import dev.stability.core.CapturingSink;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FollowerTest {

  @TempDir Path dir;
  private final CapturingSink sink = new CapturingSink();
  private StabilityRuntime runtime;
  private Journal journal;

  static byte[] order(SplittableRandom random) {
    return NetBook.order(random);
  }

  @BeforeEach
  void start() {
    runtime = TestRuntimes.quiet("b1").eventSink(sink).build();
    journal =
        runtime
            .journals()
            .open(
                JournalSettings.builder("orders", dir.resolve("journal"))
                    .segmentSize(1 << 20)
                    .flush(FlushPolicy.os())
                    .build());
  }

  @AfterEach
  void stop() {
    runtime.close();
  }

  private void append(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < count; i++) {
      journal.append(1, order(random));
    }
  }

  private FollowerSettings.Builder settings() {
    return FollowerSettings.builder("standby", dir.resolve("standby")).checkpointEvery(1000);
  }

  @Test
  void resumingAfterARestartAppliesEveryRecordExactlyOnce() throws Exception {
    append(10_000, 1);
    NetBook book = new NetBook(); // its state outlives the follower, as a durable store would
    Follower first =
        runtime
            .standby()
            .follow(
                settings().start(FollowerSettings.Start.RESUME).build(),
                JournalSource.of(journal),
                book);
    assertThat(first.awaitApplied(3_000, Duration.ofSeconds(10))).isTrue();
    first.close();
    long stoppedAt = first.appliedSequence();
    assertThat(Files.readString(dir.resolve("standby/position")).strip())
        .isEqualTo(String.valueOf(stoppedAt));

    append(5_000, 2);
    Follower second =
        runtime
            .standby()
            .follow(
                settings().start(FollowerSettings.Start.RESUME).build(),
                JournalSource.of(journal),
                book);
    assertThat(second.awaitApplied(15_000, Duration.ofSeconds(10))).isTrue();
    second.close();
    assertThat(book.applied)
        .as("no record applied twice, none skipped")
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 15_000).boxed().toList());
  }

  @Test
  void aRebuildFromSnapshotAndTailHasTheSameDigestAsAFullReplay() throws Exception {
    append(10_000, 3);
    NetBook first = new NetBook();
    Follower snapshotting =
        runtime
            .standby()
            .follow(settings().snapshotEvery(2_500).build(), JournalSource.of(journal), first);
    assertThat(snapshotting.awaitApplied(10_000, Duration.ofSeconds(10))).isTrue();
    snapshotting.close();
    append(3_000, 4);

    NetBook rebuilt = new NetBook();
    Follower rebuilding =
        runtime.standby().follow(settings().build(), JournalSource.of(journal), rebuilt);
    assertThat(rebuilding.awaitApplied(13_000, Duration.ofSeconds(10))).isTrue();
    rebuilding.close();
    assertThat(rebuilt.applied.get(0)).as("started after the snapshot at 10000").isEqualTo(10_001);

    NetBook full = new NetBook();
    Follower replaying =
        runtime
            .standby()
            .follow(
                FollowerSettings.builder("full", dir.resolve("full")).build(),
                JournalSource.of(journal),
                full);
    assertThat(replaying.awaitApplied(13_000, Duration.ofSeconds(10))).isTrue();
    replaying.close();
    assertThat(rebuilt.digest.value()).isEqualTo(full.digest.value());
    assertThat(rebuilt.net).isEqualTo(full.net);
    assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
    assertThat(sink.withCode("SNAPSHOT_RESTORED")).hasSize(1);
  }

  @Test
  void checkpointsReachTheAuditorAndMatchThePrimary() throws Exception {
    // The primary applies the same orders to its own book and publishes its checkpoints too.
    NetBook primary = new NetBook();
    SplittableRandom random = new SplittableRandom(5);
    NetBook standby = new NetBook();
    Follower follower =
        runtime.standby().follow(settings().build(), JournalSource.of(journal), standby);
    for (long seq = 1; seq <= 5_000; seq++) {
      byte[] order = order(random);
      long written = journal.append(1, order);
      primary.apply(written, 1, ByteBuffer.wrap(order));
      if (written % 1000 == 0) {
        runtime
            .consistency()
            .auditor()
            .primary(Checkpoint.of("primary", written, 1, primary.digest));
      }
    }
    assertThat(follower.awaitApplied(5_000, Duration.ofSeconds(10))).isTrue();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> runtime.consistency().auditor().lastMatchedSequence().orElse(0) == 5_000);
    assertThat(follower.lastCheckpoint().orElseThrow().sequence()).isEqualTo(5_000);
    assertThat(follower.lag()).isZero();
  }

  @Test
  void aRecordThatCannotBeAppliedStopsTheStandbyInsteadOfBeingSkipped() throws Exception {
    append(100, 6);
    NetBook book = new NetBook();
    book.failAt = 77;
    Follower follower =
        runtime.standby().follow(settings().build(), JournalSource.of(journal), book);
    assertThat(follower.awaitApplied(100, Duration.ofSeconds(2))).isFalse();
    long deadline = System.nanoTime() + 10_000_000_000L; // the follower may not have reached 77 yet
    while (follower.failure().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(follower.appliedSequence()).isEqualTo(76);
    assertThat(follower.failure())
        .get()
        .satisfies(e -> assertThat(e).hasMessage("cannot apply order 77"));
    assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
    assertThat(sink.withCode("STANDBY_APPLY_FAILED").get(0).message())
        .contains("stopped at sequence 77")
        .contains("it does not skip records");
    assertThat(follower.lag()).isEqualTo(24);
  }

  @Test
  void aDamagedSnapshotIsSkippedForTheOneBefore() throws Exception {
    append(4_000, 7);
    NetBook first = new NetBook();
    Follower snapshotting =
        runtime
            .standby()
            .follow(settings().snapshotEvery(1_000).build(), JournalSource.of(journal), first);
    assertThat(snapshotting.awaitApplied(4_000, Duration.ofSeconds(10))).isTrue();
    snapshotting.close();
    Path newest;
    try (Stream<Path> files = Files.list(dir.resolve("standby"))) {
      newest =
          files
              .filter(p -> p.getFileName().toString().startsWith("snapshot-"))
              .max(Path::compareTo)
              .orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(newest);
    bytes[bytes.length - 1] ^= 0x5A;
    Files.write(newest, bytes);

    NetBook rebuilt = new NetBook();
    Follower rebuilding =
        runtime.standby().follow(settings().build(), JournalSource.of(journal), rebuilt);
    assertThat(rebuilding.awaitApplied(4_000, Duration.ofSeconds(10))).isTrue();
    rebuilding.close();
    assertThat(rebuilt.applied.get(0)).isEqualTo(3_001);
    assertThat(rebuilt.digest.value()).isEqualTo(first.digest.value());
    assertThat(runtime.events().awaitDelivery(Duration.ofSeconds(5))).isTrue();
    assertThat(sink.withCode("STANDBY_APPLY_FAILED").get(0).message())
        .contains("skipped a damaged snapshot")
        .contains("checksum mismatch");
  }

  @Test
  void aStandbyReadsTheJournalFilesTheWayAnotherProcessWould() throws Exception {
    append(2_000, 8);
    NetBook book = new NetBook();
    Follower follower =
        runtime
            .standby()
            .follow(settings().build(), JournalSource.files(dir.resolve("journal")), book);
    assertThat(follower.awaitApplied(2_000, Duration.ofSeconds(10))).isTrue();
    assertThat(follower.lag()).as("a file source cannot tell the primary's end").isEqualTo(-1);
    assertThat(book.applied).hasSize(2_000);
    Map<Integer, Long> copy = Map.copyOf(book.net);
    assertThat(copy).isNotEmpty();
  }

  @Test
  void aSnapshotOnRequestIsTakenBetweenRecordsAndRestoresTheSameState() throws Exception {
    append(3_000, 9);
    NetBook book = new NetBook();
    Follower follower =
        runtime.standby().follow(settings().build(), JournalSource.of(journal), book);
    assertThat(follower.awaitApplied(3_000, Duration.ofSeconds(10))).isTrue();
    assertThat(follower.snapshot()).isEqualTo(3_000);
    follower.close();
    assertThatThrownBy(follower::snapshot)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("standby standby is not running");

    NetBook restored = new NetBook();
    Follower again =
        runtime.standby().follow(settings().build(), JournalSource.of(journal), restored);
    assertThat(again.awaitApplied(3_000, Duration.ofSeconds(10))).isTrue();
    again.close();
    assertThat(restored.applied).as("nothing replayed: the snapshot was at the end").isEmpty();
    assertThat(restored.digestValue()).isEqualTo(book.digestValue());
  }

  @Test
  void aStateMachineThatKeepsItsOwnPositionResumesExactlyAfterIt() throws Exception {
    append(1_000, 10);
    NetBook book =
        new NetBook() {
          @Override
          public long lastApplied() {
            return applied.isEmpty() ? 0 : applied.get(applied.size() - 1);
          }
        };
    Follower first =
        runtime
            .standby()
            .follow(
                settings().start(FollowerSettings.Start.RESUME).build(),
                JournalSource.of(journal),
                book);
    assertThat(first.awaitApplied(1_000, Duration.ofSeconds(10))).isTrue();
    first.close();
    // The recorded position is stale (as after a crash): the state machine's own wins.
    Files.writeString(dir.resolve("standby/position"), "10\n");
    append(500, 11);
    Follower second =
        runtime
            .standby()
            .follow(
                settings().start(FollowerSettings.Start.RESUME).build(),
                JournalSource.of(journal),
                book);
    assertThat(second.awaitApplied(1_500, Duration.ofSeconds(10))).isTrue();
    second.close();
    assertThat(book.applied)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 1_500).boxed().toList());
  }

  @Test
  void aStandbyFarBehindReportsItsLagWhileCatchingUp() throws Exception {
    append(200_000, 12);
    NetBook book = new NetBook();
    Follower follower =
        runtime.standby().follow(settings().maxLag(10).build(), JournalSource.of(journal), book);
    assertThat(follower.awaitApplied(200_000, Duration.ofSeconds(30))).isTrue();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !sink.withCode("STANDBY_LAG_RECOVERED").isEmpty());
    assertThat(sink.withCode("STANDBY_LAG_HIGH")).isNotEmpty();
    assertThat(follower.timeLag()).isEqualTo(Duration.ZERO);
  }
}
