package dev.stability.examples.trading;

import dev.stability.aeron.AeronMedia;
import dev.stability.aeron.AeronMediaSettings;
import dev.stability.aeron.AeronWarmLink;
import dev.stability.aeron.JournalPublisher;
import dev.stability.aeron.ReplicationSettings;
import dev.stability.api.consistency.Checkpoint;
import dev.stability.api.consistency.DigestValue;
import dev.stability.api.consistency.RecordSource;
import dev.stability.api.journal.Journal;
import dev.stability.api.switchover.EndpointRegistry;
import dev.stability.core.StabilityRuntime;
import dev.stability.examples.trading.StateRows.FundsRow;
import dev.stability.examples.trading.StateRows.OrderRow;
import dev.stability.examples.trading.StateRows.PositionRow;
import dev.stability.testkit.members.MemberGateway;
import dev.stability.testkit.members.MemberSessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The trading system's remote mode: the primary's half of the replication over Aeron (publisher
 * with an archive, warm link, member gateway and member sessions) and the standby's JVM (through
 * {@link StandbyProcess}), with the commands the primary sends it.
 */
final class RemoteStandbySide implements AutoCloseable {

  private final AeronMedia media;
  private final JournalPublisher publisher;
  private final AeronWarmLink warm;
  private final List<String> args;
  private final String standbyAddress;
  private final MemberGateway gateway;
  private final String primaryAddress;
  private MemberSessions members;
  private volatile StandbyProcess process;

  private RemoteStandbySide(
      AeronMedia media,
      JournalPublisher publisher,
      AeronWarmLink warm,
      List<String> args,
      String standbyAddress,
      MemberGateway gateway) {
    this.media = media;
    this.publisher = publisher;
    this.warm = warm;
    this.args = args;
    this.standbyAddress = standbyAddress;
    this.gateway = gateway;
    this.primaryAddress = gateway.address();
  }

