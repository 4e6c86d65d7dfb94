package dev.stability.examples.replication;

import dev.stability.aeron.AeronJournalSource;
import dev.stability.aeron.AeronMedia;
import dev.stability.aeron.AeronMediaSettings;
import dev.stability.aeron.AeronWarmLink;
import dev.stability.aeron.ReplicationSettings;
import dev.stability.api.Role;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.consistency.RecordEncoder;
import dev.stability.api.consistency.StateDigest;
import dev.stability.api.event.LogField;
import dev.stability.api.health.HealthStatus;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.journal.ReplicaJournal;
import dev.stability.core.operations.Approval;
import dev.stability.core.operations.Operation;
import dev.stability.core.operations.OperationLog;
import dev.stability.core.operations.OperationRefusedException;
import dev.stability.core.operations.OperationRequest;
import dev.stability.core.operations.OperationSettings;
import dev.stability.core.operations.Risk;
import dev.stability.core.operations.TradingCalendar;
import dev.stability.core.standby.Follower;
import dev.stability.core.standby.FollowerSettings;
import dev.stability.core.switchover.EndpointRegistries;
import dev.stability.core.switchover.SwitchController;
import dev.stability.core.switchover.SwitchParticipants;
import dev.stability.core.switchover.SwitchReport;
import dev.stability.core.switchover.SwitchSettings;
import dev.stability.examples.trading.ArrayTradingCore;
import dev.stability.examples.trading.Market;
import dev.stability.examples.trading.OrderFlow;
import dev.stability.examples.trading.SlowableStandby;
import dev.stability.examples.trading.StandbyProcess;
import dev.stability.examples.trading.StateRows.FundsRow;
import dev.stability.examples.trading.StateRows.OrderRow;
import dev.stability.examples.trading.StateRows.PositionRow;
import dev.stability.examples.trading.TradingSystem;
import dev.stability.testkit.members.MemberGateway;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The trading system's heterogeneous standby (the array-book core) in a JVM of its own, replicated
 * over Aeron: what {@link TradingSystem} starts in its remote mode ({@link StandbyProcess}). It
 * journals what it receives, applies it to its core, reports its applied sequence and checkpoints
 * to the primary (whose auditor compares them), takes the primary's warm state ({@link
 * AeronWarmLink}) and prints {@code status <received> <applied> <replayed>} every 100 ms.
 *
 * <p>Commands, one a line on its standard input (the end of input, the primary's JVM gone, ends
 * it):
 *
 * <ul>
 *   <li>{@code slow <µs>}: slows every record applied (a fault); answers {@code slowed <µs>};
 *   <li>{@code digest}: {@code digest <applied> <count:high:low> <bucket,bucket,...>}, the core's
 *       digest in total and per bucket as it stands (the primary holds its flow first);
 *   <li>{@code position <account> <instrument>}: {@code position <long> <short>};
 *   <li>{@code damage <account> <instrument> <lots>}: adds lots to a long position without an input
 *       (fault injection); {@code damaged <long before> <long after>};
 *   <li>{@code rows <bucket,...>}: the core's records in those buckets, one {@code row ...} line
 *       each, then {@code rows <count>}: what the primary localises a mismatch with;
 *   <li>{@code restore <snapshot file>}: restores the core from the primary's snapshot; {@code
 *       restored <digest>};
 *   <li>{@code switchover <operator> <reviewer>}: a planned switchover through this runtime's dual
 *       control: {@code request <id>}, {@code self-approval <why refused>}, {@code gate <line>} per
 *       line of the gates, then {@code switched <takeover ms> <sequence> <epoch> <equal|DIFFERENT>}
 *       or {@code refused <reason>}; after a switch {@code warm <clearing-link state> <records>
 *       <intact|BROKEN> <instance of the first record>}, {@code oplog <named true|false>} and,
 *       after 500 orders of its own, {@code continues <last sequence> <epoch>}.
 * </ul>
 *
 * <p>Arguments: {@code <dir> <standby host:port> <primary host:port> <gateway port> <registry file>
 * <clock offset ms> <checkpoint every>}.
 */
public final class RemoteStandby {

  private RemoteStandby() {}

