package dev.stability.examples.replication;

import dev.stability.aeron.AckPolicy;
import dev.stability.aeron.AeronJournalSource;
import dev.stability.aeron.AeronMedia;
import dev.stability.aeron.AeronMediaSettings;
import dev.stability.aeron.JournalPublisher;
import dev.stability.aeron.ReplicationSettings;
import dev.stability.api.Role;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.journal.Journal;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.journal.ReplicaJournal;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A primary and its standby on two hosts, replicating a journal over Aeron with SEMI_SYNC
 * acknowledgement: the smallest program that shows {@code stability-aeron} end to end. Run the
 * standby first, then the primary (each host names itself and the other):
 *
 * <pre>
 * # on the standby host (10.0.0.2)
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp &lt;class path&gt; \
 *     dev.stability.examples.replication.ReplicationExample standby /data/orders 10.0.0.2:20121 10.0.0.1:20122
 * # on the primary host (10.0.0.1): 100000 orders at 10000 a second
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp &lt;class path&gt; \
 *     dev.stability.examples.replication.ReplicationExample primary /data/orders 10.0.0.2:20121 10.0.0.1:20122 100000 10000
 * </pre>
 *
 * <p>The primary prints, each second, what it appended, what it may acknowledge (journaled by the
 * standby too) and the replication lag; the standby prints what it received. Both use an embedded
 * media driver.
 */
public final class ReplicationExample {

  private ReplicationExample() {}

  /** What a run saw at its end. */
  public record Result(long appended, long acknowledged, long received) {}

  /**
   * {@code primary|standby <dir> <standby host:port> <primary host:port> [orders] [per second]}.
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.out.println(
          "usage: primary|standby <dir> <standby host:port> <primary host:port> [orders] [rate]");
      return;
    }
    long orders = args.length > 4 ? Long.parseLong(args[4]) : 100_000;
    int rate = args.length > 5 ? Integer.parseInt(args[5]) : 10_000;
    Role role = args[0].equalsIgnoreCase("primary") ? Role.PRIMARY : Role.STANDBY;
    run(role, Path.of(args[1]), args[2], args[3], orders, rate, System.out, () -> false);
  }

  /**
   * Runs one side until it is done (the primary: every order acknowledged) or {@code stop} says so
   * (the standby runs until then).
   */
  public static Result run(
      Role role,
      Path dir,
      String standbyEndpoint,
      String primaryEndpoint,
      long orders,
      int rate,
      PrintStream out,
      BooleanSupplier stop)
      throws InterruptedException {
    ReplicationSettings settings =
        ReplicationSettings.builder("orders")
            .udp(standbyEndpoint, primaryEndpoint)
            .ack(AckPolicy.SEMI_SYNC)
            .confirmTimeout(Duration.ofSeconds(2))
            .build();
    ServiceIdentity identity =
        ServiceIdentity.builder()
            .systemCode("FUT")
            .subsystem("matching")
            .instanceId(role == Role.PRIMARY ? "match-a1" : "match-b1")
            .role(role)
            .build();
    JournalSettings journal =
        JournalSettings.builder(
                "orders", dir.resolve(role.name().toLowerCase(java.util.Locale.ROOT)))
            .flush(FlushPolicy.batch(64, Duration.ofMillis(2)))
            .build();
    try (StabilityRuntime runtime = StabilityRuntime.builder(identity).build();
        AeronMedia media =
            AeronMedia.start(
                AeronMediaSettings.lowCpu()
                    .directory(
                        dir.resolve("aeron-" + role.name().toLowerCase(java.util.Locale.ROOT)))
                    .build())) {
      if (role == Role.STANDBY) {
        ReplicaJournal own = runtime.journals().openReplica(journal);
        try (AeronJournalSource source = AeronJournalSource.start(runtime, own, media, settings)) {
          long lastPrint = System.nanoTime();
          while (!stop.getAsBoolean()) {
            Thread.sleep(10);
            if (System.nanoTime() - lastPrint > 1_000_000_000L) {
              lastPrint = System.nanoTime();
              out.printf(
                  "standby: received %d, primary at %d%n",
                  source.receivedSequence(), source.lastSequence());
            }
          }
          return new Result(0, 0, source.receivedSequence());
        }
      }
      Journal local = runtime.journals().open(journal);
      try (JournalPublisher publisher = JournalPublisher.start(runtime, local, media, settings)) {
        Journal orderJournal = publisher.journal();
        byte[] order = new byte[64];
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long lastPrint = start;
        for (long i = 0; i < orders && !stop.getAsBoolean(); i++) {
          long due = start + i * interval;
          long early = due - System.nanoTime();
          if (early > 0) {
            LockSupport.parkNanos(early);
          }
          order[0] = (byte) i;
          orderJournal.append(1, order); // a client is acknowledged once durableSequence covers it
          if (System.nanoTime() - lastPrint > 1_000_000_000L) {
            lastPrint = System.nanoTime();
            out.printf(
                "primary: appended %d, acknowledged %d, replication lag %d%n",
                orderJournal.lastSequence(), orderJournal.durableSequence(), publisher.lag());
          }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (orderJournal.durableSequence() < orderJournal.lastSequence()
            && System.nanoTime() < deadline) {
          orderJournal.sync();
          Thread.sleep(5);
        }
        out.printf(
            "primary: appended %d, acknowledged %d (journaled by the standby: %d)%n",
            orderJournal.lastSequence(),
            orderJournal.durableSequence(),
            publisher.confirmedSequence());
        return new Result(
            orderJournal.lastSequence(),
            orderJournal.durableSequence(),
            publisher.confirmedSequence());
      }
    }
  }
}
