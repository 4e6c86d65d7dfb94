package dev.stability.zookeeper;

import dev.stability.aeron.AckPolicy;
import dev.stability.aeron.AeronJournalSource;
import dev.stability.aeron.AeronMedia;
import dev.stability.aeron.AeronMediaSettings;
import dev.stability.aeron.ConfirmTimeoutAction;
import dev.stability.aeron.DigestBook;
import dev.stability.aeron.JournalPublisher;
import dev.stability.aeron.ReplicationSettings;
import dev.stability.aeron.process.ChildJvm;
import dev.stability.api.Role;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.StabilityException;
import dev.stability.api.health.HealthStatus;
import dev.stability.api.journal.EpochFencedException;
import dev.stability.api.journal.Journal;
import dev.stability.api.switchover.RoleNotHeldException;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.journal.LeasedJournal;
import dev.stability.core.journal.ReplicaJournal;
import dev.stability.core.operations.Approval;
import dev.stability.core.operations.OperationSettings;
import dev.stability.core.standby.Follower;
import dev.stability.core.standby.FollowerSettings;
import dev.stability.core.switchover.FailoverPolicy;
import dev.stability.core.switchover.PrimaryLeaseWatch;
import dev.stability.core.switchover.SwitchController;
import dev.stability.core.switchover.SwitchParticipants;
import dev.stability.core.switchover.SwitchReadiness;
import dev.stability.core.switchover.SwitchReport;
import dev.stability.core.switchover.SwitchSettings;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A primary or a standby of system {@code OMS} in a child JVM, for the cross-process lease tests.
 * Arguments: {@code primary|standby <dir> <zkConnect> <sessionMs> <zkRoot> <standbyEndpoint>
 * <primaryEndpoint> <MANUAL|AUTOMATIC> <servicePort>}.
 *
 * <p>The primary takes the role lease, fences its journal with the epoch, replicates it over Aeron
 * (SEMI_SYNC: a record is durable once the standby confirmed it) and serves input: it appends
 * through a {@link LeasedJournal} and acknowledges a record once it is durable and only if its
 * lease is still held. The standby follows over Aeron and watches the lease with the policy; once
 * promoted (the lease taken, its journal fenced with the new epoch) it serves input on its own
 * journal the same way and listens on {@code servicePort} (what the name service points clients
 * at).
 *
 * <p>What they print, one line each ({@code t}: {@link System#nanoTime()}, the host's monotonic
 * clock, comparable across the processes of one Linux host): {@code session <id> <password>};
 * {@code serving <epoch> <t>} when input starts; {@code acked <epoch> <seq> <t>} per acknowledged
 * record, {@code t} taken before the lease is checked; {@code refused <t> <why>} at the first
 * append refused for the lease or the epoch ({@code unavailable <t> <why>}: for another reason);
 * {@code ready} (standby following); {@code detected <t>} when the watch first asks for the
 * automatic failover; {@code promoted <epoch> <t>}; {@code failed <why>}.
 */
public final class LeaseProcess {

  private LeaseProcess() {}

  /** Entry point of the child JVM. */
  public static void main(String[] args) throws Exception {
    ChildJvm.exitWhenParentGone();
    String role = args[0];
    Path dir = Path.of(args[1]);
    ZooKeeperSettings zk =
        ZooKeeperSettings.builder(args[2])
            .sessionTimeout(Duration.ofMillis(Long.parseLong(args[3])))
            .root(args[4])
            .build();
    ReplicationSettings replication =
        ReplicationSettings.builder("orders")
            .udp(args[5], args[6])
            .ack(AckPolicy.SEMI_SYNC)
            .confirmTimeout(Duration.ofSeconds(2))
            .onConfirmTimeout(ConfirmTimeoutAction.REFUSE)
            .heartbeat(Duration.ofMillis(20))
            .build();
    FailoverPolicy policy = FailoverPolicy.valueOf(args[7]);
    int servicePort = Integer.parseInt(args[8]);
    PrintStream out = System.out;
    String participant = role.equals("primary") ? "oms-a1" : "oms-b1";
    ServiceIdentity identity =
        ServiceIdentity.builder()
            .systemCode("OMS")
            .subsystem("oe")
            .instanceId(participant)
            .role(role.equals("primary") ? Role.PRIMARY : Role.STANDBY)
            .build();
    try (StabilityRuntime runtime =
            TestRuntimes.quiet(identity)
                .operations(
                    OperationSettings.builder()
                        .logFile(dir.resolve("ops-" + role + "/operations.jsonl"))
                        .build())
                .build();
        AeronMedia media =
            AeronMedia.start(
                AeronMediaSettings.lowCpu()
                    .termLength(1 << 20)
                    .directory(dir.resolve("aeron-" + role))
                    .build());
        ZooKeeperConnection connection = ZooKeeperConnection.start(zk);
        ZooKeeperRoleLease lease =
            ZooKeeperRoleLease.open(runtime, connection, RoleLeaseSettings.of("OMS", participant));
        ZooKeeperEndpointRegistry registry = ZooKeeperEndpointRegistry.open(connection)) {
      var zooKeeper = connection.curator().getZookeeperClient().getZooKeeper();
      say(
          out,
          "session "
              + Long.toHexString(zooKeeper.getSessionId())
              + " "
              + HexFormat.of().formatHex(zooKeeper.getSessionPasswd()));
      JournalSettings journalSettings =
          JournalSettings.builder(role, dir.resolve("journal-" + role))
              .segmentSize(16 << 20)
              .flush(FlushPolicy.os())
              .build();
      if (role.equals("primary")) {
        Journal journal = runtime.journals().open(journalSettings);
        long epoch = lease.acquire(journal.epoch(), Duration.ofSeconds(30)).orElseThrow();
        journal.fence(epoch);
        try (JournalPublisher publisher =
            JournalPublisher.start(runtime, journal, media, replication)) {
          registry.publish("orders", "127.0.0.1:" + servicePort, epoch);
          Journal replicated = publisher.journal();
          serve(LeasedJournal.of(replicated, lease), replicated, lease, epoch, out);
        }
      } else {
        ReplicaJournal journal = runtime.journals().openReplica(journalSettings);
        AeronJournalSource source = AeronJournalSource.start(runtime, journal, media, replication);
        DigestBook book = new DigestBook();
        Follower follower =
            runtime
                .standby()
                .follow(
                    FollowerSettings.builder(participant, dir.resolve("follower")).build(),
                    source,
                    book);
        long[] promoted = {0};
        SwitchController controller =
            runtime
                .switchover()
                .controller(
                    SwitchSettings.of("orders", "127.0.0.1:" + servicePort),
                    SwitchParticipants.builder()
                        .journal(journal)
                        .standby(follower)
                        .stopPrimary(source::close)
                        .primaryDigest(
                            () -> {
                              throw new IllegalStateException("the primary is gone");
                            })
                        .standbyDigest(() -> book.digest().value())
                        .standbyHealth(() -> HealthStatus.UP)
                        .promote(
                            epoch -> {
                              synchronized (promoted) {
                                promoted[0] = epoch;
                                promoted.notifyAll();
                              }
                              say(out, "promoted " + epoch + " " + System.nanoTime());
                            })
                        .registry(registry)
                        .primaryLastSequence(source::lastSequence)
                        .lease(lease)
                        .build());
        // A standby joins a primary: it watches the role once somebody holds it (the AUTOMATIC
        // policy would take a role that nobody holds yet).
        while (!holderPresent(lease)) {
          Thread.sleep(20);
        }
        say(out, "ready");
        try (PrimaryLeaseWatch watch =
            PrimaryLeaseWatch.start(
                runtime, lease, new Detecting(controller, out), policy, Duration.ofMillis(50))) {
          long epoch;
          synchronized (promoted) {
            while (promoted[0] == 0) {
              promoted.wait();
            }
            epoch = promoted[0];
          }
          listen(servicePort);
          serve(LeasedJournal.of(journal, lease), journal, lease, epoch, out);
        }
      }
    } catch (Throwable e) {
      say(out, "failed " + e);
      throw e;
    }
  }

  /**
   * The application's input: append through the leased journal, wait until durable, acknowledge
   * only if the lease is still held. Runs until the process is killed.
   */
  private static void serve(
      LeasedJournal input, Journal durable, ZooKeeperRoleLease lease, long epoch, PrintStream out)
      throws InterruptedException {
    say(out, "serving " + epoch + " " + System.nanoTime());
    ByteBuffer payload = ByteBuffer.allocate(16);
    boolean refused = false;
    boolean unavailable = false;
    long counter = 0;
    while (true) {
      payload.clear();
      payload.putLong(epoch).putLong(++counter).flip();
      long sequence;
      try {
        sequence = input.append(epoch, payload);
      } catch (RoleNotHeldException | EpochFencedException e) {
        if (!refused) {
          refused = true;
          say(out, "refused " + System.nanoTime() + " " + e.getMessage());
        }
        Thread.sleep(10);
        continue;
      } catch (StabilityException e) {
        if (!unavailable) {
          unavailable = true; // e.g. no standby confirmed yet (SEMI_SYNC refuses then)
          say(out, "unavailable " + System.nanoTime() + " " + e.getMessage());
        }
        Thread.sleep(10);
        continue;
      }
      long until = System.nanoTime() + 5_000_000_000L;
      while (durable.durableSequence() < sequence && System.nanoTime() < until) {
        LockSupport.parkNanos(50_000);
      }
      if (durable.durableSequence() >= sequence) {
        long t = System.nanoTime(); // before the check: the lease was held at an instant after t
        if (lease.held()) {
          say(out, "acked " + epoch + " " + sequence + " " + t);
        }
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  private static boolean holderPresent(ZooKeeperRoleLease lease) {
    try {
      return lease.holder().isPresent();
    } catch (IllegalStateException e) {
      return false; // cannot be read yet
    }
  }

  /** Accepts (and closes) connections on {@code port}: the new primary's service address. */
  private static void listen(int port) throws java.io.IOException {
    ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
    Thread accept =
        new Thread(
            () -> {
              while (true) {
                try (Socket client = server.accept()) {
                  client.getOutputStream().write('!');
                } catch (java.io.IOException e) {
                  return;
                }
              }
            },
            "service");
    accept.setDaemon(true);
    accept.start();
  }

  private static void say(PrintStream out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  /** The standby's controller, noting when the watch first asks for the automatic failover. */
  private static final class Detecting implements SwitchController {
    private final SwitchController controller;
    private final PrintStream out;
    private final AtomicBoolean told = new AtomicBoolean();

    Detecting(SwitchController controller, PrintStream out) {
      this.controller = controller;
      this.out = out;
    }

    @Override
    public SwitchReadiness readiness(Approval approval) {
      return controller.readiness(approval);
    }

    @Override
    public SwitchReport switchover(Approval approval) throws Exception {
      return controller.switchover(approval);
    }

    @Override
    public SwitchReport failover(Approval approval) throws Exception {
      return controller.failover(approval);
    }

    @Override
    public SwitchReport failoverAutomatically(String trigger) throws Exception {
      if (told.compareAndSet(false, true)) {
        say(out, "detected " + System.nanoTime());
      }
      SwitchReport report = controller.failoverAutomatically(trigger);
      say(out, "takeover " + report.takeover().toNanos() + " " + report.switchSequence());
      return report;
    }
  }
}