  /** Entry point of the standby's JVM. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    ReplicationSettings settings = StandbyProcess.settings(args[1], args[2]);
    int gatewayPort = Integer.parseInt(args[3]);
    Path registryFile = Path.of(args[4]);
    Clock clock =
        Clock.offset(
            Clock.system(ZoneId.of("Asia/Shanghai")), Duration.ofMillis(Long.parseLong(args[5])));
    long checkpointEvery = Long.parseLong(args[6]);
    PrintStream out = System.out;
    ServiceIdentity identity =
        ServiceIdentity.builder()
            .systemCode("FUT")
            .subsystem("core")
            .instanceId(StandbyProcess.INSTANCE)
            .role(Role.STANDBY)
            .grade(1)
            .build();
    try (StabilityRuntime runtime =
            StabilityRuntime.builder(identity)
                .clock(clock)
                .slf4jOutput(false)
                .guard(TradingSystem.clearingLinkSettings())
                .operations(
                    OperationSettings.builder()
                        .calendar(TradingCalendar.chinaEquities().build())
                        .logFile(dir.resolve("operations").resolve("operations.jsonl"))
                        .build())
                .build();
        AeronMedia media =
            AeronMedia.start(AeronMediaSettings.lowCpu().directory(dir.resolve("aeron")).build());
        ReplicaJournal journal =
            runtime
                .journals()
                .openReplica(
                    JournalSettings.builder(StandbyProcess.REPLICATION, dir.resolve("journal"))
                        .segmentSize(64 << 20)
                        .flush(FlushPolicy.os())
                        .build())) {
      AeronJournalSource source = AeronJournalSource.start(runtime, journal, media, settings);
      Market market = Market.demo(1_000);
      ArrayTradingCore core = new ArrayTradingCore(market);
      SlowableStandby machine = new SlowableStandby(core);
      Follower follower =
          runtime
              .standby()
              .follow(
                  FollowerSettings.builder("standby", dir.resolve("standby"))
                      .checkpointEvery(checkpointEvery)
                      .build(),
                  source,
                  machine);
      source.reportFrom(follower);
      AeronWarmLink warm =
          AeronWarmLink.standby(runtime, media, settings, StandbyProcess.WARM_INTERVAL);
      MemberGateway[] gateway = {null};
      String address = "127.0.0.1:" + gatewayPort;
      SwitchController controller =
          runtime
              .switchover()
              .controller(
                  new SwitchSettings(
                      TradingSystem.SERVICE, address, 10_000, Duration.ofSeconds(10)),
                  SwitchParticipants.builder()
                      .journal(journal)
                      .standby(follower)
                      .remotePrimary(source.remotePrimary())
                      .stopPrimary(source::close)
                      .primaryLastSequence(source::lastSequence)
                      .standbyDigest(() -> core.digest().value())
                      .standbyHealth(
                          () ->
                              follower.failure().isPresent() ? HealthStatus.DOWN : HealthStatus.UP)
                      .promote(epoch -> gateway[0] = MemberGateway.open(gatewayPort))
                      .registry(EndpointRegistries.file(registryFile))
                      .build());
      Thread status =
          new Thread(
              () -> {
                while (true) {
                  say(
                      out,
                      "status "
                          + source.receivedSequence()
                          + " "
                          + follower.appliedSequence()
                          + " "
                          + source.replayedRecords());
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "status");
      status.setDaemon(true);
      status.start();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        String[] command = line.trim().split("\\s+");
        try {
          switch (command[0]) {
            case "slow" -> {
              machine.slow(Long.parseLong(command[1]));
              say(out, "slowed " + command[1]);
            }
            case "digest" -> {
              StateDigest digest = core.digest();
              List<String> buckets = new ArrayList<>();
              digest.buckets().forEach(b -> buckets.add(StandbyProcess.format(b)));
              say(
                  out,
                  "digest "
                      + follower.appliedSequence()
                      + " "
                      + StandbyProcess.format(digest.value())
                      + " "
                      + String.join(",", buckets));
            }
            case "position" -> {
              PositionRow row =
                  core.position(Long.parseLong(command[1]), Integer.parseInt(command[2]));
              say(out, "position " + row.longQty() + " " + row.shortQty());
            }
            case "damage" -> {
              long account = Long.parseLong(command[1]);
              int instrument = Integer.parseInt(command[2]);
              long before = core.position(account, instrument).longQty();
              core.damagePosition(account, instrument, Long.parseLong(command[3]));
              say(out, "damaged " + before + " " + core.position(account, instrument).longQty());
            }
            case "rows" -> say(out, rows(core, command[1]));
            case "restore" -> {
              core.restore(Files.readAllBytes(Path.of(command[1])));
              say(out, "restored " + core.digest().value().hex());
            }
            case "switchover" -> {
              switchover(out, runtime, controller, command[1], command[2]);
              if (gateway[0] != null) {
                say(out, continueAsPrimary(journal, core, market));
              }
            }
            default -> say(out, "unknown " + line);
          }
        } catch (Exception e) {
          say(out, "failed " + command[0] + ": " + e);
        }
      }
      // The primary's JVM is gone (its end of the pipe closed, also when it was killed): close in
      // order, but never outlive it by more than a few seconds.
      Thread watchdog =
          new Thread(
              () -> {
                try {
                  Thread.sleep(5_000);
                } catch (InterruptedException e) {
                  return;
                }
                Runtime.getRuntime().halt(3);
              },
              "orphan-guard");
      watchdog.setDaemon(true);
      watchdog.start();
      if (gateway[0] != null) {
        gateway[0].close();
      }
      warm.close();
    }
    Runtime.getRuntime().halt(0); // the primary's JVM is gone
  }

  private static void say(PrintStream out, String text) {
    synchronized (out) {
      out.println(text);
      out.flush();
    }
  }

  /** Every record of {@code core} in the buckets listed, one line each, then the count. */
  private static String rows(ArrayTradingCore core, String bucketList) {
    Set<Integer> buckets = new HashSet<>();
    for (String b : bucketList.split(",")) {
      buckets.add(Integer.parseInt(b.trim()));
    }
    StringBuilder text = new StringBuilder();
    int[] count = {0};
    StateDigest digest = core.digest();
    core.forEachRecord(
        new dev.stability.api.consistency.RecordSource.RecordVisitor() {
          @Override
          public <R> void visit(RecordEncoder<R> encoder, R record) {
            if (!buckets.contains(digest.bucketOf(encoder, record))) {
              return;
            }
            count[0]++;
            if (record instanceof PositionRow p) {
              text.append(
                  String.format(
                      Locale.ROOT,
                      "row position %d %d %d %d%n",
                      p.account(),
                      p.instrument(),
                      p.longQty(),
                      p.shortQty()));
            } else if (record instanceof FundsRow f) {
              text.append(
                  String.format(
                      Locale.ROOT,
                      "row funds %d %d %d %d%n",
                      f.account(),
                      f.balance(),
                      f.frozen(),
                      f.margin()));
            } else if (record instanceof OrderRow o) {
              text.append(
                  String.format(
                      Locale.ROOT,
                      "row order %d %d %d %d %d %d%n",
                      o.orderId(),
                      o.account(),
                      o.instrument(),
                      o.side(),
                      o.priceTicks(),
                      o.remaining()));
            }
          }
        });
    return text + "rows " + count[0];
  }

