package dev.stability.examples.replication;

import dev.stability.aeron.AeronMedia;
import dev.stability.aeron.AeronMediaSettings;
import dev.stability.aeron.AeronWarmLink;
import dev.stability.aeron.JournalPublisher;
import dev.stability.aeron.ReplicationSettings;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.event.LogRecord;
import dev.stability.api.journal.Journal;
import dev.stability.api.switchover.EndpointRegistry;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.guard.Guard;
import dev.stability.core.health.CheckResult;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.operations.Operation;
import dev.stability.core.operations.OperationSettings;
import dev.stability.core.operations.Risk;
import dev.stability.core.switchover.EndpointRegistries;
import dev.stability.examples.trading.MapTradingCore;
import dev.stability.examples.trading.Market;
import dev.stability.examples.trading.OrderFlow;
import dev.stability.testkit.evidence.EvidenceReport;
import dev.stability.testkit.members.MemberGateway;
import dev.stability.testkit.members.MemberSessions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The demo's "standby on another host" step: the primary (the map-book core) in the demo's JVM, the
 * heterogeneous standby ({@link RemoteStandby}, the array-book core) in a JVM of its own,
 * replicated over Aeron on loopback UDP with the primary's stream recorded in an Aeron Archive. It
 * shows the remote lag, kills the standby with SIGKILL under load and restarts it (it catches up
 * from the archive), then runs a planned switchover from the standby's side: the primary hands
 * over, the standby promotes, and members reconnect to it through the endpoint registry.
 */
public final class RemoteStandbyStep {

  private static final int MEMBERS = 10;
  private static final int RATE = 5_000;

  private RemoteStandbyStep() {}

