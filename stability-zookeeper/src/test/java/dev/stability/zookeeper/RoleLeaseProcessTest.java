package dev.stability.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stability.aeron.Loopback;
import dev.stability.aeron.process.ChildJvm;
import dev.stability.api.switchover.EndpointRegistry.Entry;
import dev.stability.core.switchover.FailoverPolicy;
import dev.stability.zookeeper.ProcessHistory.Ack;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Primary and standby as child JVMs ({@link LeaseProcess}): the role lease on a real 3-node
 * ensemble in this JVM, the journal replicated over Aeron (SEMI_SYNC), the standby on the AUTOMATIC
 * policy. The primary is cut off the ensemble until its session expires, stopped with SIGSTOP past
 * its session, or killed with SIGKILL; each time the standby takes the role with a new epoch and
 * serves, the old primary acknowledged nothing after it was promoted (monotonic clock of the host),
 * and every acknowledged record is in the new primary's journal exactly once, in order.
 */
class RoleLeaseProcessTest {

  static final long SESSION_MS = 4_000;
  private static TestingCluster cluster;

  @TempDir Path tempDir;
  private Path dir;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private ChildJvm primary;
  private ChildJvm standby;
  private int servicePort;

  @BeforeAll
  static void startEnsemble() throws Exception {
    cluster = Ensembles.cluster(3);
  }

  @AfterAll
  static void stopEnsemble() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (ChildJvm child : new ChildJvm[] {primary, standby}) {
      if (child != null) {
        String output = child.output();
        System.out.println(output.length() > 4_000 ? output.substring(0, 4_000) : output);
      }
    }
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  /**
   * Starts the primary and the standby (which watches the role once the primary holds it) and waits
   * until the primary acknowledges input the standby confirmed.
   */
  private void startPair(String root, String primaryConnect) throws Exception {
    dir = java.nio.file.Files.createDirectories(tempDir.resolve(root.substring(1)));
    String standbyEndpoint = Loopback.freeEndpoint();
    String primaryEndpoint = Loopback.freeEndpoint();
    servicePort = freePort();
    primary = child("primary", primaryConnect, root, standbyEndpoint, primaryEndpoint, freePort());
    standby =
        child(
            "standby",
            cluster.getConnectString(),
            root,
            standbyEndpoint,
            primaryEndpoint,
            servicePort);
    await("the primary acknowledges input")
        .atMost(Duration.ofSeconds(60))
        .failFast(() -> primary.printed(l -> l.startsWith("failed")))
        .until(() -> ProcessHistory.acks("primary", primary).size() >= 200);
    assertThat(standby.printed(l -> l.startsWith("promoted"))).isFalse();
  }