  private static void switchover(
      PrintStream out,
      StabilityRuntime runtime,
      SwitchController controller,
      String operator,
      String reviewer) {
    String result;
    try {
      OperationRequest request =
          runtime
              .operations()
              .request(
                  Operation.builder("switchover", Risk.HIGH)
                      .target(TradingSystem.SERVICE)
                      .operator(operator)
                      .reason("weekend switchover drill to the standby on another host")
                      .build());
      say(out, "request " + request.id());
      try {
        runtime.operations().approve(request.id(), operator);
        say(out, "self-approval ACCEPTED");
      } catch (OperationRefusedException refused) {
        say(out, "self-approval " + refused.getMessage());
      }
      Approval approval = runtime.operations().approve(request.id(), reviewer);
      controller.readiness(approval).toText().lines().forEach(l -> say(out, "gate " + l));
      SwitchReport report = controller.switchover(approval);
      result =
          String.format(
              Locale.ROOT,
              "switched %.1f %d %d %s",
              report.takeover().toNanos() / 1e6,
              report.switchSequence(),
              report.epoch(),
              report.digestsEqual() ? "equal" : "DIFFERENT");
    } catch (Exception e) {
      result = "refused " + e.getMessage();
    }
    say(out, result);
    if (result.startsWith("switched")) {
      say(out, warmLine(runtime));
      boolean named =
          runtime.operations().log().tail(50).stream()
              .anyMatch(
                  r ->
                      operator.equals(r.text(LogField.OPERATOR))
                          && reviewer.equals(r.text(LogField.REVIEWER))
                          && r.message().contains("switchover"));
      say(out, "oplog " + named);
    }
  }

  /**
   * {@code warm <clearing-link state> <records verified> <intact|BROKEN> <instance of the first
   * record>}: what the new primary took over.
   */
  private static String warmLine(StabilityRuntime runtime) {
    OperationLog.Verification verification = runtime.operations().log().verify();
    String first =
        runtime.operations().log().tail(Integer.MAX_VALUE).stream()
            .findFirst()
            .map(r -> r.text(LogField.INSTANCE))
            .orElse("none");
    return "warm "
        + runtime.guards().guard("clearing-link").circuitState()
        + " "
        + verification.records()
        + " "
        + (verification.intact() ? "intact" : "BROKEN")
        + " "
        + first;
  }

  /**
   * The new primary takes input: 500 orders of its own flow at 1,000 a second, journaled at the
   * promoted epoch after the old primary's last record.
   */
  private static String continueAsPrimary(
      ReplicaJournal journal, ArrayTradingCore core, Market market) {
    OrderFlow flow = new OrderFlow(market, 7);
    long epoch = journal.epoch();
    for (int i = 0; i < 500; i++) {
      byte[] order = flow.nextPayload();
      long sequence = journal.append(epoch, order);
      core.apply(sequence, epoch, ByteBuffer.wrap(order));
      LockSupport.parkNanos(1_000_000);
    }
    return "continues " + journal.lastSequence() + " " + journal.epoch();
  }
}
