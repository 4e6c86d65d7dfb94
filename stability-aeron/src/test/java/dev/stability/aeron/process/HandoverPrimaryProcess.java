package dev.stability.aeron.process;

import dev.stability.aeron.AeronMedia;
import dev.stability.aeron.AeronMediaSettings;
import dev.stability.aeron.AeronWarmLink;
import dev.stability.aeron.DigestBook;
import dev.stability.aeron.JournalPublisher;
import dev.stability.aeron.ReplicationSettings;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.journal.EpochFencedException;
import dev.stability.api.journal.Journal;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.operations.Operation;
import dev.stability.core.operations.OperationSettings;
import dev.stability.core.operations.Risk;
import dev.stability.testkit.members.MemberGateway;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * A primary in a child JVM that hands over when its standby's controller asks: it appends records
 * at a rate and applies each to a {@link DigestBook} (its state), and holds member sessions on a
 * TCP gateway. Asked to hand over, it stops appending, closes the gateway and every session
 * (members then reconnect through the endpoint registry) and returns its digest. Arguments: {@code
 * <dir> <standbyEndpoint> <primaryEndpoint> <gatewayPort> <rate>}. Prints {@code ack N} as it
 * appends, {@code handed-over N} once fenced, then {@code fenced} when an append of its old epoch
 * was refused. Its runtime carries a warm-standby state over an {@link AeronWarmLink}: the clearing
 * link's breaker open, the risk database's guard forced open, one operation logged.
 */
public final class HandoverPrimaryProcess {

  private HandoverPrimaryProcess() {}

  /** Entry point of the child JVM. */
  public static void main(String[] args) throws Exception {
    ChildJvm.exitWhenParentGone();
    Path dir = Path.of(args[0]);
    ReplicationSettings settings =
        ReplicationSettings.builder("orders")
            .udp(args[1], args[2])
            .heartbeat(Duration.ofMillis(20))
            .build();
    int gatewayPort = Integer.parseInt(args[3]);
    long rate = Long.parseLong(args[4]);
    PrintStream out = System.out;
    ServiceIdentity identity =
        ServiceIdentity.builder().systemCode("OMS").subsystem("oe").instanceId("primary").build();
    try (StabilityRuntime runtime =
            TestRuntimes.quiet(identity)
                .guard(WarmGuards.clearingLink())
                .guard(WarmGuards.riskDb())
                .operations(
                    OperationSettings.builder()
                        .logFile(dir.resolve("ops-primary/operations.jsonl"))
                        .build())
                .build();
        AeronMedia media =
            AeronMedia.start(
                AeronMediaSettings.lowCpu()
                    .termLength(4 << 20)
                    .directory(dir.resolve("aeron-primary"))
                    .build());
        MemberGateway gateway = MemberGateway.open(gatewayPort)) {
      Journal journal =
          runtime
              .journals()
              .open(
                  JournalSettings.builder("primary", dir.resolve("primary"))
                      .segmentSize(64 << 20)
                      .flush(FlushPolicy.os())
                      .build());
      DigestBook book = new DigestBook();
      // State the standby must take over warm: a breaker the clearing link opened, a guard an
      // operator forced open, and the operation log's records of both.
      WarmGuards.open(runtime.guards().guard("clearing-link"));
      runtime.guards().guard("risk-db").forceOpen();
      runtime
          .operations()
          .record(
              Operation.builder("guard.force-open", Risk.ROUTINE)
                  .operator("zhang.san")
                  .target("risk-db")
                  .reason("risk database failing over")
                  .build(),
              true,
              "");
      CountDownLatch stopped = new CountDownLatch(1);
      boolean[] stop = {false};
      try (JournalPublisher publisher = JournalPublisher.start(runtime, journal, media, settings);
          AeronWarmLink warm =
              AeronWarmLink.primary(
                  runtime, journal::epoch, media, settings, Duration.ofMillis(50))) {
        publisher.acceptHandover(
            () -> {
              synchronized (stop) {
                stop[0] = true;
              }
              stopped.await();
              gateway.close(); // every member session dropped
              return book.digest().value();
            });
        out.println("ready");
        out.flush();
        byte[] payload = new byte[100];
        long started = System.nanoTime();
        long appended = 0;
        while (true) {
          synchronized (stop) {
            if (stop[0]) {
              break;
            }
          }
          if (System.nanoTime() - started < appended * 1_000_000_000L / rate) {
            LockSupport.parkNanos(100_000);
            continue;
          }
          long next = journal.lastSequence() + 1;
          for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (next * 31 + i);
          }
          long sequence = journal.append(1, payload);
          book.apply(sequence, 1, ByteBuffer.wrap(payload));
          appended++;
          if (appended % 100 == 0) {
            out.println("ack " + sequence);
            out.flush();
          }
        }
        stopped.countDown();
        while (!publisher.handedOver()) {
          Thread.sleep(1);
        }
        out.println("handed-over " + journal.lastSequence());
        out.flush();
        try {
          publisher.journal().append(1, payload);
          out.println("NOT FENCED: an append of the old epoch was accepted");
        } catch (EpochFencedException expected) {
          out.println("fenced");
        }
        out.flush();
        while (warm.sent() >= 0) { // the old primary goes on sending its state: refused there
          Thread.sleep(1_000);
        }
      }
    }
  }
}
