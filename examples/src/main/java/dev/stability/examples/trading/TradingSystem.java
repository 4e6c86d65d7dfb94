package dev.stability.examples.trading;

import dev.stability.aeron.AeronWarmLink;
import dev.stability.aeron.JournalPublisher;
import dev.stability.api.Role;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.consistency.Checkpoint;
import dev.stability.api.consistency.DigestValue;
import dev.stability.api.consistency.RecordSource;
import dev.stability.api.event.EventSink;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.Outcome;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.guard.GuardRejectedException;
import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthResult;
import dev.stability.api.journal.EpochFencedException;
import dev.stability.api.journal.Journal;
import dev.stability.api.switchover.EndpointRegistry;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.capacity.CapacityIndicator;
import dev.stability.core.capacity.CapacitySettings;
import dev.stability.core.consistency.AuditResult;
import dev.stability.core.consistency.ConsistencyDiff;
import dev.stability.core.event.MaskingPolicy;
import dev.stability.core.guard.CircuitBreakerSettings;
import dev.stability.core.guard.Guard;
import dev.stability.core.guard.GuardSettings;
import dev.stability.core.health.HealthSettings;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.operations.OperationSettings;
import dev.stability.core.operations.TradingCalendar;
import dev.stability.core.standby.Follower;
import dev.stability.core.standby.FollowerSettings;
import dev.stability.core.standby.JournalSource;
import dev.stability.core.switchover.EndpointRegistries;
import dev.stability.core.switchover.FailoverEndpoints;
import dev.stability.core.switchover.SwitchController;
import dev.stability.core.switchover.SwitchParticipants;
import dev.stability.core.switchover.SwitchSettings;
import dev.stability.examples.trading.StateRows.PositionRow;
import dev.stability.testkit.members.MemberSessions;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The example trading system, assembled with the SDK: one runtime as the door in; the primary core
 * ({@link MapTradingCore}) behind an order gateway that journals every input before applying it;
 * the heterogeneous standby ({@link ArrayTradingCore}) following the journal and audited against
 * the primary at checkpoints; a guard around the clearing link; capacity indicators for orders,
 * trades (3x) and the gateway link's bandwidth (2x, against its provisioned capacity); health
 * checks; the operation log with a trading calendar; a switch controller and simulated member
 * connections that reconnect after a switch.
 *
 * <p>By default both cores run in this one process and share one runtime (what the tests' drills,
 * replays and pressure tests use). With {@link Builder#standbyInOwnJvm(boolean)} (the demo) the
 * standby runs in a JVM the system starts, replicated over Aeron with the primary's stream in an
 * Aeron Archive: its checkpoints are audited here, its applied position read by the readiness
 * checks, the audit, localisation and repair reach it through commands to its JVM, and the planned
 * switchover runs there, this primary handing over; members are then TCP sessions.
 */
public final class TradingSystem implements AutoCloseable {

  /** The SDK's default masking policy, given to the runtime explicitly so others can use it. */
  private static final MaskingPolicy MASKING = MaskingPolicy.defaults();

  /** The service name members look up in the endpoint registry. */
  public static final String SERVICE = "futures-core";

  /** Where members reach the primary. */
  public static final String PRIMARY_ADDRESS = "10.0.1.11:9100";

  /** Where members reach the standby once it is primary. */
  public static final String STANDBY_ADDRESS = "10.0.2.11:9100";

  private final StabilityRuntime runtime;
  private final Market market;
  private final Journal journal;
  private final MapTradingCore primary;
  private final ArrayTradingCore standby;
  private final SlowableStandby standbyMachine;
  private final Follower follower;
  private final ClearingLink clearing = new ClearingLink();
  private final Guard clearingGuard;
  private final CapacityIndicator orders;
  private final CapacityIndicator trades;
  private final CapacityIndicator bandwidth;
  private final EndpointRegistry registry;
  private final List<FailoverEndpoints> members = new ArrayList<>();
  private AtomicReferenceArray<String> memberAddresses;
  private final OrderFlow flow;
  private final long checkpointEvery;
  private final long maxLag;
  private final Recorder latency = new Recorder(3);
  private final AtomicLong pendingClearing = new AtomicLong();
  private final AtomicLong tradesInInput = new AtomicLong();
  private volatile Execution.Reject rejectedInInput;
  private final AtomicLong clearingCalls = new AtomicLong();
  private final OperationSettings operationSettings;
  private final Path directory;
  private final int memberCount;
  private final AtomicLong acknowledged = new AtomicLong();
  private final Thread clearingSender;
  private final boolean remoteMode;
  private final RemoteStandbySide remote; // null: the standby follows in this JVM
  private final Journal localJournal;
  private volatile boolean handedOver;

  private volatile TradingCore active;
  private volatile String activeAddress = PRIMARY_ADDRESS;
  private volatile long epoch;
  private volatile ConsistencyDiff lastDiff;
  private volatile long rate;
  private volatile boolean running;
  private volatile boolean paused;
  private volatile boolean idle;
  private volatile boolean priceServiceHung;
  private volatile boolean closed;
  private volatile Thread gateway;
  private SwitchController controller;

  private TradingSystem(Builder b) {
    this.market = b.market;
    this.directory = b.directory;
    this.memberCount = b.members;
    this.remoteMode = b.standbyInOwnJvm;
    this.rate = b.rate;
    this.checkpointEvery = b.checkpointEvery;
    this.maxLag = b.maxLag;
    this.flow = new OrderFlow(market, b.seed);
    this.operationSettings =
        OperationSettings.builder()
            .calendar(b.calendar)
            .logFile(b.directory.resolve("operations").resolve("operations.jsonl"))
            .build();
    StabilityRuntime.Builder rb =
        StabilityRuntime.builder(
                ServiceIdentity.builder()
                    .systemCode("FUT")
                    .subsystem("core")
                    .instanceId(b.instanceId)
                    .grade(1)
                    .build())
            .clock(b.clock)
            .masking(MASKING)
            .slf4jOutput(b.slf4j)
            .guard(clearingLinkSettings())
            .capacity(
                CapacitySettings.builder()
                    .indicators("orders", "trades", "bandwidth")
                    .requiredMultiple("bandwidth", 2) // R1: bandwidth 2x, orders and trades 3x
                    .provisionedCapacity("bandwidth", b.gatewayLink) // not pressure tested
                    .store(b.directory.resolve("capacity.json"))
                    .build())
            .health(HealthSettings.builder().pollEvery(b.healthPoll).build())
            .operations(operationSettings)
            .healthCheck(HealthCheck.of("standby", HealthKind.READINESS, 2, this::standbyHealth))
            .healthCheck(
                HealthCheck.of(
                    "settlement-prices", HealthKind.TRADING_READINESS, 1, this::priceHealth));
    if (b.meterRegistry != null) {
      rb.meterRegistry(b.meterRegistry);
    }
    b.sinks.forEach(rb::eventSink);
    this.runtime = rb.build();
    try {
      this.clearingGuard = runtime.guards().guard("clearing-link");
      this.orders = runtime.capacity().indicator("orders");
      this.trades = runtime.capacity().indicator("trades");
      this.bandwidth = runtime.capacity().indicator("bandwidth");
      this.localJournal =
          runtime
              .journals()
              .open(
                  JournalSettings.builder("orders", b.directory.resolve("journal"))
                      .segmentSize(64 << 20)
                      .flush(b.flush)
                      .build());
      this.primary = new MapTradingCore(market);
      this.primary.reports(e -> countTrade(e));
      Path registryFile = b.directory.resolve("endpoints.json");
      this.registry = EndpointRegistries.file(registryFile);
      if (b.standbyInOwnJvm) {
        this.standby = null;
        this.standbyMachine = null;
        this.follower = null;
        this.remote =
            RemoteStandbySide.start(
                runtime,
                localJournal,
                b.directory,
                registryFile,
                b.clock.millis() - System.currentTimeMillis(),
                checkpointEvery);
        this.journal = remote.publisher().journal();
        remote.publisher().acceptHandover(this::handOver);
        registry.publish(SERVICE, remote.primaryAddress(), 0);
        boolean reported;
        try {
          reported =
              RemoteStandbySide.await(
                  () -> remote.publisher().remoteApplied() >= 0, Duration.ofSeconds(30));
        } catch (InterruptedException e) {
          remote.close();
          remote.closeMedia();
          throw e;
        }
        if (!reported) {
          remote.close();
          remote.closeMedia();
          throw new IllegalStateException(
              "the standby's JVM (pid " + remote.process().pid() + ") did not report within 30 s");
        }
        remote.startMembers(runtime, SERVICE, registry, b.members);
      } else {
        this.remote = null;
        this.journal = localJournal;
        this.standby = new ArrayTradingCore(market);
        this.standbyMachine = new SlowableStandby(standby);
        this.follower =
            runtime
                .standby()
                .follow(
                    FollowerSettings.builder("standby", b.directory.resolve("standby"))
                        .checkpointEvery(checkpointEvery)
                        .maxLag(b.maxLag)
                        .build(),
                    JournalSource.of(journal),
                    standbyMachine);
        registry.publish(SERVICE, PRIMARY_ADDRESS, 0);
      }
      this.active = primary;
      int simulated = remote == null ? b.members : 0; // the remote mode's members are sessions
      this.memberAddresses = new AtomicReferenceArray<>(simulated);
      for (int m = 0; m < simulated; m++) {
        FailoverEndpoints list =
            FailoverEndpoints.builder(runtime, String.format("member-%04d", m + 1), SERVICE)
                .addresses(PRIMARY_ADDRESS, STANDBY_ADDRESS)
                .registry(registry)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(20))
                .build();
        memberAddresses.set(m, list.connect(this::connectTo));
        members.add(list);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runtime.close();
      throw new IllegalStateException("interrupted while members connected", e);
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    }
    this.clearingSender = new Thread(this::sendToClearing, "clearing-sender");
    clearingSender.setDaemon(true);
    clearingSender.start();
  }

  /**
   * The clearing link's guard, the same on the primary and on a standby in its own JVM (the warm
   * standby carries its breaker's state by name).
   */
  public static GuardSettings clearingLinkSettings() {
    return GuardSettings.builder("clearing-link")
        .circuitBreaker(
            CircuitBreakerSettings.builder()
                .slidingWindowSize(10)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .slowCallDurationThreshold(Duration.ofMillis(50))
                .slowCallRateThreshold(50)
                .waitDurationInOpenState(Duration.ofMillis(500))
                .build())
        .latencyPercentiles(true) // the clearing link's p50/p99/p99.9 on the console and /metrics
        .build();
  }

  /** Starts building a system that keeps its files in {@code directory}. */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  // ---- the order path

  /** Starts the order gateway: inputs from the seeded flow at the configured rate. */
  public TradingSystem startFlow() {
    Thread old = gateway;
    if (old != null && old.isAlive() && !running) {
      // Told to stop (crashPrimary, a switch) but not gone yet: let it finish the input in hand
      // before a new gateway takes the flow (not thread-safe). Outside the lock: it may need it.
      try {
        old.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return startGateway();
  }

  private synchronized TradingSystem startGateway() {
    if (gateway != null && gateway.isAlive()) {
      if (!running) {
        throw new IllegalStateException(
            "the previous order gateway did not stop within 5 s; the flow was not restarted");
      }
      return this; // already running
    }
    running = true;
    paused = false;
    gateway = new Thread(this::gatewayLoop, "order-gateway");
    gateway.setDaemon(true);
    gateway.start();
    return this;
  }

  private void gatewayLoop() {
    long due = System.nanoTime();
    long pacedRate = rate;
    while (running) {
      if (paused) {
        idle = true;
        LockSupport.parkNanos(1_000_000);
        due = System.nanoTime();
        continue;
      }
      idle = false;
      if (pacedRate != rate) {
        pacedRate = rate;
        due = System.nanoTime();
      }
      due += 1_000_000_000L / pacedRate;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      try {
        submit(flow.next(), due);
      } catch (EpochFencedException fenced) {
        return; // this primary was fenced by a switch: it stops taking input
      }
    }
    idle = true;
  }

  /**
   * Journals one input, applies it to the active core and acknowledges what the journal says is
   * durable. Inputs are sequenced one at a time (the core is single-threaded).
   *
   * @throws EpochFencedException if this side was fenced by a switch
   */
  public synchronized void submit(OrderInput input) {
    submit(input, System.nanoTime());
  }

  private synchronized void submit(OrderInput input, long dueNanos) {
    byte[] payload = input.encode();
    long e = epoch;
    long sequence = journal.append(e, payload);
    tradesInInput.set(0);
    rejectedInInput = null;
    active.apply(sequence, e, ByteBuffer.wrap(payload));
    orders.record();
    bandwidth.record(payload.length); // the bytes the members' gateway link carried
    Execution.Reject rejected = rejectedInInput;
    if (rejected != null && rejected != Execution.Reject.UNKNOWN_ORDER) {
      // A business record naming the account; the runtime masks it before it leaves (R16). A
      // cancel that came after its order traded (UNKNOWN_ORDER) is routine and not recorded.
      runtime
          .events()
          .publish(
              LogRecord.builder(StabilityEventCode.APP_BUSINESS)
                  .account(Long.toString(input.account()))
                  .order(Long.toString(input.orderId()))
                  .journalSeq(sequence)
                  .attr("reason", rejected.name())
                  .message(
                      (input.type() == OrderInput.CANCEL ? "cancel of order " : "order ")
                          + input.orderId()
                          + " refused: "
                          + rejected));
    }
    long n = tradesInInput.get();
    if (n > 0) {
      trades.record(n);
      pendingClearing.addAndGet(n);
    }
    if (sequence % checkpointEvery == 0 && active == primary) {
      // Copied into a reserved slot and compared on the auditor's thread: nothing allocated here.
      runtime.consistency().auditor().capturePrimary("primary", sequence, e, primary.digest());
    }
    acknowledged.set(journal.durableSequence());
    latency.recordValue(Math.max(0, (System.nanoTime() - dueNanos) / 1_000));
  }

  private void countTrade(Execution e) {
    if (e.kind() == Execution.Kind.TRADE) {
      tradesInInput.incrementAndGet();
    } else if (e.kind() == Execution.Kind.REJECTED) {
      rejectedInInput = e.reason();
    }
  }

  /**
   * Sends trades to clearing off the order path, through the guard, in batches of up to 10 ms;
   * keeps them on failure. Every call is an interface record (R17): serial, interface, peer,
   * duration and result, with the error when it failed.
   */
  private void sendToClearing() {
    while (!closed) {
      long batch = pendingClearing.get();
      if (batch == 0) {
        LockSupport.parkNanos(2_000_000);
        continue;
      }
      long started = System.nanoTime();
      try {
        clearingGuard.run(() -> clearing.send(batch));
        pendingClearing.addAndGet(-batch); // pending until the clearing house has them
        interfaceRecord(batch, started, Outcome.SUCCESS, null);
        LockSupport.parkNanos(10_000_000); // the next batch collects for 10 ms
      } catch (RuntimeException refusedOrFailed) {
        interfaceRecord(
            batch,
            started,
            refusedOrFailed instanceof GuardRejectedException ? Outcome.REJECTED : Outcome.FAILURE,
            refusedOrFailed);
        LockSupport.parkNanos(20_000_000); // kept for the next try, never dropped
      }
    }
  }

  private void interfaceRecord(long batch, long startedNanos, Outcome outcome, Throwable error) {
    LogRecord.Builder record =
        LogRecord.builder(StabilityEventCode.APP_INTERFACE_CALL)
            .seq(String.format("CLR-%08d", clearingCalls.incrementAndGet()))
            .interfaceId("clearing.send")
            .peer("CLEARING")
            .durationMicros((System.nanoTime() - startedNanos) / 1_000)
            .outcome(outcome)
            .attr("trades", batch)
            .message(
                batch
                    + " trades to clearing: "
                    + (outcome == Outcome.SUCCESS
                        ? "accepted"
                        : outcome.name().toLowerCase(Locale.ROOT)));
    if (error != null) {
      record.error(error); // INFO: the breaker's events are the alert, this is the record
    }
    runtime.events().publish(record);
  }

  /**
   * Holds the order flow (the gateway finishes the input in hand) and waits until the standby has
   * applied everything journaled, so both sides can be compared as they stand.
   */
  public void pause() throws InterruptedException {
    // Forget an idle left over from an earlier pause: only the gateway seeing this pause may
    // report it idle. Set paused first: an idle = true the gateway writes late (it read paused
    // before a resume) is then harmless, as it reads paused again before it takes another input.
    paused = true;
    idle = false;
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!idle && gateway != null && gateway.isAlive()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the order gateway did not pause within 5 s");
      }
      Thread.sleep(1);
    }
    synchronized (this) {
      // Holding the lock: no submit is in progress, the journal's last record is final.
      if (active == primary
          && !handedOver
          && !(remote == null
              ? follower.awaitApplied(journal.lastSequence(), Duration.ofSeconds(10))
              : remote.awaitApplied(journal.lastSequence(), Duration.ofSeconds(10)))) {
        throw new IllegalStateException(
            "the standby did not catch up within 10 s: applied "
                + standbyApplied()
                + " of "
                + journal.lastSequence());
      }
    }
  }

  /** Lets the order flow go on after {@link #pause()}. */
  public void resume() {
    paused = false;
  }

  /** Sets the order flow's rate (inputs per second). */
  public void rate(long value) {
    if (value < 1 || value > 1_000_000) {
      throw new IllegalArgumentException("rate must be 1..1000000 inputs/s, got " + value);
    }
    this.rate = value;
  }

  // ---- consistency

  /**
   * Compares both sides now (R10): pauses the flow, lets the standby catch up, compares the digests
   * at the same sequence through the runtime's auditor, and resumes.
   */
  public AuditResult auditNow() throws InterruptedException {
    try {
      pause();
      return compareHeld();
    } finally {
      resume();
    }
  }

  /**
   * Compares both sides while the flow is paused (the standby in its own JVM sends its digest in
   * total and per bucket).
   */
  public synchronized AuditResult compareHeld() throws InterruptedException {
    long sequence = journal.lastSequence();
    return runtime
        .consistency()
        .auditor()
        .compare(
            Checkpoint.of("primary", sequence, epoch, primary.digest()),
            remote == null
                ? Checkpoint.of("standby", sequence, epoch, standby.digest())
                : remote.checkpoint(sequence, epoch));
  }

  /** Localises a mismatch to records and fields (both sides must still be held where compared). */
  public synchronized ConsistencyDiff localise(AuditResult mismatch) {
    RecordSource standbyRecords =
        remote == null ? standby : remote.records(primary.rows, mismatch.differingBuckets());
    ConsistencyDiff diff =
        runtime.consistency().auditor().localise(mismatch, primary, standbyRecords);
    lastDiff = diff;
    return diff;
  }

  /** The last diff {@link #localise} produced, or null: what the ops console shows. */
  public ConsistencyDiff lastDiff() {
    return lastDiff;
  }

  /**
   * Repairs the standby by restoring the primary's snapshot into it (the two implementations share
   * the snapshot format; the standby in its own JVM reads it from a file the primary writes); call
   * while paused.
   */
  public synchronized void repairStandby() throws InterruptedException {
    if (!paused) {
      throw new IllegalStateException("pause the flow before repairing the standby");
    }
    requireStandbyNotLive("rebuilt from the old primary");
    long last = journal.lastSequence();
    if (standbyApplied() != last || primary.lastApplied() != last) {
      throw new IllegalStateException(
          "the standby has applied "
              + standbyApplied()
              + " of "
              + last
              + " records: repair it once pause() has returned (the follower would apply the rest"
              + " again on top of the primary's state)");
    }
    if (remote == null) {
      standby.restore(primary.snapshot());
    } else {
      remote.restore(primary.snapshot(), directory.resolve("repair").resolve("snapshot-" + last));
    }
  }

  /** Damages one position in the standby (fault injection); call while paused. */
  public synchronized void damageStandbyPosition(long account, int instrument, long lots)
      throws InterruptedException {
    if (!paused) {
      throw new IllegalStateException("pause the flow before damaging the standby");
    }
    requireStandbyNotLive("damaged");
    if (remote == null) {
      standby.damagePosition(account, instrument, lots);
    } else {
      remote.damage(account, instrument, lots);
    }
  }

  /** One of the standby's positions (asked of its JVM in the remote mode). */
  public PositionRow standbyPosition(long account, int instrument) throws InterruptedException {
    return remote == null
        ? standby.position(account, instrument)
        : remote.position(account, instrument);
  }

  /**
   * After a switch the standby core is the live primary: the standby-only tools must not touch it.
   */
  private void requireStandbyNotLive(String what) {
    if (handedOver) {
      throw new IllegalStateException(
          "the standby is the primary since the handover: it is not " + what);
    }
    if (active != primary) {
      throw new IllegalStateException(
          "the standby core is the primary since the switch to epoch "
              + epoch
              + ": it is not "
              + what);
    }
  }

  // ---- switching

  /**
   * The switch controller for this primary and standby (R9, R18).
   *
   * @throws IllegalStateException in the remote mode: the controller runs in the standby's JVM
   *     ({@link #switchoverInStandby})
   */
  public synchronized SwitchController switchController() {
    if (remote != null) {
      throw new IllegalStateException(
          "the standby runs in its own JVM: its switch controller runs there"
              + " (switchoverInStandby)");
    }
    if (controller == null) {
      controller =
          runtime
              .switchover()
              .controller(
                  new SwitchSettings(SERVICE, STANDBY_ADDRESS, 10_000, Duration.ofSeconds(10)),
                  SwitchParticipants.builder()
                      .journal(journal)
                      .standby(follower)
                      .stopPrimary(this::stopGateway)
                      .primaryDigest(() -> primary.digest().value())
                      .standbyDigest(() -> standby.digest().value())
                      .standbyHealth(() -> standbyHealth().status())
                      .promote(this::promote)
                      .registry(registry)
                      .afterSwitch(this::reconnectMembers)
                      .build());
    }
    return controller;
  }

  private void stopGateway() {
    running = false;
    Thread g = gateway;
    if (g != null) {
      try {
        g.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Kills the primary's order path without an orderly stop (for a failover drill). */
  public void crashPrimary() {
    running = false;
  }

  private synchronized void promote(long newEpoch) {
    this.epoch = newEpoch;
    // The follower has stopped: from here the standby's reports are the order path's, so its
    // trades are counted and sent to clearing as the primary's were.
    standby.reports(this::countTrade);
    this.active = standby;
    this.activeAddress = STANDBY_ADDRESS;
  }

  private int reconnectMembers() {
    int back = 0;
    for (int m = 0; m < members.size(); m++) {
      try {
        memberAddresses.set(m, members.get(m).connect(this::connectTo));
        back++;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        // counted as not back
      }
    }
    return back;
  }

  private String connectTo(String address) {
    if (!address.equals(activeAddress)) {
      throw new IllegalStateException(address + " refuses connections: it is not the primary");
    }
    return address;
  }

  /** Simulated members connected to the address that is primary now (in-process mode). */
  public int membersConnected() {
    int n = 0;
    for (int m = 0; m < memberAddresses.length(); m++) {
      if (activeAddress.equals(memberAddresses.get(m))) {
        n++;
      }
    }
    return n;
  }

  // ---- health

  private HealthResult standbyHealth() {
    if (remoteMode) {
      return remote == null
          ? HealthResult.down("the standby's JVM is being started")
          : remoteStandbyHealth();
    }
    if (active == standby) {
      return HealthResult.up("promoted: this side is the primary at epoch " + epoch);
    }
    if (follower.failure().isPresent()) {
      return HealthResult.down("the standby stopped: " + follower.failure().get().getMessage());
    }
    long lag = follower.lag();
    if (lag > maxLag) {
      return HealthResult.degraded("the standby is " + lag + " records behind");
    }
    return HealthResult.up("applied " + follower.appliedSequence() + ", " + lag + " behind");
  }

  private HealthResult remoteStandbyHealth() {
    if (handedOver) {
      return HealthResult.up("handed over: the standby is the primary now");
    }
    StandbyProcess process = remote.process();
    if (!process.alive()) {
      return HealthResult.down("the standby's JVM (pid " + process.pid() + ") is not running");
    }
    long lag = remote.publisher().remoteLag();
    if (lag < 0) {
      return HealthResult.down("the standby's JVM has not reported what it applied yet");
    }
    if (lag > maxLag) {
      return HealthResult.degraded("the standby in its own JVM is " + lag + " records behind");
    }
    return HealthResult.up(
        "standby in JVM pid "
            + process.pid()
            + " applied "
            + remote.publisher().remoteApplied()
            + ", "
            + lag
            + " behind");
  }

  private HealthResult priceHealth() throws InterruptedException {
    while (priceServiceHung && !closed) {
      Thread.sleep(50); // the settlement price service does not answer
    }
    return HealthResult.up(market.instruments().size() + " settlement prices and limits loaded");
  }

  // ---- faults (for the demo, drills and discovery campaigns)

  /** The operation settings the runtime was built with (calendar, log file, retention). */
  public OperationSettings operationSettings() {
    return operationSettings;
  }

  /** The simulated clearing link, to inject errors and latency. */
  public ClearingLink clearing() {
    return clearing;
  }

  /** Makes the settlement price service hang (its health check then hangs) or answer again. */
  public void hangPriceService(boolean value) {
    this.priceServiceHung = value;
  }

  /** Slows the standby by {@code micros} per record applied (0 to stop). */
  public void slowStandby(long micros) {
    if (remote == null) {
      standbyMachine.slow(micros);
    } else {
      remote.slow(micros);
    }
  }

  // ---- what is there

  /** The runtime (events, metrics, health, capacity, operations, consistency). */
  public StabilityRuntime runtime() {
    return runtime;
  }

  /**
   * The masking policy the runtime applies to every record before it leaves (R16): what anything
   * else that shows accounts (the demo's narration, its evidence) masks with too.
   */
  public MaskingPolicy masking() {
    return MASKING;
  }

  /** The primary's core. */
  public MapTradingCore primary() {
    return primary;
  }

  /**
   * The standby's core.
   *
   * @throws IllegalStateException in the remote mode (it is in the standby's JVM)
   */
  public ArrayTradingCore standby() {
    requireInProcess("core");
    return standby;
  }

  /** The core taking input now (the standby after a switch). */
  public TradingCore active() {
    return active;
  }

  /**
   * The standby's follower (lag, applied sequence).
   *
   * @throws IllegalStateException in the remote mode (it is in the standby's JVM: see {@link
   *     #standbyLag()} and {@link #standbyApplied()})
   */
  public Follower follower() {
    requireInProcess("follower");
    return follower;
  }

  private void requireInProcess(String what) {
    if (remote != null) {
      throw new IllegalStateException("the standby's " + what + " is in its own JVM");
    }
  }

  /** Records the standby has yet to apply (as it reported, in the remote mode; -1 before). */
  public long standbyLag() {
    return remote == null ? follower.lag() : remote.publisher().remoteLag();
  }

  /** The last sequence the standby applied (as it reported, in the remote mode; -1 before). */
  public long standbyApplied() {
    return remote == null ? follower.appliedSequence() : remote.publisher().remoteApplied();
  }

  // ---- the standby in its own JVM (remote mode)

  /** Whether the standby runs in a JVM of its own, replicated over Aeron. */
  public boolean standbyInOwnJvm() {
    return remote != null;
  }

  private RemoteStandbySide remote() {
    if (remote == null) {
      throw new IllegalStateException("the standby follows in this JVM: no remote standby");
    }
    return remote;
  }

  /** The standby's JVM (remote mode). */
  public StandbyProcess standbyProcess() {
    return remote().process();
  }

  /** The primary's replication publisher (remote mode). */
  public JournalPublisher publisher() {
    return remote().publisher();
  }

  /** The warm link carrying this runtime's state to the standby (remote mode). */
  public AeronWarmLink warmLink() {
    return remote().warm();
  }

  /** Where members reach the primary: its gateway's address in the remote mode. */
  public String primaryAddress() {
    return remote == null ? PRIMARY_ADDRESS : remote.primaryAddress();
  }

  /** Where members reach the standby once it is primary. */
  public String standbyAddress() {
    return remote == null ? STANDBY_ADDRESS : remote.standbyAddress();
  }

  /** The members' TCP sessions (remote mode with members). */
  public MemberSessions memberSessions() {
    MemberSessions sessions = remote().members();
    if (sessions == null) {
      throw new IllegalStateException("built with no members");
    }
    return sessions;
  }

  /** Kills the standby's JVM with SIGKILL (remote mode); the primary goes on. */
  public void killStandby() throws InterruptedException {
    remote().kill();
  }

  /**
   * Starts the standby's JVM again on its own files (remote mode): it asks for the journal from its
   * breakpoint and is replayed what it missed from the primary's archive.
   */
  public void restartStandby() throws java.io.IOException {
    remote().restart();
  }

  /**
   * Has the standby's JVM run a planned switchover through its own runtime's dual control (operator
   * and reviewer), the primary handing over (remote mode); returns what it said, one line each:
   * {@code request}, {@code self-approval}, {@code gate} lines, then {@code switched} and {@code
   * warm}, {@code oplog}, {@code continues}, or {@code refused}. Members are timed from here.
   */
  public List<String> switchoverInStandby(String operator, String reviewer)
      throws InterruptedException {
    return remote().switchover(operator, reviewer);
  }

  /**
   * The primary's side of a planned switchover run from the standby's JVM: stops the order gateway
   * (the input in hand finishes), drops the members (they find the new primary in the registry) and
   * returns the state's digest; the publisher then fences the journal and sends every record.
   */
  private DigestValue handOver() {
    stopGateway();
    synchronized (this) {
      handedOver = true;
      remote.gateway().close();
      return primary.digest().value();
    }
  }

  /** Whether this primary handed over to the standby in its own JVM. */
  public boolean handedOver() {
    return handedOver;
  }

  /** The journal of inputs. */
  public Journal journal() {
    return journal;
  }

  /** The market's reference data. */
  public Market market() {
    return market;
  }

  /** The capacity indicator for orders. */
  public CapacityIndicator orders() {
    return orders;
  }

  /** The capacity indicator for trades. */
  public CapacityIndicator trades() {
    return trades;
  }

  /** The capacity indicator for the gateway link's bandwidth, in bytes per second. */
  public CapacityIndicator bandwidth() {
    return bandwidth;
  }

  /** The guard around the clearing link. */
  public Guard clearingGuard() {
    return clearingGuard;
  }

  /** Trades waiting to be sent to clearing. */
  public long pendingClearing() {
    return pendingClearing.get();
  }

  /** The last sequence acknowledged to members (durable under the journal's flush policy). */
  public long acknowledged() {
    return acknowledged.get();
  }

  /** The endpoint registry members look the primary up in. */
  public EndpointRegistry registry() {
    return registry;
  }

  /** Members: simulated connections, or TCP sessions in the remote mode. */
  public int members() {
    return memberCount;
  }

  /** Latency from each input's due time to its acknowledgement since the last call, in µs. */
  public Histogram latencySinceLastCall() {
    return latency.getIntervalHistogram();
  }

  /** Whether this side of the runtime is primary. */
  public Role role() {
    return runtime.role();
  }

  @Override
  public void close() {
    closed = true;
    running = false;
    stopGateway();
    try {
      clearingSender.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (remote != null) {
      remote.close();
      localJournal.close();
      remote.closeMedia();
    } else {
      follower.close();
      journal.close();
    }
    runtime.close();
  }

  /** Builds a {@link TradingSystem}. */
  public static final class Builder {
    private final Path directory;
    private Market market = Market.demo(1_000);
    private long seed = 20261130L;
    private long rate = 2_000;
    private Clock clock = Clock.systemUTC();
    private TradingCalendar calendar = TradingCalendar.chinaEquities().build();
    private final List<EventSink> sinks = new ArrayList<>();
    private MeterRegistry meterRegistry;
    private FlushPolicy flush = FlushPolicy.batch(64, Duration.ofMillis(2));
    private long checkpointEvery = 1_000;
    private long maxLag = 2_000;
    private int members = 20;
    private String instanceId = "fut-a1";
    private boolean slf4j;
    private Duration healthPoll = Duration.ofMillis(200);
    private double gatewayLink = 1_250_000; // 10 Mbit/s, in bytes per second
    private boolean standbyInOwnJvm;

    private Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** The reference data (default: {@link Market#demo} with 1000 accounts). */
    public Builder market(Market value) {
      this.market = Objects.requireNonNull(value, "market");
      return this;
    }

    /** The order flow's seed. */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /** The order flow's rate, inputs per second (default 2000). */
    public Builder rate(long value) {
      if (value < 1 || value > 1_000_000) {
        throw new IllegalArgumentException("rate must be 1..1000000 inputs/s, got " + value);
      }
      this.rate = value;
      return this;
    }

    /** The runtime's clock (its zone is the log offset; change windows use it). */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * The bandwidth provisioned for the members' gateway link in bytes per second (default 10
     * Mbit/s): the capacity the {@code bandwidth} indicator's headroom is measured against, as no
     * pressure test measures the link.
     */
    public Builder gatewayLink(double bytesPerSecond) {
      this.gatewayLink = bytesPerSecond;
      return this;
    }

    /** The trading calendar for change windows (default SSE/SZSE hours, Asia/Shanghai). */
    public Builder calendar(TradingCalendar value) {
      this.calendar = Objects.requireNonNull(value, "calendar");
      return this;
    }

    /** Adds an event output. */
    public Builder eventSink(EventSink value) {
      sinks.add(Objects.requireNonNull(value, "eventSink"));
      return this;
    }

    /** The meter registry (default: the runtime's own simple registry). */
    public Builder meterRegistry(MeterRegistry value) {
      this.meterRegistry = value;
      return this;
    }

    /** The journal's flush policy (default batch of 64 or 2 ms). */
    public Builder flush(FlushPolicy value) {
      this.flush = Objects.requireNonNull(value, "flush");
      return this;
    }

    /** Checkpoint both sides every this many inputs (default 1000). */
    public Builder checkpointEvery(long value) {
      if (value < 1) {
        throw new IllegalArgumentException("checkpointEvery must be >= 1, got " + value);
      }
      this.checkpointEvery = value;
      return this;
    }

    /**
     * The standby reports itself lagging (an event, and its health check DEGRADED) beyond this many
     * records (default 2000).
     */
    public Builder maxLag(long value) {
      this.maxLag = value;
      return this;
    }

    /** Simulated member connections that must come back after a switch (default 20). */
    public Builder members(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("members must be >= 0, got " + value);
      }
      this.members = value;
      return this;
    }

    /** The runtime's instance id (default {@code fut-a1}). */
    public Builder instanceId(String value) {
      this.instanceId = value;
      return this;
    }

    /** Whether events also go to SLF4J (Logback in the schema); default false. */
    public Builder slf4jOutput(boolean value) {
      this.slf4j = value;
      return this;
    }

    /** How often health is polled in the background (default 200 ms; zero = only on demand). */
    public Builder healthPoll(Duration value) {
      this.healthPoll = Objects.requireNonNull(value, "healthPoll");
      return this;
    }

    /**
     * Runs the standby in a JVM of its own ({@link StandbyProcess}, started by the system, which it
     * dies with), replicated over Aeron on loopback UDP with the primary's stream in an Aeron
     * Archive; the primary's auditor compares the standby's checkpoints, its readiness reads the
     * remote standby, an {@link AeronWarmLink} carries its state, and members are TCP sessions
     * (default false: the standby follows in this JVM). Uses the default market.
     */
    public Builder standbyInOwnJvm(boolean value) {
      this.standbyInOwnJvm = value;
      return this;
    }

    /** Builds and starts the system (the flow starts with {@link TradingSystem#startFlow()}). */
    public TradingSystem build() {
      return new TradingSystem(this);
    }
  }
}
