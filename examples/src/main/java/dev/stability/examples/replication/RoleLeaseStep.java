package dev.stability.examples.replication;

import dev.stability.api.ServiceIdentity;
import dev.stability.api.journal.EpochFencedException;
import dev.stability.api.journal.Journal;
import dev.stability.api.switchover.EndpointRegistry;
import dev.stability.api.switchover.RoleNotHeldException;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.journal.LeasedJournal;
import dev.stability.testkit.evidence.EvidenceReport;
import dev.stability.zookeeper.EmbeddedZooKeeper;
import dev.stability.zookeeper.RoleLeaseSettings;
import dev.stability.zookeeper.ZooKeeperConnection;
import dev.stability.zookeeper.ZooKeeperEndpointRegistry;
import dev.stability.zookeeper.ZooKeeperRoleLease;
import dev.stability.zookeeper.ZooKeeperSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The demo's "one primary across hosts" step, on a ZooKeeper server embedded in the demo's JVM (so
 * the demo needs nothing installed; production points {@link ZooKeeperSettings} at its ensemble).
 * Two participants of one system, each on its own ZooKeeper session: the primary takes the role
 * lease and its epoch, publishes itself in the name service and takes orders through a {@link
 * LeasedJournal}; the standby cannot take the role while the primary holds it; the primary's
 * process dies (its session closes, without a release): the standby takes the role at once with a
 * greater epoch and fences the journal, a client watching the name service is told, and the old
 * primary's input is refused, first by the epoch fence and, from its lease's deadline on, by the
 * lease itself.
 */
public final class RoleLeaseStep {

  private static final Duration SESSION = Duration.ofSeconds(2);

  private RoleLeaseStep() {}

