package dev.stability.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stability.api.ConfigurationException;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.event.Level;
import dev.stability.api.event.LogField;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.health.HealthKind;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.capacity.CapacityIndicator;
import dev.stability.core.consistency.AuditResult;
import dev.stability.core.consistency.ConsistencyDiff;
import dev.stability.core.event.MaskingPolicy;
import dev.stability.core.health.CheckResult;
import dev.stability.core.health.HealthReport;
import dev.stability.core.operations.ChangeWindow;
import dev.stability.core.operations.Operation;
import dev.stability.core.operations.OperationLog;
import dev.stability.core.operations.OperationSettings;
import dev.stability.core.operations.Risk;
import dev.stability.core.operations.TradingCalendar;
import dev.stability.examples.trading.ArrayTradingCore;
import dev.stability.examples.trading.MapTradingCore;
import dev.stability.examples.trading.Market;
import dev.stability.examples.trading.OrderFlow;
import dev.stability.examples.trading.StateRows.PositionRow;
import dev.stability.examples.trading.TradingSystem;
import dev.stability.ops.OpsEndpoint;
import dev.stability.ops.OpsEndpointSettings;
import dev.stability.testkit.RecordingEventSink;
import dev.stability.testkit.discovery.DiscoveryCampaign;
import dev.stability.testkit.discovery.DiscoveryReport;
import dev.stability.testkit.drill.DrillReport;
import dev.stability.testkit.drill.SwitchDrill;
import dev.stability.testkit.evidence.EvidenceReport;
import dev.stability.testkit.pressure.PressureReport;
import dev.stability.testkit.pressure.PressureTest;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The demo: a futures trading core with a heterogeneous standby, run end to end through the SDK.
 *
 * <ol>
 *   <li>start the primary, the standby in a JVM of its own (replicated over Aeron on loopback UDP)
 *       and the ops endpoint on loopback;
 *   <li>drive order flow, with live rate, latency and the remote standby's lag; kill the standby's
 *       JVM with SIGKILL and restart it (it catches up from the primary's archive);
 *   <li>inject dependency faults and measure that monitoring detects them (discovery rate);
 *   <li>audit primary against standby, corrupt one standby position, localise and repair it, across
 *       the two JVMs;
 *   <li>a planned switchover approved by two operators outside trading hours, run in the standby's
 *       JVM with the primary handing over, members reconnecting and the warm state taken over;
 *   <li>one primary across hosts: the role lease on an embedded ZooKeeper;
 *   <li>read the event log for the evidence of categories and retention (R4), masked accounts (R16)
 *       and interface records (R17), and write the evidence report.
 * </ol>
 *
 * <p>Flags: {@code --pressure} adds a pressure test at 3x the stated peak, {@code --failover} a
 * failover drill (the primary is killed). Run with {@code mvn -B -q -Pdemo -DskipTests package} and
 * pass flags with {@code -Dexec.args="--pressure --failover"}. Exits 0 when every requirement
 * (R1–R18) has evidence and every piece of it passed.
 */
public final class TradingDemo {

  /** The historical peak the firm states, orders per second (R1: capacity must be 3x this). */
  static final long STATED_PEAK = 2_000;

  /** The historical peak of trades the firm states, per second. */
  static final long STATED_TRADE_PEAK = 800;

  /** The rate the demo's order flow runs at: a quiet session, half the peak. */
  static final long FLOW_RATE = 1_000;

  private static final Set<String> SHOWN =
      Set.of(
          "GUARD_CIRCUIT_OPENED",
          "GUARD_CIRCUIT_CLOSED",
          "HEALTH_STATUS_CHANGED",
          "CONSISTENCY_MISMATCH",
          "STANDBY_LAG_HIGH",
          "SWITCHOVER_COMPLETED",
          "FAILOVER_COMPLETED",
          "CLIENTS_ALL_RECONNECTED",
          "OPERATION_REFUSED");

  private TradingDemo() {}

  /** Runs the demo; see the class comment for flags. */
  public static void main(String[] args) throws Exception {
    List<String> flags;
    try {
      flags = flags(args);
    } catch (IllegalArgumentException bad) {
      System.err.println(bad.getMessage());
      System.exit(64);
      return;
    }
    Path directory = Files.createTempDirectory("stability-demo-");
    // Before any logger starts: SDK records go to a JSON-lines file through Logback (R16, R17).
    System.setProperty("stability.demo.log", directory.resolve("logs/events.jsonl").toString());
    int status =
        run(System.out, directory, flags.contains("--pressure"), flags.contains("--failover"));
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * The command-line flags, checked.
   *
   * @throws IllegalArgumentException naming an unknown flag and the known ones
   */
  static List<String> flags(String... args) {
    for (String flag : args) {
      if (!flag.equals("--pressure") && !flag.equals("--failover")) {
        throw new IllegalArgumentException(
            "unknown flag '" + flag + "'; known: --pressure, --failover");
      }
    }
    return List.of(args);
  }

  /**
   * Runs the scenario in {@code directory} and narrates to {@code out}.
   *
   * @return 0 when every requirement (R1–R18) has evidence and every piece of it passed
   */
  public static int run(PrintStream out, Path directory, boolean pressure, boolean failover)
      throws Exception {
    return run(
        out, directory, pressure, failover, new EvidenceReport("FUT futures core (example)"));
  }

  /**
   * Runs the scenario as {@link #run(PrintStream, Path, boolean, boolean)} does, collecting its
   * evidence into {@code evidence} (a test hands it to the run's evidence pack).
   *
   * @return 0 when every requirement has evidence and every piece of it passed
   */
  public static int run(
      PrintStream out, Path directory, boolean pressure, boolean failover, EvidenceReport evidence)
      throws Exception {
    // A simulated day: Saturday 28 November 2026, 20:00 in Shanghai, outside trading sessions.
    ZoneId shanghai = ZoneId.of("Asia/Shanghai");
    Instant simulated = Instant.parse("2026-11-28T12:00:00Z");
    Clock clock = Clock.offset(Clock.system(shanghai), Duration.between(Instant.now(), simulated));
    TradingCalendar calendar = TradingCalendar.chinaEquities().build();
    RecordingEventSink events = new RecordingEventSink();
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    String zhang = token();
    String li = token();
    OperationLog.Verification operationLog = null; // of the main system, for R4
    Duration retention = Duration.ZERO;
    Set<String> accounts = new HashSet<>(); // every account number the order flow used, for R16

    out.println(
        "== 1. Before the day: a pressure test of the order path in a test environment (R1)");
    Capacity capacity = pressureTest(out, directory.resolve("test-environment"), pressure);
    evidence.pressure("TradingDemo.step1.pressureTest", capacity.report(), 3 * STATED_PEAK);

    out.println();
    out.println(
        "== 2. Start the primary (map-book) here, the heterogeneous standby (array-book) in its own"
            + " JVM over Aeron, and the ops endpoint");
    try (TradingSystem system =
            TradingSystem.builder(directory)
                .clock(clock)
                .calendar(calendar)
                .rate(FLOW_RATE)
                .members(20)
                .maxLag(1_000)
                .standbyInOwnJvm(true)
                .meterRegistry(metrics)
                .eventSink(events)
                .eventSink((record, line) -> show(out, record))
                .slf4jOutput(true)
                .build();
        OpsEndpoint ops =
            OpsEndpoint.start(
                system.runtime(),
                OpsEndpointSettings.builder()
                    .token("zhang.san", zhang)
                    .token("li.si", li)
                    .epoch(() -> system.journal().epoch())
                    .lastDiff(system::lastDiff)
                    .build())) {
      StabilityRuntime runtime = system.runtime();
      out.println("   simulated time " + clock.instant().atZone(shanghai) + " (Saturday)");
      out.println("   files in " + directory);
      out.println(
          "   ops endpoint "
              + ops.uri()
              + " (loopback; the console is GET /, try /health/readiness)");
      DemoHttp http = new DemoHttp(ops.uri());
      String liveness = http.get("/health/liveness");
      String anonymous = http.post("/guards/clearing-link/force-open?reason=test", null);
      out.println("   GET /health/liveness -> " + liveness);
      out.println("   POST /guards/clearing-link/force-open without a token -> " + anonymous);
      evidence.add(
          new EvidenceReport.Evidence(
              "R15",
              "TradingDemo.step2.opsEndpoint",
              "bound to "
                  + ops.address()
                  + "; GET /health/liveness "
                  + liveness.substring(0, 3)
                  + ", a change without a token "
                  + anonymous.substring(0, 3),
              ops.address().getAddress().isLoopbackAddress()
                  && liveness.startsWith("200")
                  && anonymous.startsWith("401"),
              json(
                  Map.of(
                      "address",
                      ops.address().toString(),
                      "liveness",
                      liveness,
                      "anonymous_change",
                      anonymous))));
      out.printf(
          Locale.ROOT,
          "   standby %s (array-book) in JVM pid %d, replicated over Aeron on loopback UDP, the"
              + " primary's stream recorded in an Aeron Archive; the primary audits its checkpoints,"
              + " an AeronWarmLink carries its state%n",
          "fut-b1",
          system.standbyProcess().pid());
      out.println(
          "   "
              + system.market().instruments().size()
              + " contracts, "
              + system.market().accountCount()
              + " accounts, "
              + system.memberSessions().awaitConnected(Duration.ofSeconds(10))
              + " members connected to "
              + system.primaryAddress()
              + " (TCP sessions; failover list: "
              + system.standbyAddress()
              + ")");
      system.orders().raiseHistoricalPeak(STATED_PEAK);
      system.trades().raiseHistoricalPeak(STATED_TRADE_PEAK);
      // Last year's peak bandwidth: the stated order peak at the bytes per order measured.
      system.bandwidth().raiseHistoricalPeak(STATED_PEAK * capacity.bytesPerOrder());
      capacity.recordInto(system);
      evidence.add(capacityHeadroom(out, system));
      HealthReport readiness = runtime.health().tradingReadiness();
      out.println("   pre-open trading readiness (R7):");
      readiness.toText().lines().forEach(line -> out.println("   " + line));
      evidence.readiness("TradingDemo.step2.tradingReadiness", readiness);

      out.println();
      out.println("== 3. Order flow at " + FLOW_RATE + " orders/s");
      system.startFlow();
      progress(out, system, 3);
      system.killStandby();
      out.printf(
          Locale.ROOT,
          "   the standby's JVM killed with SIGKILL at %,d applied; the primary goes on%n",
          system.standbyApplied());
      Thread.sleep(500);
      long behind = system.journal().lastSequence();
      CheckResult alone = runtime.health().check("standby");
      out.printf(
          Locale.ROOT,
          "   readiness reads it: %s %s, %s%n",
          alone.name(),
          alone.status(),
          alone.reason());
      system.restartStandby();
      long restartedAt = System.nanoTime();
      long upAfter = -1;
      while (system.standbyProcess().applied() < behind
          && System.nanoTime() - restartedAt < 30_000_000_000L) {
        if (upAfter < 0 && system.standbyProcess().applied() >= 0) {
          upAfter = (System.nanoTime() - restartedAt) / 1_000_000; // its follower runs
        }
        Thread.sleep(10);
      }
      long replayed = system.standbyProcess().replayed();
      out.printf(
          Locale.ROOT,
          "   restarted (JVM pid %d): %,d records replayed to it from the primary's archive; caught"
              + " up %d ms after the restart (its follower ran after %d ms)%n",
          system.standbyProcess().pid(),
          replayed,
          (System.nanoTime() - restartedAt) / 1_000_000,
          upAfter < 0 ? (System.nanoTime() - restartedAt) / 1_000_000 : upAfter);
      progress(out, system, 1);

      out.println();
      out.println("== 4. Dependency faults: does our own monitoring see them? (R13)");
      int eventsBefore = events.records().size();
      Instant injectedAt = clock.instant();
      system.clearing().refuse(true);
      long injected = System.nanoTime();
      while (system.clearingGuard().circuitState().name().equals("CLOSED")
          && System.nanoTime() - injected < 5_000_000_000L) {
        Thread.sleep(5);
      }
      long opened = System.nanoTime() - injected;
      while (runtime.health().report(HealthKind.READINESS).status().name().equals("UP")
          && System.nanoTime() - injected < 5_000_000_000L) {
        Thread.sleep(5);
      }
      TwoViews views = twoViews(runtime, events, eventsBefore, injectedAt, injected, http);
      out.printf(
          Locale.ROOT,
          "   the clearing house refuses: the breaker opened after %d ms, readiness %s after %d"
              + " ms; %d trades held for clearing, orders still flow%n",
          opened / 1_000_000,
          runtime.health().report(HealthKind.READINESS).status(),
          (System.nanoTime() - injected) / 1_000_000,
          system.pendingClearing());
      system.clearing().refuse(false);
      long healedAt = System.nanoTime();
      while (!runtime.health().report(HealthKind.READINESS).status().name().equals("UP")
          && System.nanoTime() - healedAt < 10_000_000_000L) {
        Thread.sleep(10);
      }
      long recovered = System.nanoTime() - healedAt;
      // Hold the flow a moment to count: every trade made so far must have reached clearing.
      system.pause();
      long drainFrom = System.nanoTime();
      while (system.pendingClearing() > 0 && System.nanoTime() - drainFrom < 5_000_000_000L) {
        Thread.sleep(5);
      }
      long made = system.trades().total();
      long cleared = system.clearing().cleared();
      system.resume();
      out.printf(
          Locale.ROOT,
          "   link back: breaker %s and readiness %s after %d ms; %d of %d trades made so far"
              + " reached clearing (%s)%n",
          system.clearingGuard().circuitState(),
          runtime.health().report(HealthKind.READINESS).status(),
          recovered / 1_000_000,
          cleared,
          made,
          cleared == made ? "none dropped" : "SOME MISSING");
      boolean clearingComplete = cleared == made;
      out.println("   " + views.evidence().measured());
      evidence.add(views.evidence());
      evidence.add(
          new EvidenceReport.Evidence(
              "R14",
              "TradingDemo.step4.clearingFault",
              String.format(
                  Locale.ROOT,
                  "clearing-link breaker opened %d ms after the fault; %d of %d trades reached"
                      + " clearing after it",
                  opened / 1_000_000,
                  cleared,
                  made),
              opened < 5_000_000_000L && clearingComplete,
              json(Map.of("opened_ms", opened / 1_000_000, "trades", made, "cleared", cleared))));
      out.println("   a campaign of five faults, each healed before the next:");
      double[] peakBeforeSurge = new double[1];
      DiscoveryReport discovery =
          DiscoveryCampaign.builder(runtime, events)
              .within(Duration.ofSeconds(4))
              .detector(
                  "orders above 80% of the historical peak",
                  () -> system.orders().rate() > 0.8 * STATED_PEAK)
              .scenario(
                  "clearing link errors",
                  () -> system.clearing().refuse(true),
                  () -> system.clearing().refuse(false))
              .scenario(
                  "clearing link answers in 200 ms",
                  () -> system.clearing().delay(200),
                  () -> system.clearing().delay(0))
              .scenario(
                  "settlement price service hangs",
                  () -> system.hangPriceService(true),
                  () -> system.hangPriceService(false))
              .scenario(
                  "standby slowed to 300 records/s",
                  () -> system.slowStandby(3_300),
                  () -> system.slowStandby(0))
              .scenario(
                  "order surge above the historical peak",
                  () -> {
                    peakBeforeSurge[0] = system.orders().historicalPeak();
                    system.rate(STATED_PEAK * 6 / 5);
                  },
                  () -> {
                    // The alert may notice the surge within a second; the surge still lasts until
                    // a whole second above the old peak has made a new one (at most 3 s), as a
                    // real surge would, so that its CAPACITY_PEAK_EXCEEDED is in this run.
                    long deadline = System.nanoTime() + 3_000_000_000L;
                    while (system.orders().historicalPeak() <= peakBeforeSurge[0]
                        && System.nanoTime() < deadline) {
                      LockSupport.parkNanos(20_000_000L);
                    }
                    system.rate(FLOW_RATE);
                  })
              .build()
              .run();
      for (DiscoveryReport.Result result : discovery.results()) {
        out.printf(
            Locale.ROOT,
            "   %-36s %s%n",
            result.scenario(),
            result.detected()
                ? "detected after " + result.after().toMillis() + " ms: " + result.signal()
                : "NOT detected within " + discovery.within().toSeconds() + " s");
      }
      out.printf(Locale.ROOT, "   fault monitoring discovery rate %.2f%n", discovery.rate());
      evidence.discovery("TradingDemo.step4.discoveryCampaign", discovery, 1.0);
      EvidenceReport.Evidence monitoring = monitoring(runtime, events, http);
      out.println("   monitoring (R3): " + monitoring.measured());
      evidence.add(monitoring);
      out.printf(
          Locale.ROOT,
          "   historical peaks now: orders %.0f/s (headroom %.1fx), trades %.0f/s (headroom"
              + " %.1fx)%s%n",
          system.orders().historicalPeak(),
          system.orders().headroom(),
          system.trades().historicalPeak(),
          system.trades().headroom(),
          Math.min(system.orders().headroom(), system.trades().headroom()) < 3
              ? "; below the 3x of R1: a new pressure test is due"
              : "");

      out.println();
      out.println("== 5. Consistency audit: primary against the standby in its own JVM (R10)");
      out.println(
          "   the primary's auditor has compared the standby's checkpoints as they came back over"
              + " Aeron: last match at sequence "
              + runtime.consistency().auditor().lastMatchedSequence().orElse(-1));
      AuditResult audit = system.auditNow();
      out.println(
          "   at sequence "
              + audit.sequence()
              + ": "
              + (audit.matched() ? "MATCH" : "MISMATCH")
              + ", digest "
              + audit.primary().digest().hex()
              + " (the standby's digest, per bucket, sent by its JVM)");
      system.pause();
      long account = system.market().account(0);
      for (int a = 0; a < system.market().accountCount(); a++) {
        if (system.primary().position(system.market().account(a), 0).longQty() > 0) {
          account = system.market().account(a); // one that holds IF2612 long
          break;
        }
      }
      PositionRow before = system.standbyPosition(account, 0);
      system.damageStandbyPosition(account, 0, 7);
      // Accounts are shown as the event log shows them: masked by the runtime's policy (R16).
      MaskingPolicy masking = system.masking();
      out.println(
          masked(
              masking,
              "   now we corrupt the standby in its JVM: position {account="
                  + account
                  + ", instrument=IF2612} long "
                  + before.longQty()
                  + " -> "
                  + system.standbyPosition(account, 0).longQty()));
      AuditResult mismatch = system.compareHeld();
      out.println(
          "   audit: "
              + (mismatch.matched() ? "MATCH (not found!)" : "MISMATCH")
              + " in bucket(s) "
              + mismatch.differingBuckets());
      ConsistencyDiff diff = system.localise(mismatch);
      out.println(
          "   localised with the standby's records of bucket(s) "
              + mismatch.differingBuckets()
              + ", sent by its JVM:");
      for (ConsistencyDiff.RecordDiff record : diff.differing()) {
        out.println(
            masked(
                masking,
                "   differs: " + record.type() + " " + record.key() + " " + record.fields()));
      }
      for (ConsistencyDiff.RecordView record : diff.onlyInStandby()) {
        out.println(
            masked(
                masking,
                "   only in the standby: "
                    + record.type()
                    + " "
                    + record.key()
                    + " "
                    + record.fields()));
      }
      for (ConsistencyDiff.RecordView record : diff.onlyInPrimary()) {
        out.println(
            masked(
                masking,
                "   only in the primary: "
                    + record.type()
                    + " "
                    + record.key()
                    + " "
                    + record.fields()));
      }
      system.repairStandby();
      AuditResult repaired = system.compareHeld();
      runtime
          .operations()
          .record(
              Operation.builder("standby.repair", Risk.ROUTINE)
                  .operator("wang.wu")
                  .target(TradingSystem.SERVICE)
                  .reason(
                      "the audit found a damaged position in the standby; restored from the"
                          + " primary's snapshot")
                  .build(),
              repaired.matched(),
              "audit after the repair: " + (repaired.matched() ? "MATCH" : "MISMATCH"));
      out.println(
          "   standby repaired from the primary's snapshot: "
              + (repaired.matched() ? "MATCH" : "still MISMATCH")
              + " (its JVM restored it from the file the primary wrote)");
      system.resume();
      boolean consistencyShown =
          audit.matched() && !mismatch.matched() && !diff.isEmpty() && repaired.matched();
      evidence.add(
          new EvidenceReport.Evidence(
              "R10",
              "TradingDemo.step5.audit",
              "match at "
                  + audit.sequence()
                  + "; a corrupted standby position found in bucket(s) "
                  + mismatch.differingBuckets()
                  + " and localised to "
                  + diff.differing().size()
                  + " record(s); repaired, match",
              consistencyShown,
              masked(masking, diff).toJson()));
      // The auditor ends a divergence only when a later checkpoint matches (every 1000 inputs,
      // about a second at this rate); until then the switchover's digests-equal gate refuses.
      long healedBy = System.nanoTime() + 10_000_000_000L;
      while (runtime.consistency().auditor().firstMismatchSequence().isPresent()
          && System.nanoTime() < healedBy) {
        Thread.sleep(10);
      }

      out.println();
      out.println(
          "== 6. Planned switchover to the standby in its own JVM, two operators, outside trading"
              + " hours");
      ChangeWindow window = ChangeWindow.of(calendar);
      Instant mondayTen = Instant.parse("2026-11-30T02:00:00Z");
      out.println(
          "   (at 10:00 on Monday it would be refused: "
              + window.refusal("switchover", window.blockAt(mondayTen).orElseThrow())
              + ")");
      boolean refusedInSession = window.blockAt(mondayTen).isPresent();
      boolean openNow = window.blockAt(clock.instant()).isEmpty();
      CheckResult remote = runtime.health().check("replication-orders");
      out.printf(
          Locale.ROOT,
          "   remote lag %d records (journal %,d, the standby applied %,d); %s %s%n",
          system.standbyLag(),
          system.journal().lastSequence(),
          system.standbyApplied(),
          remote.name(),
          remote.status());
      out.println(
          "   the switch runs in the standby's JVM, through its runtime's dual control; the primary"
              + " hands over (stops its input, fences its journal, sends every record):");
      List<String> said = system.switchoverInStandby("zhang.san", "li.si");
      Map<String, String> answers = new java.util.HashMap<>();
      for (String line : said) {
        String word = line.split(" ", 2)[0];
        String rest = line.contains(" ") ? line.substring(line.indexOf(' ') + 1) : "";
        answers.putIfAbsent(word, rest);
        switch (word) {
          case "request" -> out.println("   zhang.san requests " + rest);
          case "self-approval" -> {
            out.println("   zhang.san approves his own request -> refused: " + rest);
            out.println("   li.si approves");
          }
          case "gate" -> out.println("   " + rest);
          case "refused", "failed" -> out.println("   the standby refused: " + rest);
          default -> {
            // switched, warm, oplog, continues: narrated below
          }
        }
      }
      String[] switched = answers.getOrDefault("switched", "").split(" ");
      boolean didSwitch = switched.length == 4;
      double takeover = didSwitch ? Double.parseDouble(switched[0]) : -1;
      long switchSequence = didSwitch ? Long.parseLong(switched[1]) : -1;
      long newEpoch = didSwitch ? Long.parseLong(switched[2]) : -1;
      boolean digestsEqual = didSwitch && switched[3].equals("equal");
      long acknowledgedBefore = system.acknowledged();
      long lost = didSwitch ? Math.max(0, acknowledgedBefore - switchSequence) : acknowledgedBefore;
      out.printf(
          Locale.ROOT,
          "   takeover %.1f ms at sequence %d, epoch %d; digests %s; %d acknowledged orders lost%n",
          takeover,
          switchSequence,
          newEpoch,
          digestsEqual ? "equal" : "DIFFERENT",
          lost);
      int back =
          system
              .memberSessions()
              .awaitReconnectedTo(system.standbyAddress(), Duration.ofSeconds(10));
      double slowest = system.memberSessions().slowestReconnect().toNanos() / 1e6;
      out.printf(
          Locale.ROOT,
          "   members on the new primary %d of %d (%s, found through the registry), the last %.0f"
              + " ms after the command%s%n",
          back,
          system.members(),
          system.standbyAddress(),
          slowest,
          back == system.members()
              ? ""
              : "; " + system.memberSessions().missing(system.standbyAddress()));
      String[] warmed = answers.getOrDefault("warm", "").split(" ");
      boolean warmAnswered = warmed.length == 4;
      long primaryRecords = runtime.operations().log().verify().records();
      out.printf(
          Locale.ROOT,
          "   the new primary took over warm: clearing-link breaker %s (here: %s); its operation"
              + " log goes on with %s's chain, %s records verified %s across the switch%n",
          warmAnswered ? warmed[0] : "?",
          system.clearingGuard().circuitState(),
          warmAnswered ? warmed[3] : "?",
          warmAnswered ? warmed[1] : "?",
          warmAnswered ? warmed[2] : "?");
      String[] continued = answers.getOrDefault("continues", "? ?").split(" ");
      out.println(
          "   the new primary (array-book) continues: journal at sequence "
              + continued[0]
              + ", epoch "
              + (continued.length > 1 ? continued[1] : "?"));
      evidence.drill(
          "TradingDemo.step6.plannedSwitchover",
          new DrillReport(
              "planned",
              Instant.now(),
              Duration.ofNanos((long) (Math.max(0, takeover) * 1e6)),
              switchSequence,
              acknowledgedBefore,
              lost,
              0,
              0,
              digestsEqual,
              system.members(),
              back,
              didSwitch && lost == 0 && digestsEqual && back == system.members()
                  ? List.of()
                  : List.of("see the narration")));
      evidence.add(
          new EvidenceReport.Evidence(
              "R9",
              "TradingDemo.step6.remoteStandby",
              didSwitch
                  ? String.format(
                      Locale.ROOT,
                      "standby in its own JVM over Aeron: caught up from the archive after"
                          + " SIGKILL (%d records replayed); planned switchover at sequence %d"
                          + " (the primary's last: %d), takeover %.1f ms, digests %s",
                      replayed,
                      switchSequence,
                      system.journal().lastSequence(),
                      takeover,
                      digestsEqual ? "equal" : "DIFFERENT")
                  : "switchover refused: " + said,
              didSwitch
                  && digestsEqual
                  && switchSequence == system.journal().lastSequence()
                  && replayed > 0,
              json(Map.of("takeover_ms", takeover, "switch_sequence", switchSequence))));
      boolean chainKept =
          warmAnswered
              && warmed[2].equals("intact")
              && warmed[3].equals(runtime.identity().instanceId())
              && Long.parseLong(warmed[1]) > primaryRecords;
      evidence.add(
          new EvidenceReport.Evidence(
              "R5",
              "TradingDemo.step6.warmStandby",
              "warm standby: the new primary in its own JVM holds the clearing link's breaker "
                  + (warmAnswered ? warmed[0] : "?")
                  + " and its operation log continues the old primary's hash chain ("
                  + (warmAnswered ? warmed[1] + " records, " + warmed[2] : "no answer")
                  + ")",
              chainKept,
              json(
                  Map.of(
                      "breaker",
                      warmAnswered ? warmed[0] : "",
                      "records",
                      warmAnswered ? Long.parseLong(warmed[1]) : 0))));

      evidence.add(
          new EvidenceReport.Evidence(
              "R6",
              "TradingDemo.step6.changeWindow",
              "the switchover is refused at 10:00 on a Monday ("
                  + refusedInSession
                  + ") and allowed on Saturday evening ("
                  + openNow
                  + ")",
              refusedInSession && openNow,
              json(Map.of("refused_in_session", refusedInSession, "open_now", openNow))));
      OperationLog.Verification verified = runtime.operations().log().verify();
      operationLog = verified;
      retention = system.operationSettings().retention();
      for (int a = 0; a < system.market().accountCount(); a++) {
        accounts.add(Long.toString(system.market().account(a)));
      }
      accounts.add("99999999"); // the unknown account the flow sends now and then
      // The switchover's record is in the new primary's log, which continues this one's chain.
      boolean named = "true".equals(answers.get("oplog"));
      evidence.add(
          new EvidenceReport.Evidence(
              "R5",
              "TradingDemo.step6.operationLog",
              verified.records()
                  + " hash-chained operation records on the old primary, "
                  + (verified.problem().isEmpty() ? "intact" : "BROKEN")
                  + ", continued by the new primary's; its switchover record names operator"
                  + " zhang.san and reviewer li.si: "
                  + named,
              verified.problem().isEmpty() && named && chainKept,
              json(Map.of("records", verified.records(), "intact", verified.problem().isEmpty()))));

      if (!clearingComplete) {
        out.println("FAILED: trades held during the clearing fault did not all reach clearing");
        return 4;
      }
      if (!consistencyShown) {
        out.println("FAILED: the consistency audit did not behave as narrated");
        return 3;
      }
    }

    if (failover) {
      out.println();
      out.println("== 6b. Failover drill: the primary is killed under load (R8, R18)");
      try (StabilityRuntime drillRuntime =
          StabilityRuntime.builder(
                  ServiceIdentity.builder()
                      .systemCode("FUT")
                      .subsystem("core")
                      .instanceId("fut-drill")
                      .build())
              .slf4jOutput(false)
              .build()) {
        Market market = Market.demo(1_000);
        OrderFlow flow = new OrderFlow(market, 5);
        DrillReport drill =
            SwitchDrill.builder(drillRuntime)
                .kind(SwitchDrill.Kind.FAILOVER)
                .primary(new MapTradingCore(market))
                .standby(new ArrayTradingCore(market))
                .inputs(flow::nextPayload)
                .directory(directory.resolve("failover-drill"))
                .rate(5_000)
                .loadFor(Duration.ofSeconds(1))
                .clients(20)
                .build()
                .run();
        out.printf(
            Locale.ROOT,
            "   takeover %.1f ms at sequence %d; never durable, so never acknowledged: %s;"
                + " lost acknowledged %d; digests %s; clients back %d/%d%n",
            drill.takeover().toNanos() / 1e6,
            drill.switchSequence(),
            drill.unacknowledgedTo() == 0
                ? "none"
                : drill.unacknowledgedFrom() + ".." + drill.unacknowledgedTo(),
            drill.lostAcknowledged(),
            drill.digestsEqual() ? "equal" : "DIFFERENT",
            drill.clientsReconnected(),
            drill.clients());
        evidence.drill("TradingDemo.failoverDrill", drill);
      }
    }

    out.println();
    out.println(
        "== 6d. One primary across hosts: the role lease on an embedded ZooKeeper (R9, R18)");
    addAndPrint(
        out,
        evidence,
        dev.stability.examples.replication.RoleLeaseStep.run(out, directory.resolve("role-lease")));

    out.println();
    out.println("== 7. Evidence report");
    Path logFile = directory.resolve("logs").resolve("events.jsonl");
    boolean fromFile = Files.isRegularFile(logFile) && Files.size(logFile) > 0;
    List<String> lines = fromFile ? Files.readAllLines(logFile) : events.lines();
    String source =
        fromFile ? "the event log " + logFile.getFileName() : "the runtime's JSON output";
    String refusal;
    try {
      OperationSettings.builder().retention(Duration.ofDays(30)).build();
      refusal = null;
    } catch (ConfigurationException refused) {
      refusal = refused.getMessage();
    }
    addAndPrint(
        out,
        evidence,
        List.of(
            LogEvidence.retention(
                "TradingDemo.step7.logCategoriesAndRetention",
                lines,
                operationLog,
                retention,
                refusal,
                source),
            LogEvidence.masking("TradingDemo.step7.maskedAccounts", lines, accounts, source),
            LogEvidence.interfaceCalls("TradingDemo.step7.interfaceRecords", lines, true, source)));
    Path html = evidence.write(directory.resolve("evidence"));
    out.println("   " + html);
    out.println("   " + directory.resolve("evidence").resolve("evidence.json"));
    out.println("   operation log " + directory.resolve("operations"));
    out.println("   event log " + directory.resolve("logs").resolve("events.jsonl"));
    out.println("   " + evidence.summary());
    out.println(
        evidence.complete()
            ? "== every piece of evidence passed"
            : evidence.passed()
                ? "== SOME REQUIREMENTS HAVE NO EVIDENCE"
                : "== SOME EVIDENCE FAILED");
    return evidence.complete() ? 0 : 2;
  }

  /** R12 of the clearing fault, as two independent views saw it. */
  private record TwoViews(EvidenceReport.Evidence evidence) {}

  /**
   * The clearing fault seen through two independent views (R12): the event stream a log pipeline
   * receives (the breaker's event, and the failed interface calls that name the cause) and the
   * readiness endpoint an external monitor polls over HTTP. Each must name the clearing link.
   */
  private static TwoViews twoViews(
      StabilityRuntime runtime,
      RecordingEventSink events,
      int before,
      Instant injectedAt,
      long injectedNanos,
      DemoHttp http)
      throws Exception {
    LogRecord breaker =
        events
            .await(
                r ->
                    r.code().equals("GUARD_CIRCUIT_OPENED")
                        && "clearing-link".equals(r.text(LogField.GUARD))
                        && !r.timestamp().toInstant().isBefore(injectedAt),
                Duration.ofSeconds(5))
            .orElse(null);
    LogRecord cause =
        events
            .await(
                r ->
                    r.code().equals("APP_INTERFACE_CALL")
                        && "CLEARING".equals(r.text(LogField.PEER))
                        && "FAILURE".equals(r.text(LogField.OUTCOME))
                        && r.has(LogField.ERROR_TYPE)
                        && !r.timestamp().toInstant().isBefore(injectedAt),
                Duration.ofSeconds(5))
            .orElse(null);
    long httpAfter = -1;
    String readiness = "";
    while (System.nanoTime() - injectedNanos < 5_000_000_000L) {
      readiness = http.body("/health/readiness");
      String status = JSON.readTree(readiness).path("status").asText();
      if (!status.equals("UP") && readiness.contains("clearing-link")) {
        httpAfter = (System.nanoTime() - injectedNanos) / 1_000_000;
        break;
      }
      Thread.sleep(20);
    }
    long eventAfter =
        breaker == null
            ? -1
            : Duration.between(injectedAt, breaker.timestamp().toInstant()).toMillis();
    String causeText =
        cause == null
            ? "none"
            : cause.text(LogField.ERROR_TYPE) + ": " + cause.text(LogField.ERROR_MESSAGE);
    boolean passed = breaker != null && cause != null && httpAfter >= 0 && eventAfter < 5_000;
    return new TwoViews(
        new EvidenceReport.Evidence(
            "R12",
            "TradingDemo.step4.twoViews",
            "two views of the clearing fault: the event stream ("
                + (breaker == null
                    ? "NO breaker event"
                    : "GUARD_CIRCUIT_OPENED clearing-link " + eventAfter + " ms after it")
                + "; cause in the failed interface call: "
                + causeText
                + ") and the readiness endpoint polled over HTTP ("
                + (httpAfter < 0 ? "did NOT name clearing-link" : "named clearing-link")
                + (httpAfter < 0 ? "" : " " + httpAfter + " ms after it")
                + ")",
            passed,
            json(
                Map.of(
                    "event_after_ms",
                    eventAfter,
                    "http_after_ms",
                    httpAfter,
                    "cause",
                    causeText,
                    "instance",
                    runtime.identity().instanceId()))));
  }

  private static final List<String> ALARMS =
      List.of(
          "CAPACITY_PEAK_EXCEEDED",
          "CAPACITY_HEADROOM_LOW",
          "STANDBY_LAG_HIGH",
          "GUARD_CIRCUIT_OPENED",
          "HEALTH_CHECK_TIMED_OUT",
          "HEALTH_STATUS_CHANGED");

  /**
   * R3: the process (the liveness report's jvm check: heap, GC, threads), the key business
   * indicators (order and trade rates and the standby's lag, read from the Prometheus scrape an
   * external monitor takes) and the alarms their thresholds raised in this run.
   */
  private static EvidenceReport.Evidence monitoring(
      StabilityRuntime runtime, RecordingEventSink events, DemoHttp http) throws Exception {
    CheckResult jvm =
        runtime.health().report(HealthKind.LIVENESS).checks().stream()
            .filter(c -> c.name().equals("jvm"))
            .findFirst()
            .orElse(null);
    String scrape = http.body("/metrics");
    double ordersRate = gauge(scrape, "stability_capacity_rate", "orders");
    double tradesRate = gauge(scrape, "stability_capacity_rate", "trades");
    boolean lag = scrape.lines().anyMatch(l -> l.startsWith("stability_standby_lag"));
    Map<String, Long> alarms = new java.util.TreeMap<>();
    for (LogRecord record : events.records()) {
      if (ALARMS.contains(record.code())) {
        alarms.merge(record.code(), 1L, Long::sum);
      }
    }
    boolean process =
        jvm != null
            && jvm.details().containsKey("heap_used_ratio")
            && jvm.details().containsKey("threads");
    boolean passed =
        process
            && ordersRate > 0
            && tradesRate > 0
            && lag
            && alarms.containsKey("CAPACITY_PEAK_EXCEEDED")
            && alarms.containsKey("HEALTH_STATUS_CHANGED");
    return new EvidenceReport.Evidence(
        "R3",
        "TradingDemo.step4.monitoring",
        String.format(
            Locale.ROOT,
            "process: jvm check %s (%s); business indicators in the Prometheus scrape: orders"
                + " %.0f/s, trades %.0f/s, standby lag %s; alarms raised by thresholds in this run"
                + " %s",
            jvm == null ? "MISSING" : jvm.status(),
            jvm == null ? "" : jvm.details(),
            ordersRate,
            tradesRate,
            lag ? "present" : "MISSING",
            alarms),
        passed,
        json(
            Map.of(
                "jvm",
                jvm == null ? Map.of() : jvm.details(),
                "orders_rate",
                ordersRate,
                "trades_rate",
                tradesRate,
                "standby_lag_metric",
                lag,
                "alarms",
                alarms)));
  }

  /** The value of a gauge with {@code indicator="<indicator>"} in a Prometheus scrape, or -1. */
  private static double gauge(String scrape, String name, String indicator) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "^" + name + "\\w*\\{[^}]*indicator=\"" + indicator + "\"[^}]*\\} ([0-9.eE+-]+)",
                java.util.regex.Pattern.MULTILINE)
            .matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  /**
   * R1 as it reads: orders, trades and bandwidth, each against its own multiple of its peak over
   * the last 12 months (bandwidth against the link's provisioned capacity, as no pressure test
   * measures the link).
   */
  private static EvidenceReport.Evidence capacityHeadroom(PrintStream out, TradingSystem system) {
    StringBuilder measured = new StringBuilder();
    Map<String, Object> detail = new java.util.TreeMap<>();
    boolean passed = true;
    for (CapacityIndicator i : List.of(system.orders(), system.trades(), system.bandwidth())) {
      boolean enough = i.headroom() >= i.requiredMultiple();
      passed &= enough;
      String line =
          String.format(
              Locale.ROOT,
              "%s %.1fx %s %.0fx (%s %.0f/s, peak %.0f/s)",
              i.name(),
              i.headroom(),
              enough ? ">=" : "<",
              i.requiredMultiple(),
              i.capacityBasis().label(),
              i.capacity(),
              i.historicalPeak());
      out.println("   capacity: " + line);
      measured.append(measured.length() == 0 ? "" : "; ").append(line);
      detail.put(
          i.name(),
          Map.of(
              "headroom", i.headroom(),
              "required_multiple", i.requiredMultiple(),
              "capacity", i.capacity(),
              "basis", i.capacityBasis().label(),
              "historical_peak", i.historicalPeak()));
    }
    return new EvidenceReport.Evidence(
        "R1", "TradingDemo.step2.capacityHeadroom", measured.toString(), passed, json(detail));
  }

  /**
   * What the pressure test found, the trades per order it saw (to size trade capacity) and the
   * bytes per order (to size the link).
   */
  private record Capacity(PressureReport report, double tradesPerOrder, double bytesPerOrder) {
    void recordInto(TradingSystem system) {
      if (report.sustainedRate() == 0) {
        return; // nothing sustained: no tested capacity, and trading readiness will say so
      }
      report.recordInto(system.orders());
      system
          .trades()
          .recordTested(
              report.sustainedRate() * tradesPerOrder,
              "pressure test " + report.name() + " (trades at the sustained order rate)");
    }
  }

  /**
   * Runs the order path (journal, primary, standby following) of a separate system at 3x and 4x the
   * stated peak, or stepped from 1x to 5x with {@code full}; the production system's capacity store
   * gets the result. Run apart so that test traffic is not counted as a business peak.
   */
  private static Capacity pressureTest(PrintStream out, Path directory, boolean full)
      throws Exception {
    try (TradingSystem test =
        TradingSystem.builder(directory).instanceId("fut-test").members(0).build()) {
      OrderFlow flow = new OrderFlow(test.market(), 99);
      long[] rates =
          full
              ? new long[] {
                STATED_PEAK, 2 * STATED_PEAK, 3 * STATED_PEAK, 4 * STATED_PEAK, 5 * STATED_PEAK
              }
              : new long[] {3 * STATED_PEAK, 4 * STATED_PEAK};
      PressureReport report =
          PressureTest.builder("orders", () -> test.submit(flow.next()))
              .rates(rates)
              .warmUp(Duration.ofSeconds(2))
              .measure(Duration.ofSeconds(full ? 3 : 2))
              .p99Limit(Duration.ofMillis(25))
              .threads(1)
              .progress(line -> out.println("   " + line))
              .build()
              .run();
      double tradesPerOrder = (double) test.trades().total() / Math.max(1, test.orders().total());
      double bytesPerOrder = (double) test.bandwidth().total() / Math.max(1, test.orders().total());
      out.printf(
          Locale.ROOT,
          "   sustained %.0f orders/s with p99 <= 25 ms (3x the stated peak is %d/s); %.2f trades"
              + " per order%n",
          report.sustainedRate(),
          3 * STATED_PEAK,
          tradesPerOrder);
      Path page = directory.resolve("pressure.html");
      Files.writeString(page, report.toHtml());
      Files.writeString(directory.resolve("pressure.json"), report.toJson());
      out.println("   charts: " + page);
      return new Capacity(report, tradesPerOrder, bytesPerOrder);
    }
  }

  /**
   * A narration line masked as the event log masks a record's message (R16), by the same policy:
   * {@code name=value} pairs of masked names ({@code account=10000001} becomes {@code
   * account=****0001}) and long digit runs.
   */
  static String masked(MaskingPolicy masking, String line) {
    return masking
        .apply(LogRecord.builder(StabilityEventCode.APP_BUSINESS).message(line).build())
        .message();
  }

  /** The diff with its keys and fields masked as {@link #masked(MaskingPolicy, String)} does. */
  static ConsistencyDiff masked(MaskingPolicy masking, ConsistencyDiff diff) {
    return new ConsistencyDiff(
        diff.sequence(),
        diff.buckets(),
        diff.onlyInPrimary().stream().map(r -> masked(masking, r)).toList(),
        diff.onlyInStandby().stream().map(r -> masked(masking, r)).toList(),
        diff.differing().stream()
            .map(
                r ->
                    new ConsistencyDiff.RecordDiff(
                        r.type(),
                        masked(masking, r.key()),
                        r.fields().stream()
                            .map(
                                f ->
                                    new ConsistencyDiff.FieldDiff(
                                        f.field(),
                                        maskedValue(masking, f.field(), f.primary()),
                                        maskedValue(masking, f.field(), f.standby())))
                            .toList()))
            .toList());
  }

  private static ConsistencyDiff.RecordView masked(
      MaskingPolicy masking, ConsistencyDiff.RecordView record) {
    return new ConsistencyDiff.RecordView(
        record.type(), masked(masking, record.key()), masked(masking, record.fields()));
  }

  private static Map<String, String> masked(MaskingPolicy masking, Map<String, String> values) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    values.forEach((name, value) -> out.put(name, maskedValue(masking, name, value)));
    return out;
  }

  /** {@code value} as the log shows it in a {@code name=value} pair. */
  private static String maskedValue(MaskingPolicy masking, String name, String value) {
    if (value == null) {
      return null;
    }
    String pair = name + "=" + value;
    String shown = masked(masking, pair);
    return shown.equals(pair) ? value : shown.substring(name.length() + 1);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A small JSON object for an evidence item's detail. */
  private static String json(Map<String, ?> fields) {
    try {
      return JSON.writeValueAsString(new java.util.TreeMap<>(fields));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Prints a line per second: rate, latency, standby lag. */
  private static void progress(PrintStream out, TradingSystem system, int seconds)
      throws InterruptedException {
    system.latencySinceLastCall();
    for (int s = 1; s <= seconds; s++) {
      Thread.sleep(1_000);
      Histogram latency = system.latencySinceLastCall();
      out.printf(
          Locale.ROOT,
          "   %ds: %5.0f orders/s, %5.0f trades/s, latency p50 %d us p99 %d us, remote standby lag %d"
              + " records, acknowledged up to %d%n",
          s,
          system.orders().rate(),
          system.trades().rate(),
          latency.getValueAtPercentile(50),
          latency.getValueAtPercentile(99),
          system.standbyLag(),
          system.acknowledged());
    }
  }

  private static void show(PrintStream out, LogRecord record) {
    boolean perCheck =
        record.code().equals("HEALTH_STATUS_CHANGED")
            && record.message().startsWith("health check");
    if (!perCheck && (SHOWN.contains(record.code()) || record.level() == Level.ERROR)) {
      out.println("      [event " + record.code() + "] " + record.message());
    }
  }

  private static String token() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Adds a step's evidence to the report and prints one line per item. */
  private static void addAndPrint(
      PrintStream out, EvidenceReport evidence, java.util.List<EvidenceReport.Evidence> items) {
    for (EvidenceReport.Evidence item : items) {
      evidence.add(item);
      out.println(
          "   "
              + item.requirement()
              + " "
              + (item.passed() ? "ok" : "FAILED")
              + ": "
              + item.measured());
    }
  }
}