  /** Runs the step, printing as it goes; returns its evidence (R5, R9, R11). */
  public static List<EvidenceReport.Evidence> run(PrintStream out, Path dir) throws Exception {
    String standbyEndpoint = "localhost:" + freeUdpPort();
    String primaryEndpoint = "localhost:" + freeUdpPort();
    int standbyPort = freeTcpPort();
    String standbyAddress = "127.0.0.1:" + standbyPort;
    Path registryFile = dir.resolve("registry.properties");
    EndpointRegistry registry = EndpointRegistries.file(registryFile);

    List<String> said = new CopyOnWriteArrayList<>();
    ReplicationSettings settings =
        ReplicationSettings.builder("futures")
            .udp(standbyEndpoint, primaryEndpoint)
            .heartbeat(Duration.ofMillis(20))
            .build();
    ServiceIdentity identity =
        ServiceIdentity.builder().systemCode("FUT").subsystem("core").instanceId("fut-a2").build();
    List<EvidenceReport.Evidence> evidence = new ArrayList<>();
    try (StabilityRuntime runtime =
            StabilityRuntime.builder(identity)
                .slf4jOutput(false)
                .guard(RemoteStandby.clearingLink())
                .operations(
                    OperationSettings.builder()
                        .logFile(dir.resolve("operations-a2").resolve("ops.jsonl"))
                        .build())
                .eventSink(
                    (LogRecord record, String line) -> {
                      if (record.code().equals("REPLICATION_CATCH_UP")
                          || record.code().equals("SWITCHOVER_FENCED")) {
                        said.add(record.code() + ": " + record.message());
                      }
                    })
                .build();
        AeronMedia media =
            AeronMedia.start(
                AeronMediaSettings.lowCpu()
                    .directory(dir.resolve("aeron-a2"))
                    .archive(dir.resolve("archive-a2"))
                    .build());
        Journal journal =
            runtime
                .journals()
                .open(
                    JournalSettings.builder("futures", dir.resolve("journal-a2"))
                        .flush(FlushPolicy.os())
                        .build());
        JournalPublisher publisher = JournalPublisher.start(runtime, journal, media, settings);
        AeronWarmLink warm =
            AeronWarmLink.primary(
                runtime,
                () -> publisher.journal().epoch(),
                media,
                settings,
                RemoteStandby.WARM_INTERVAL)) {
      runtime.health().register(publisher.healthCheck());
      MemberGateway gateway = MemberGateway.open(0); // closed by the handover, or at the end
      String primaryAddress = gateway.address();
      registry.publish("futures", primaryAddress, 1);
      Market market = Market.demo(1_000);
      MapTradingCore core = new MapTradingCore(market);
      OrderFlow flow = new OrderFlow(market, 11);

      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch stopped = new CountDownLatch(1);
      publisher.acceptHandover(
          () -> {
            stop.set(true); // no more orders: the order loop ends at a record boundary
            stopped.await();
            gateway.close(); // members are dropped; they find the new primary in the registry
            return core.digest().value();
          });
      Thread orders =
          new Thread(
              () -> {
                long started = System.nanoTime();
                long sent = 0;
                while (!stop.get()) {
                  long due = started + sent * 1_000_000_000L / RATE;
                  long now = System.nanoTime();
                  if (now < due) {
                    LockSupport.parkNanos(100_000);
                    continue;
                  }
                  if (now - due > 50_000_000L) {
                    started = now - sent * 1_000_000_000L / RATE; // fell behind: no burst after
                  }
                  byte[] order = flow.nextPayload();
                  long sequence = publisher.journal().append(1, order);
                  core.apply(sequence, 1, ByteBuffer.wrap(order));
                  sent++;
                }
                stopped.countDown();
              },
              "orders");
      orders.setDaemon(true);
      orders.start();

      MemberSessions members =
          MemberSessions.start(
              runtime, "futures", MEMBERS, registry, primaryAddress, standbyAddress);

      String[] standbyArgs = {
        dir.toString(),
        standbyEndpoint,
        primaryEndpoint,
        String.valueOf(standbyPort),
        registryFile.toString()
      };
      Child standby = Child.start(standbyArgs);
      try {
        Child first = standby;
        await(() -> first.applied() > 0, Duration.ofSeconds(30));
        out.printf(
            Locale.ROOT,
            "   primary fut-a2 (map-book) here, standby fut-b2 (array-book) in JVM pid %d; %d"
                + " members connected to the primary; orders at %,d/s%n",
            standby.pid(),
            members.awaitConnected(Duration.ofSeconds(10)),
            RATE);
        for (int i = 0; i < 3; i++) {
          Thread.sleep(500);
          out.printf(
              Locale.ROOT,
              "   journal %,d; standby received %,d, applied %,d; remote lag %d%n",
              journal.lastSequence(),
              standby.received(),
              standby.applied(),
              publisher.remoteLag());
        }

        CheckResult readiness = runtime.health().check("replication-futures");
        out.printf(
            Locale.ROOT,
            "   the primary's trading readiness reads its remote standby: %s %s, %s%n",
            readiness.name(),
            readiness.status(),
            readiness.reason());
        standby.kill();
        out.printf(
            Locale.ROOT,
            "   standby killed with SIGKILL at %,d applied; the primary goes on%n",
            standby.applied());
        Thread.sleep(700);
        long behind = journal.lastSequence();
        standby = Child.start(standbyArgs);
        Child restarted = standby;
        await(() -> restarted.applied() >= behind, Duration.ofSeconds(20));
        out.printf(
            Locale.ROOT,
            "   restarted: %,d records replayed to it from the primary's archive; caught up%n",
            restarted.replayed());
        said.stream()
            .filter(s -> s.startsWith("REPLICATION_CATCH_UP"))
            .reduce((a, b) -> b)
            .ifPresent(s -> out.println("   " + s));
        Thread.sleep(300);

        // Warm state the standby must take over: the clearing link refused five logins, so its
        // breaker opened here, and an operator recorded what was done about it.
        Guard clearing = runtime.guards().guard("clearing-link");
        for (int i = 0; i < 5; i++) {
          clearing.call(
              () -> {
                throw new IllegalStateException("clearing link refused the login");
              },
              e -> null);
        }
        runtime
            .operations()
            .record(
                Operation.builder("clearing.failover-requested", Risk.ROUTINE)
                    .operator("wang.wu")
                    .target("clearing-link")
                    .reason("the clearing house's primary link refuses logins")
                    .build(),
                true,
                "breaker " + clearing.circuitState());
        long primaryRecords = runtime.operations().log().verify().records();
        out.printf(
            Locale.ROOT,
            "   on the primary: clearing-link breaker %s; operation log %d records, chain intact%n",
            clearing.circuitState(),
            primaryRecords);
        long sentBefore = warm.sent();
        await(() -> warm.sent() >= sentBefore + 3, Duration.ofSeconds(10)); // carried over

        members.switchStarted();
        String result = standby.command("switchover zhang.san li.si", "switched", "refused");
        out.println("   standby: " + result);
        String[] warmed = standby.awaitLine("warm").split(" ");
        boolean breakerKept = warmed.length == 5 && warmed[1].equals("OPEN");
        boolean chainKept =
            warmed.length == 5
                && warmed[3].equals("intact")
                && warmed[4].equals("fut-a2")
                && Long.parseLong(warmed[2]) > primaryRecords;
        out.printf(
            Locale.ROOT,
            "   the new primary took over warm: clearing-link breaker %s; its operation log goes on"
                + " with fut-a2's chain, %s records verified %s across the switch%n",
            warmed.length == 5 ? warmed[1] : "?",
            warmed.length == 5 ? warmed[2] : "?",
            warmed.length == 5 ? warmed[3] : "?");
        said.stream()
            .filter(s -> s.startsWith("SWITCHOVER_FENCED"))
            .findFirst()
            .ifPresent(s -> out.println("   primary: " + s));
        int back = members.awaitReconnectedTo(standbyAddress, Duration.ofSeconds(10));
        double slowest = members.slowestReconnect().toNanos() / 1e6;
        out.printf(
            Locale.ROOT,
            "   %d/%d members reconnected to the new primary %s through the registry, the last"
                + " %.0f ms after the command%n",
            back,
            MEMBERS,
            standbyAddress,
            slowest);

        String[] parts = result.split(" ");
        boolean switched = parts[0].equals("switched") && parts.length == 5;
        boolean equal = switched && parts[4].equals("equal");
        double takeover = switched ? Double.parseDouble(parts[1]) : -1;
        long switchSequence = switched ? Long.parseLong(parts[2]) : -1;
        evidence.add(
            new EvidenceReport.Evidence(
                "R9",
                "TradingDemo.remoteStandby",
                switched
                    ? String.format(
                        Locale.ROOT,
                        "standby in its own JVM over Aeron: caught up from the archive after"
                            + " SIGKILL (%d records replayed); planned switchover at sequence %d"
                            + " (the primary's last: %d), takeover %.1f ms, digests %s",
                        restarted.replayed(),
                        switchSequence,
                        journal.lastSequence(),
                        takeover,
                        equal ? "equal" : "DIFFERENT")
                    : "switchover refused: " + result,
                switched
                    && equal
                    && switchSequence == journal.lastSequence()
                    && restarted.replayed() > 0
                    && takeover < 1_000,
                "{\"takeover_ms\":" + takeover + ",\"switch_sequence\":" + switchSequence + "}"));
        evidence.add(
            new EvidenceReport.Evidence(
                "R5",
                "TradingDemo.remoteStandby.warm",
                "warm standby: the new primary in its own JVM kept the clearing link's breaker "
                    + (warmed.length == 5 ? warmed[1] : "?")
                    + " and its operation log continues the old primary's hash chain ("
                    + (warmed.length == 5 ? warmed[2] + " records, " + warmed[3] : "no answer")
                    + ")",
                breakerKept && chainKept,
                "{\"breaker\":\""
                    + (warmed.length == 5 ? warmed[1] : "")
                    + "\",\"records\":"
                    + (warmed.length == 5 ? warmed[2] : "0")
                    + "}"));
        evidence.add(
            new EvidenceReport.Evidence(
                "R11",
                "TradingDemo.remoteStandby.members",
                String.format(
                        Locale.ROOT,
                        "%d/%d members reconnected to the promoted standby through the endpoint"
                            + " registry, the last %.0f ms after the switch command",
                        back,
                        MEMBERS,
                        slowest)
                    + (back == MEMBERS ? "" : "; " + members.missing(standbyAddress)),
                back == MEMBERS && slowest < 1_000,
                "{\"members\":" + MEMBERS + ",\"reconnected\":" + back + "}"));
      } finally {
        members.close();
        gateway.close();
        standby.kill();
      }
    }
    return evidence;
  }