  /** Runs the step, printing as it goes; returns its evidence (R9, R18). */
  public static List<EvidenceReport.Evidence> run(PrintStream out, Path dir) throws Exception {
    List<EvidenceReport.Evidence> evidence = new ArrayList<>();
    try (EmbeddedZooKeeper server =
            EmbeddedZooKeeper.start(dir.resolve("zookeeper"), Duration.ofMillis(200));
        StabilityRuntime primaryRuntime = runtime("fut-a1");
        StabilityRuntime standbyRuntime = runtime("fut-b1");
        ZooKeeperConnection standbyZk = connect(server.connectString());
        ZooKeeperConnection clientZk = connect(server.connectString());
        ZooKeeperRoleLease standby =
            ZooKeeperRoleLease.open(
                standbyRuntime, standbyZk, RoleLeaseSettings.of("FUT", "fut-b1"));
        ZooKeeperEndpointRegistry standbyRegistry = ZooKeeperEndpointRegistry.open(standbyZk);
        ZooKeeperEndpointRegistry clientRegistry = ZooKeeperEndpointRegistry.open(clientZk)) {
      // the primary's own connection: closed below, as its process dying would
      ZooKeeperConnection primaryZk = connect(server.connectString());
      ZooKeeperRoleLease primary =
          ZooKeeperRoleLease.open(primaryRuntime, primaryZk, RoleLeaseSettings.of("FUT", "fut-a1"));
      ZooKeeperEndpointRegistry registry = ZooKeeperEndpointRegistry.open(primaryZk);
      try {
        out.println(
            "   embedded ZooKeeper at "
                + server.connectString()
                + " (production: the ensemble's addresses)");
        Journal journal = primaryRuntime.journals().inMemory(); // the replicated journal, in brief
        long first = primary.acquire(journal.epoch(), Duration.ofSeconds(10)).orElseThrow();
        journal.fence(first);
        registry.publish("futures", "127.0.0.1:9101", first);
        Journal input = LeasedJournal.of(journal, primary);
        for (int i = 0; i < 1_000; i++) {
          input.append(first, new byte[] {(byte) i});
        }
        out.printf(
            Locale.ROOT,
            "   fut-a1 holds the role at epoch %d and took %d orders through its leased journal%n",
            first,
            journal.lastSequence());
        OptionalLong refused = standby.acquire(journal.epoch(), Duration.ofMillis(300));
        out.println(
            "   fut-b1 asked for the role for 300 ms: "
                + (refused.isEmpty() ? "not granted (fut-a1 holds it)" : "GRANTED"));

        long[] toldAt = {0};
        EndpointRegistry.Entry[] told = {null};
        ZooKeeperEndpointRegistry.Subscription watch =
            clientRegistry.watch(
                "futures",
                entry -> {
                  synchronized (told) {
                    if (entry.epoch() > first && told[0] == null) {
                      told[0] = entry;
                      toldAt[0] = System.nanoTime();
                      told.notifyAll();
                    }
                  }
                });
        try {
          primaryZk.close(); // fut-a1's process dies: its session ends, nothing released
          long died = System.nanoTime();
          long second = standby.acquire(journal.epoch(), Duration.ofSeconds(10)).orElseThrow();
          long granted = System.nanoTime();
          journal.fence(second);
          standbyRegistry.publish("futures", "127.0.0.1:9102", second);
          synchronized (told) {
            long end = System.nanoTime() + 5_000_000_000L;
            while (told[0] == null && System.nanoTime() < end) {
              told.wait(100);
            }
          }
          String fencedBy = tryAppend(input, first);
          long deadline = System.nanoTime() + SESSION.toNanos() * 2;
          while (primary.held() && System.nanoTime() < deadline) {
            Thread.sleep(20);
          }
          String stoppedBy = tryAppend(input, first);
          double takeoverMs = (granted - died) / 1e6;
          double toldMs = told[0] == null ? -1 : (toldAt[0] - granted) / 1e6;
          out.printf(
              Locale.ROOT,
              "   fut-a1 died: fut-b1 granted the role at epoch %d after %.1f ms; the name service"
                  + " told a client of %s %.1f ms later%n",
              second,
              takeoverMs,
              told[0] == null ? "nothing" : told[0].address(),
              toldMs);
          out.println(
              "   fut-a1's next order: " + fencedBy + "; after its lease's deadline: " + stoppedBy);
          boolean passed =
              refused.isEmpty()
                  && second > first
                  && told[0] != null
                  && told[0].epoch() == second
                  && fencedBy.startsWith("refused")
                  && stoppedBy.startsWith("refused (role lease")
                  && journal.lastSequence() == 1_000;
          evidence.add(
              new EvidenceReport.Evidence(
                  "R9",
                  "TradingDemo.roleLease",
                  String.format(
                      Locale.ROOT,
                      "one primary across hosts on an embedded ZooKeeper: epoch %d then %d, the"
                          + " standby refused while the primary held the role, granted %.1f ms"
                          + " after the primary's session ended, the old primary's input %s then %s,"
                          + " clients told of the new primary %.1f ms after the grant",
                      first,
                      second,
                      takeoverMs,
                      fencedBy,
                      stoppedBy,
                      toldMs),
                  passed,
                  "{\"first_epoch\":"
                      + first
                      + ",\"second_epoch\":"
                      + second
                      + ",\"takeover_ms\":"
                      + takeoverMs
                      + ",\"told_ms\":"
                      + toldMs
                      + "}"));
        } finally {
          watch.close();
        }
      } finally {
        registry.close();
        primary.close();
        primaryZk.close();
      }
    }
    return evidence;
  }

  /** One order from the old primary: what happened to it. */
  private static String tryAppend(Journal input, long epoch) {
    try {
      input.append(epoch, new byte[] {1});
      return "ACCEPTED";
    } catch (EpochFencedException e) {
      return "refused (epoch " + e.epoch() + " fenced by " + e.current() + ")";
    } catch (RoleNotHeldException e) {
      return "refused (role lease not held)";
    }
  }

  private static StabilityRuntime runtime(String instance) {
    return StabilityRuntime.builder(
            ServiceIdentity.builder()
                .systemCode("FUT")
                .subsystem("core")
                .instanceId(instance)
                .build())
        .slf4jOutput(false)
        .build();
  }

  private static ZooKeeperConnection connect(String connect) throws InterruptedException {
    return ZooKeeperConnection.start(
        ZooKeeperSettings.builder(connect)
            .sessionTimeout(SESSION)
            .connectionTimeout(SESSION)
            .build());
  }
}