  /**
   * Starts the media driver with an archive, the publisher over {@code local} and the warm link in
   * this JVM, the member gateway, and the standby's JVM in {@code directory/standby-host}.
   */
  static RemoteStandbySide start(
      StabilityRuntime runtime,
      Journal local,
      Path directory,
      Path registryFile,
      long clockOffsetMillis,
      long checkpointEvery) {
    List<AutoCloseable> started = new ArrayList<>();
    try {
      String standbyEndpoint = "localhost:" + freeUdpPort();
      String primaryEndpoint = "localhost:" + freeUdpPort();
      ReplicationSettings settings = StandbyProcess.settings(standbyEndpoint, primaryEndpoint);
      AeronMedia media =
          AeronMedia.start(
              AeronMediaSettings.lowCpu()
                  .directory(directory.resolve("aeron"))
                  .archive(directory.resolve("archive"))
                  .build());
      started.add(0, media);
      JournalPublisher publisher = JournalPublisher.start(runtime, local, media, settings);
      started.add(0, publisher);
      AeronWarmLink warm =
          AeronWarmLink.primary(
              runtime,
              () -> publisher.journal().epoch(),
              media,
              settings,
              StandbyProcess.WARM_INTERVAL);
      started.add(0, warm);
      runtime.health().register(publisher.healthCheck());
      int standbyPort = freeTcpPort();
      List<String> args =
          List.of(
              directory.resolve("standby-host").toString(),
              standbyEndpoint,
              primaryEndpoint,
              String.valueOf(standbyPort),
              registryFile.toString(),
              String.valueOf(clockOffsetMillis),
              String.valueOf(checkpointEvery));
      MemberGateway gateway = MemberGateway.open(0);
      started.add(0, gateway);
      RemoteStandbySide side =
          new RemoteStandbySide(media, publisher, warm, args, "127.0.0.1:" + standbyPort, gateway);
      side.process = StandbyProcess.start(args);
      return side;
    } catch (IOException | RuntimeException e) {
      for (AutoCloseable resource : started) {
        try {
          resource.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (e instanceof IOException io) {
        throw new UncheckedIOException("the standby's JVM could not be started", io);
      }
      throw (RuntimeException) e;
    }
  }

  JournalPublisher publisher() {
    return publisher;
  }

  AeronWarmLink warm() {
    return warm;
  }

  StandbyProcess process() {
    return process;
  }

  String primaryAddress() {
    return primaryAddress;
  }

  String standbyAddress() {
    return standbyAddress;
  }

  MemberGateway gateway() {
    return gateway;
  }

  /** Starts {@code count} member sessions on the primary, failing over to the standby. */
  void startMembers(
      StabilityRuntime runtime, String service, EndpointRegistry registry, int count) {
    if (count > 0) {
      members =
          MemberSessions.start(runtime, service, count, registry, primaryAddress, standbyAddress);
    }
  }

  MemberSessions members() {
    return members;
  }

  /** Waits until the standby reported having applied {@code sequence}; false after the timeout. */
  boolean awaitApplied(long sequence, Duration timeout) throws InterruptedException {
    return await(() -> publisher.remoteApplied() >= sequence, timeout);
  }

  /** Kills the standby's JVM with SIGKILL. */
  void kill() throws InterruptedException {
    process.kill();
  }

  /** Starts the standby's JVM again, on its own files. */
  void restart() throws IOException {
    process = StandbyProcess.start(args);
  }

  /** The standby's checkpoint as it stands (the primary holds its flow, the standby caught up). */
  Checkpoint checkpoint(long sequence, long epoch) throws InterruptedException {
    String[] answer = expect(process.command("digest", "digest", "failed"), "digest").split(" ");
    long applied = Long.parseLong(answer[1]);
    if (applied != sequence) {
      throw new IllegalStateException(
          "the standby has applied " + applied + ", not " + sequence + ": it cannot be compared");
    }
    List<DigestValue> buckets = new ArrayList<>();
    for (String bucket : answer[3].split(",")) {
      buckets.add(StandbyProcess.parse(bucket));
    }
    return new Checkpoint("standby", sequence, epoch, StandbyProcess.parse(answer[2]), buckets);
  }

  /**
   * The standby's records in {@code buckets}, fetched from its JVM when the auditor asks: what
   * localising a mismatch needs of it (the auditor keeps the records of the differing buckets only,
   * so the rest need not cross).
   */
  RecordSource records(StateRows rows, List<Integer> buckets) {
    return visitor -> {
      List<String> lines;
      try {
        StringBuilder list = new StringBuilder();
        for (int bucket : buckets) {
          list.append(list.length() == 0 ? "" : ",").append(bucket);
        }
        lines = process.commandLines("rows " + list, "rows", "failed");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the standby sent its records", e);
      }
      for (String line : lines) {
        String[] f = line.split(" ");
        if (line.startsWith("failed ") || line.startsWith("refused ")) {
          throw new IllegalStateException("the standby did not send its records: " + line);
        }
        if (!f[0].equals("row")) {
          continue;
        }
        switch (f[1]) {
          case "position" ->
              visitor.visit(
                  rows.positions(),
                  new PositionRow(
                      Long.parseLong(f[2]),
                      Integer.parseInt(f[3]),
                      Long.parseLong(f[4]),
                      Long.parseLong(f[5])));
          case "funds" ->
              visitor.visit(
                  rows.funds(),
                  new FundsRow(
                      Long.parseLong(f[2]),
                      Long.parseLong(f[3]),
                      Long.parseLong(f[4]),
                      Long.parseLong(f[5])));
          case "order" ->
              visitor.visit(
                  rows.orders(),
                  new OrderRow(
                      Long.parseLong(f[2]),
                      Long.parseLong(f[3]),
                      Integer.parseInt(f[4]),
                      Byte.parseByte(f[5]),
                      Long.parseLong(f[6]),
                      Long.parseLong(f[7])));
          default -> throw new IllegalStateException("the standby sent an unknown row: " + line);
        }
      }
    };
  }

  /** One of the standby's positions. */
  PositionRow position(long account, int instrument) throws InterruptedException {
    String[] answer =
        expect(
                process.command("position " + account + " " + instrument, "position", "failed"),
                "position")
            .split(" ");
    return new PositionRow(
        account, instrument, Long.parseLong(answer[1]), Long.parseLong(answer[2]));
  }

  /** Damages one of the standby's positions (fault injection). */
  void damage(long account, int instrument, long lots) throws InterruptedException {
    expect(
        process.command("damage " + account + " " + instrument + " " + lots, "damaged", "failed"),
        "damaged");
  }

  /** Restores the standby from the primary's snapshot, written to {@code file} for it. */
  void restore(byte[] snapshot, Path file) throws InterruptedException {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, snapshot);
    } catch (IOException e) {
      throw new UncheckedIOException("the primary's snapshot could not be written", e);
    }
    expect(process.command("restore " + file, "restored", "failed"), "restored");
  }

  /** Slows the standby per record applied. */
  void slow(long micros) {
    try {
      expect(process.command("slow " + micros, "slowed", "failed"), "slowed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Has the standby's JVM run a planned switchover through its own runtime's dual control (the
   * primary hands over); returns what it said, up to {@code continues} or {@code refused}.
   */
  List<String> switchover(String operator, String reviewer) throws InterruptedException {
    if (members != null) {
      members.switchStarted();
    }
    return process.commandLines(
        "switchover " + operator + " " + reviewer, "continues", "refused", "failed");
  }

  private static String expect(String answer, String word) {
    if (!answer.startsWith(word + " ")) {
      throw new IllegalStateException("the standby's JVM answered: " + answer);
    }
    return answer;
  }

  static boolean await(BooleanSupplier done, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
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

  @Override
  public void close() {
    if (members != null) {
      members.close();
    }
    gateway.close();
    process.close();
    warm.close();
    publisher.close();
  }

  /** Closes the media driver (after the journal). */
  void closeMedia() {
    media.close();
  }
}