  private ChildJvm child(
      String role,
      String connect,
      String root,
      String standbyEndpoint,
      String primaryEndpoint,
      int port)
      throws Exception {
    ChildJvm child =
        ChildJvm.start(
            role,
            LeaseProcess.class,
            role,
            dir.toString(),
            connect,
            Long.toString(SESSION_MS),
            root,
            standbyEndpoint,
            primaryEndpoint,
            FailoverPolicy.AUTOMATIC.name(),
            Integer.toString(port));
    resources.add(child);
    return child;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Waits until the standby was promoted and acknowledged input; its promotion's time. */
  private long awaitStandbyServing() {
    await("the standby promoted and acknowledging")
        .atMost(Duration.ofSeconds(60))
        .failFast(() -> standby.printed(l -> l.startsWith("failed")))
        .until(() -> ProcessHistory.acks("standby", standby).size() >= 100);
    return ProcessHistory.first(standby, "promoted").orElseThrow()[1];
  }

  /** The checks over both processes' acknowledgements and the standby's journal. */
  private void assertHistory(long promotedAt) throws Exception {
    List<Ack> old = ProcessHistory.acks("primary", primary);
    List<Ack> fresh = ProcessHistory.acks("standby", standby);
    assertThat(old).isNotEmpty();
    assertThat(fresh).isNotEmpty();
    long oldEpoch = old.get(0).epoch();
    long newEpoch = fresh.get(0).epoch();
    assertThat(newEpoch).isGreaterThan(oldEpoch);
    assertThat(old).allMatch(a -> a.epoch() == oldEpoch);
    assertThat(fresh).allMatch(a -> a.epoch() == newEpoch);
    long lastOld = old.stream().mapToLong(Ack::t).max().orElseThrow();
    assertThat(lastOld)
        .as("the old primary's last acknowledgement came before the standby's promotion")
        .isLessThan(promotedAt);
    List<Ack> all = new ArrayList<>(old);
    all.addAll(fresh);
    assertThat(ProcessHistory.oneProcessPerEpoch(all)).isEmpty();
    standby.kill(); // its journal as it is on disk, read in this JVM
    assertThat(ProcessHistory.inFinalJournal(all, dir.resolve("journal-standby"))).isEmpty();
  }

  @Test
  void aPrimaryCutOffTheEnsembleStopsBeforeItsSessionExpiresAndTheStandbyTakesOver()
      throws Exception {
    List<PartitionProxy> proxies = new ArrayList<>();
    for (InstanceSpec spec : cluster.getInstances()) {
      PartitionProxy proxy = new PartitionProxy(spec.getPort());
      proxies.add(proxy);
      resources.add(proxy);
    }
    startPair(
        "/cut-off",
        proxies.stream().map(p -> "127.0.0.1:" + p.port()).collect(Collectors.joining(",")));

    long cut = System.nanoTime();
    proxies.forEach(PartitionProxy::partition);
    long promotedAt = awaitStandbyServing();
    proxies.forEach(PartitionProxy::heal);
    await("the old primary refuses input")
        .atMost(Duration.ofSeconds(30))
        .until(() -> primary.printed(l -> l.startsWith("refused")));
    int acked = ProcessHistory.acks("primary", primary).size();
    Thread.sleep(1_000);
    assertThat(ProcessHistory.acks("primary", primary)).hasSize(acked);
    assertHistory(promotedAt);
    System.out.printf(
        "cut off: standby promoted %d ms after the cut (session %d ms)%n",
        (promotedAt - cut) / 1_000_000, SESSION_MS);
  }

  @Test
  void aPrimaryStoppedPastItsSessionFindsItselfFencedWhenItResumesAndAcknowledgesNothing()
      throws Exception {
    startPair("/stopped", cluster.getConnectString());
    primary.pause(); // SIGSTOP: every thread of it, the lease's too
    long stoppedAt = System.nanoTime(); // the signal was sent: it stopped before this
    long promotedAt = awaitStandbyServing();
    assertThat(promotedAt - stoppedAt).isGreaterThan(SESSION_MS * 1_000_000L * 3 / 5);
    int ackedBefore = ProcessHistory.acks("primary", primary).size();
    primary.resume(); // SIGCONT: it goes on where it stopped
    await("the resumed primary finds it no longer holds the role")
        .atMost(Duration.ofSeconds(30))
        .until(() -> primary.printed(l -> l.startsWith("refused")));
    Thread.sleep(1_000);
    List<Ack> old = ProcessHistory.acks("primary", primary);
    assertThat(old)
        .as("nothing acknowledged after the stop (a line may come late, its check not)")
        .allMatch(a -> a.t() < stoppedAt);
    assertThat(old.size() - ackedBefore).isLessThanOrEqualTo(1);
    assertThat(primary.lines().stream().filter(l -> l.startsWith("refused")).findFirst())
        .get()
        .asString()
        .contains("does not hold the primary role");
    assertHistory(promotedAt);
  }

  /**
   * With {@code -Dfailover.runs=N} (default 1) it runs N times and prints the distribution of the
   * timings (BENCHMARKS.md, "Role lease and automatic failover").
   */
  @Test
  void aKilledPrimaryIsReplacedByTheStandbyAndClientsFollowTheNameService() throws Exception {
    int runs = Integer.getInteger("failover.runs", 1);
    List<long[]> timings = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      timings.add(killAndTakeOver("/killed-" + run));
    }
    if (runs > 1) {
      String[] names = {
        "detection (kill -> vacancy seen)",
        "takeover (vacancy seen -> first input acknowledged)",
        "of which: vacancy seen -> promoted",
        "kill -> first input acknowledged",
        "client: promoted -> connected to the new primary",
        "client: promoted -> told by the name service",
        "client: told -> connected"
      };
      for (int i = 0; i < names.length; i++) {
        int column = i;
        long[] sorted = timings.stream().mapToLong(t -> t[column]).sorted().toArray();
        System.out.printf(
            "failover %s over %d runs: min %d, median %d, max %d ms; all %s%n",
            names[i],
            runs,
            sorted[0] / 1_000_000,
            sorted[sorted.length / 2] / 1_000_000,
            sorted[sorted.length - 1] / 1_000_000,
            java.util.Arrays.stream(sorted)
                .mapToObj(v -> Long.toString(v / 1_000_000))
                .collect(Collectors.joining(" ")));
      }
    }
  }

