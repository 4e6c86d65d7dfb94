package dev.stability.aeron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.stability.api.consistency.DigestValue;
import dev.stability.api.journal.EpochFencedException;
import dev.stability.api.journal.Journal;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.journal.ReplicaJournal;
import dev.stability.core.switchover.RemotePrimary;
import dev.stability.core.switchover.SwitchRefusedException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standby's controller asks the primary to hand over: the primary stops its input, fences, sends
 * everything and answers with where it stopped; a primary that cannot or will not hand over refuses
 * and goes on, unfenced; a primary that is gone does not answer and the request says so.
 */
class HandoverTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private StabilityRuntime primaryRuntime;
  private StabilityRuntime standbyRuntime;
  private AeronMedia primaryMedia;
  private AeronMedia standbyMedia;
  private Journal primaryJournal;
  private ReplicaJournal replica;
  private JournalPublisher publisher;
  private AeronJournalSource source;

  @BeforeEach
  void start() {
    primaryRuntime = TestRuntimes.quiet("primary").build();
    standbyRuntime = TestRuntimes.quiet("standby").build();
    primaryMedia =
        AeronMedia.start(
            AeronMediaSettings.lowCpu().termLength(1 << 20).directory(dir.resolve("a")).build());
    standbyMedia =
        AeronMedia.start(
            AeronMediaSettings.lowCpu().termLength(1 << 20).directory(dir.resolve("b")).build());
    primaryJournal = primaryRuntime.journals().open(journal("primary"));
    replica = standbyRuntime.journals().openReplica(journal("standby"));
    ReplicationSettings settings =
        ReplicationSettings.builder("orders")
            .udp(Loopback.freeEndpoint(), Loopback.freeEndpoint())
            .heartbeat(Duration.ofMillis(20))
            .build();
    publisher = JournalPublisher.start(primaryRuntime, primaryJournal, primaryMedia, settings);
    source = AeronJournalSource.start(standbyRuntime, replica, standbyMedia, settings);
    for (int i = 0; i < 1_000; i++) {
      primaryJournal.append(1, new byte[] {(byte) i});
    }
    await().atMost(WAIT).until(() -> source.receivedSequence() == 1_000);
  }

  @AfterEach
  void stop() {
    source.close();
    publisher.close();
    replica.close();
    primaryJournal.close();
    standbyMedia.close();
    primaryMedia.close();
    standbyRuntime.close();
    primaryRuntime.close();
  }

  private JournalSettings journal(String name) {
    return JournalSettings.builder(name, dir.resolve(name)).flush(FlushPolicy.os()).build();
  }

  @Test
  void thePrimaryStopsFencesSendsEverythingAndSaysWhereItStopped() throws Exception {
    DigestValue digest = new DigestValue(1_000, 7, 9);
    boolean[] stopped = {false};
    publisher.acceptHandover(
        () -> {
          stopped[0] = true;
          return digest;
        });

    RemotePrimary.Handover handover = source.remotePrimary().handover(WAIT);

    assertThat(stopped[0]).isTrue();
    assertThat(handover).isEqualTo(new RemotePrimary.Handover(1_000, 2, digest));
    assertThat(source.receivedSequence()).isEqualTo(1_000);
    assertThat(publisher.handedOver()).isTrue();
    assertThatThrownBy(() -> publisher.journal().append(1, new byte[1]))
        .isInstanceOf(EpochFencedException.class);
    // asked again (the answer was lost, or a second controller): the same place
    assertThat(source.remotePrimary().handover(WAIT).lastSequence()).isEqualTo(1_000);
  }

  @Test
  void aPrimaryThatDoesNotAcceptHandoversRefusesAndGoesOnUnfenced() {
    assertThatThrownBy(() -> source.remotePrimary().handover(WAIT))
        .isInstanceOf(SwitchRefusedException.class)
        .hasMessageContaining("the primary refused to hand over")
        .hasMessageContaining("JournalPublisher.acceptHandover");
    assertThat(primaryJournal.epoch()).isEqualTo(1);
    assertThat(publisher.journal().append(1, new byte[1])).isEqualTo(1_001);
  }

  @Test
  void aHandlerThatFailsRefusesTheHandoverAndNothingIsFenced() {
    publisher.acceptHandover(
        () -> {
          throw new IllegalStateException("the matching engine is in an auction");
        });
    assertThatThrownBy(() -> source.remotePrimary().handover(WAIT))
        .isInstanceOf(SwitchRefusedException.class)
        .hasMessageContaining("the matching engine is in an auction");
    assertThat(primaryJournal.epoch()).isEqualTo(1);
    assertThat(publisher.handedOver()).isFalse();
    assertThat(publisher.journal().append(1, new byte[1])).isEqualTo(1_001);
  }

  @Test
  void aPrimaryThatIsGoneDoesNotAnswerAndTheRequestSaysWhatToDo() {
    publisher.close();
    assertThatThrownBy(() -> source.remotePrimary().handover(Duration.ofMillis(300)))
        .isInstanceOf(SwitchRefusedException.class)
        .hasMessageContaining("did not answer the handover within 300 ms")
        .hasMessageContaining("fail over");
  }
}
