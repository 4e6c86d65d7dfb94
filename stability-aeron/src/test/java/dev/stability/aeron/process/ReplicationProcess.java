package dev.stability.aeron.process;

import dev.stability.aeron.AckPolicy;
import dev.stability.aeron.AeronJournalSource;
import dev.stability.aeron.AeronMedia;
import dev.stability.aeron.AeronMediaSettings;
import dev.stability.aeron.ConfirmTimeoutAction;
import dev.stability.aeron.JournalPublisher;
import dev.stability.aeron.ReplicationSettings;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.journal.Journal;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.journal.ReplicaJournal;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A primary or a standby in a child JVM, for the cross-process tests. Arguments: {@code primary|
 * standby <dir> <standbyEndpoint> <primaryEndpoint> <ASYNC|SEMI_SYNC> <records> [<rate> [archive]]
 * }. The primary appends {@code records} records of 100 bytes (0: forever) as fast as
 * acknowledgements allow (or at most {@code rate} a second), with at most 256 unacknowledged, and
 * prints {@code ack N} each time the acknowledged sequence moves (what its clients were told), then
 * {@code done N}; with {@code archive} its media records into an Aeron Archive. The standby prints
 * {@code ready}, then {@code received N} and {@code replayed N} (records it took from an archive
 * replay) every 20 ms. Both run until killed.
 */
public final class ReplicationProcess {

  private ReplicationProcess() {}

  /** Entry point of the child JVM. */
  public static void main(String[] args) throws Exception {
    ChildJvm.exitWhenParentGone();
    String role = args[0];
    Path dir = Path.of(args[1]);
    ReplicationSettings settings =
        ReplicationSettings.builder("orders")
            .udp(args[2], args[3])
            .ack(AckPolicy.valueOf(args[4]))
            .confirmTimeout(Duration.ofSeconds(30))
            .onConfirmTimeout(ConfirmTimeoutAction.REFUSE)
            .heartbeat(Duration.ofMillis(20))
            .build();
    long records = Long.parseLong(args[5]);
    long rate = args.length > 6 ? Long.parseLong(args[6]) : 0;
    boolean archived = args.length > 7 && args[7].equals("archive");
    AeronMediaSettings.Builder mediaSettings =
        AeronMediaSettings.lowCpu().termLength(4 << 20).directory(dir.resolve("aeron-" + role));
    if (archived) {
      mediaSettings.archive(dir.resolve("archive-" + role));
    }
    PrintStream out = System.out;
    ServiceIdentity identity =
        ServiceIdentity.builder().systemCode("OMS").subsystem("oe").instanceId(role).build();
    try (StabilityRuntime runtime = TestRuntimes.quiet(identity).build();
        AeronMedia media = AeronMedia.start(mediaSettings.build())) {
      JournalSettings journal =
          JournalSettings.builder(role, dir.resolve(role))
              .segmentSize(64 << 20)
              .flush(FlushPolicy.os())
              .build();
      if (role.equals("primary")) {
        Journal local = runtime.journals().open(journal);
        try (JournalPublisher publisher = JournalPublisher.start(runtime, local, media, settings)) {
          primary(publisher.journal(), records, rate, out);
        }
      } else {
        ReplicaJournal local = runtime.journals().openReplica(journal);
        try (AeronJournalSource source =
            AeronJournalSource.start(runtime, local, media, settings)) {
          out.println("ready");
          out.flush();
          while (true) {
            out.println("received " + source.receivedSequence());
            out.println("replayed " + source.replayedRecords());
            out.flush();
            Thread.sleep(20);
          }
        }
      }
    }
  }

  private static void primary(Journal journal, long records, long rate, PrintStream out)
      throws InterruptedException {
    long started = System.nanoTime();
    byte[] payload = new byte[100];
    long acknowledged = journal.durableSequence();
    out.println("ready " + journal.lastSequence());
    out.flush();
    long appended = 0;
    while (records == 0 || appended < records) {
      if (rate > 0 && System.nanoTime() - started < appended * 1_000_000_000L / rate) {
        java.util.concurrent.locks.LockSupport.parkNanos(50_000);
      } else if (journal.lastSequence() - acknowledged < 256) {
        long next = journal.lastSequence() + 1;
        for (int i = 0; i < payload.length; i++) {
          payload[i] = (byte) (next * 31 + i);
        }
        journal.append(1, payload);
        appended++;
      } else {
        Thread.onSpinWait();
      }
      long durable = journal.durableSequence();
      if (durable > acknowledged) {
        acknowledged = durable;
        if (records == 0) {
          out.println("ack " + acknowledged); // forever: the kill tests read every ack
        }
      }
    }
    while (journal.durableSequence() < journal.lastSequence()) {
      Thread.sleep(1);
    }
    out.println("ack " + journal.durableSequence());
    out.println("done " + journal.lastSequence());
    out.flush();
    while (true) {
      Thread.sleep(1_000);
    }
  }
}