  /** One run: kill -9 the primary; the timings in nanoseconds (see the names above). */
  private long[] killAndTakeOver(String root) throws Exception {
    startPair(root, cluster.getConnectString());
    ZooKeeperEndpointRegistry registry =
        ZooKeeperEndpointRegistry.open(
            ZooKeeperConnection.start(
                ZooKeeperSettings.builder(cluster.getConnectString()).root(root).build()));
    resources.add(registry.connection());
    resources.add(registry);
    long oldEpoch = registry.primary("orders").orElseThrow().epoch();
    AtomicLong toldAt = new AtomicLong();
    AtomicLong connectedAt = new AtomicLong();
    resources.add(
        registry.watch(
            "orders",
            entry -> {
              if (entry.epoch() > oldEpoch && toldAt.compareAndSet(0, System.nanoTime())) {
                connectedAt.set(connect(entry));
              }
            }));

    long killedAt = System.nanoTime();
    primary.kill(); // SIGKILL
    long promotedAt = awaitStandbyServing();
    await().atMost(Duration.ofSeconds(10)).until(() -> connectedAt.get() != 0);
    long detectedAt = ProcessHistory.first(standby, "detected").orElseThrow()[0];
    long servingAt = ProcessHistory.first(standby, "serving").orElseThrow()[1];
    long firstAck = ProcessHistory.acks("standby", standby).get(0).t();
    assertHistory(promotedAt);

    assertThat(detectedAt - killedAt)
        .as("detection: the session timeout and one reading of the watch")
        .isGreaterThan(SESSION_MS * 1_000_000L * 3 / 4);
    assertThat(firstAck).isGreaterThan(servingAt);
    assertThat(registry.primary("orders").orElseThrow())
        .isEqualTo(
            new Entry(
                "127.0.0.1:" + servicePort,
                ProcessHistory.acks("standby", standby).get(0).epoch()));
    System.out.printf(
        "failover: detection %d ms, takeover %d ms (promoted %d ms after detection), client"
            + " told %d ms and connected %d ms after the promotion%n",
        (detectedAt - killedAt) / 1_000_000,
        (firstAck - detectedAt) / 1_000_000,
        (promotedAt - detectedAt) / 1_000_000,
        (toldAt.get() - promotedAt) / 1_000_000,
        (connectedAt.get() - promotedAt) / 1_000_000);
    return new long[] {
      detectedAt - killedAt,
      firstAck - detectedAt,
      promotedAt - detectedAt,
      firstAck - killedAt,
      connectedAt.get() - promotedAt,
      toldAt.get() - promotedAt,
      connectedAt.get() - toldAt.get()
    };
  }

  /** A client reconnecting to the new primary: tries until the address answers; the time then. */
  private static long connect(Entry entry) {
    String[] hostPort = entry.address().split(":");
    long until = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < until) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 1_000);
        if (socket.getInputStream().read() == '!') {
          return System.nanoTime();
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      }
    }
    return 0;
  }
}