  private static void await(java.util.function.BooleanSupplier done, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not done within " + timeout);
      }
      Thread.sleep(10);
    }
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket socket = new DatagramSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static int freeTcpPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The standby's JVM: started with this class path, read line by line. */
  private static final class Child {
    private final Process process;
    private final OutputStream stdin;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private volatile long received;
    private volatile long applied;
    private volatile long replayed;

    private Child(Process process) {
      this.process = process;
      this.stdin = process.getOutputStream();
      Thread pump =
          new Thread(
              () -> {
                try (BufferedReader reader =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = reader.readLine()) != null) {
                    if (line.startsWith("status ")) {
                      String[] parts = line.split(" ");
                      received = Long.parseLong(parts[1]);
                      applied = Long.parseLong(parts[2]);
                      replayed = Long.parseLong(parts[3]);
                    } else {
                      lines.add(line);
                    }
                  }
                } catch (IOException | RuntimeException ended) {
                  lines.add("(output ended: " + ended + ")");
                }
              },
              "standby-output");
      pump.setDaemon(true);
      pump.start();
    }

    static Child start(String[] args) throws IOException {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx256m");
      command.add("--add-exports");
      command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
      command.add("-cp");
      command.add(classPath());
      command.add(RemoteStandby.class.getName());
      command.addAll(List.of(args));
      return new Child(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    long pid() {
      return process.pid();
    }

    long received() {
      return received;
    }

    long applied() {
      return applied;
    }

    long replayed() {
      return replayed;
    }

    /** Sends a command and waits for the line that answers it. */
    String command(String line, String... answers) throws IOException, InterruptedException {
      int seen = lines.size();
      stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (int i = seen; i < lines.size(); i++) {
          String said = lines.get(i);
          for (String answer : answers) {
            if (said.startsWith(answer + " ")) {
              return said;
            }
          }
        }
        Thread.sleep(5);
      }
      return "refused no answer within 30 s; the standby said: " + lines;
    }

    /** Waits for the first line starting with {@code prefix} and a space. */
    String awaitLine(String prefix) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (String said : lines) {
          if (said.startsWith(prefix + " ")) {
            return said;
          }
        }
        Thread.sleep(5);
      }
      return "(no " + prefix + " line within 30 s; the standby said: " + lines + ")";
    }

    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor();
    }

    /**
     * This JVM's class path: the class loader's when run by Maven's exec plugin (its class path
     * property is Maven's own), else the class path property.
     */
    private static String classPath() {
      ClassLoader loader = RemoteStandby.class.getClassLoader();
      if (loader instanceof URLClassLoader urls && urls.getURLs().length > 0) {
        List<String> entries = new ArrayList<>();
        for (URL url : urls.getURLs()) {
          try {
            entries.add(Path.of(url.toURI()).toString());
          } catch (URISyntaxException | IllegalArgumentException notAFile) {
            // not a file: not on a child's class path either
          }
        }
        return String.join(java.io.File.pathSeparator, entries);
      }
      return System.getProperty("java.class.path");
    }
  }
}
