package dev.stability.testkit.drill;

import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.health.HealthStatus;
import dev.stability.api.journal.EpochFencedException;
import dev.stability.api.journal.Journal;
import dev.stability.api.standby.StateMachine;
import dev.stability.api.switchover.EndpointRegistry;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.journal.FlushPolicy;
import dev.stability.core.journal.JournalSettings;
import dev.stability.core.operations.Approval;
import dev.stability.core.operations.Operation;
import dev.stability.core.operations.OperationRequest;
import dev.stability.core.operations.Risk;
import dev.stability.core.standby.Follower;
import dev.stability.core.standby.FollowerSettings;
import dev.stability.core.standby.JournalSource;
import dev.stability.core.switchover.EndpointRegistries;
import dev.stability.core.switchover.FailoverEndpoints;
import dev.stability.core.switchover.SwitchController;
import dev.stability.core.switchover.SwitchParticipants;
import dev.stability.core.switchover.SwitchRefusedException;
import dev.stability.core.switchover.SwitchReport;
import dev.stability.core.switchover.SwitchSettings;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A switch drill in one JVM (R8, R18): the application's primary and heterogeneous standby state
 * machines, a file journal between them, a load thread that takes inputs at a steady rate and
 * acknowledges them as the journal makes them durable, simulated clients that reconnect through
 * their failover endpoint lists, then a planned switchover or a failover (the load stops dead, as
 * if the primary died) approved by two drill operators. Verifies and reports the takeover time,
 * acknowledged records lost (must be 0), the records never durable (failover), equal digests at the
 * switch sequence, and that every client reconnected to the new primary (R11).
 */
public final class SwitchDrill {

  /** Which switch to drill. */
  public enum Kind {
    /** A planned switchover. */
    PLANNED,
    /** The primary dies; the standby takes over. */
    FAILOVER
  }

  private final StabilityRuntime runtime;
  private final StateMachine primary;
  private final StateMachine standby;
  private final Supplier<byte[]> inputs;
  private final Path directory;
  private final Kind kind;
  private final Duration loadFor;
  private final int clients;
  private final FlushPolicy flush;
  private final long rate;
  private final Duration maxTakeover;

  private SwitchDrill(Builder builder) {
    this.runtime = builder.runtime;
    this.primary = builder.primary;
    this.standby = builder.standby;
    this.inputs = builder.inputs;
    this.directory = builder.directory;
    this.kind = builder.kind;
    this.loadFor = builder.loadFor;
    this.clients = builder.clients;
    this.flush = builder.flush;
    this.rate = builder.rate;
    this.maxTakeover = builder.maxTakeover;
  }

  /** Starts a drill on {@code runtime} (its operation log records the switch). */
  public static Builder builder(StabilityRuntime runtime) {
    return new Builder(runtime);
  }

  /** Runs the drill: load, switch, checks. */
  public DrillReport run() throws Exception {
    Journal journal =
        runtime
            .journals()
            .open(
                JournalSettings.builder("drill", directory.resolve("journal"))
                    .segmentSize(16 << 20)
                    .flush(flush)
                    .build());
    Follower follower =
        runtime
            .standby()
            .follow(
                FollowerSettings.builder("drill-standby", directory.resolve("standby"))
                    .checkpointEvery(1_000)
                    .build(),
                JournalSource.of(journal),
                standby);
    EndpointRegistry registry = EndpointRegistries.inMemory();
    String primaryAddress = "drill-primary:9001";
    String standbyAddress = "drill-standby:9001";
    registry.publish("drill", primaryAddress, 0);
    AtomicReference<String> accepting = new AtomicReference<>(primaryAddress);

    // The primary: append, apply, acknowledge when durable.
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong acknowledged = new AtomicLong();
    AtomicLong lastAcknowledged = new AtomicLong();
    Thread load =
        new Thread(
            () -> {
              long interval = 1_000_000_000L / rate;
              long due = System.nanoTime();
              while (running.get()) {
                due += interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                  LockSupport.parkNanos(wait);
                }
                byte[] input = inputs.get();
                long seq;
                try {
                  seq = journal.append(0, input);
                } catch (EpochFencedException fenced) {
                  return;
                }
                primary.apply(seq, 0, ByteBuffer.wrap(input));
                if (seq % 1_000 == 0) {
                  runtime
                      .consistency()
                      .auditor()
                      .capturePrimary("drill-primary", seq, 0, primary.digest());
                }
                // Acknowledgements are pipelined: whatever the journal says is durable is acked.
                long durable = journal.durableSequence();
                if (durable > lastAcknowledged.get()) {
                  lastAcknowledged.set(durable);
                  acknowledged.set(durable);
                }
              }
            },
            "drill-primary");
    load.setDaemon(true);
    load.start();

    // Clients connected to the primary; each reconnects after the switch.
    List<FailoverEndpoints> endpoints = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      FailoverEndpoints list =
          FailoverEndpoints.builder(runtime, "drill-client-" + c, "drill")
              .addresses(primaryAddress, standbyAddress)
              .registry(registry)
              .backoff(Duration.ofMillis(1), Duration.ofMillis(20))
              .build();
      list.connect(address -> connectTo(address, accepting));
      endpoints.add(list);
    }
    Thread.sleep(loadFor.toMillis());

    String action = kind == Kind.PLANNED ? "switchover" : "failover";
    OperationRequest request =
        runtime
            .operations()
            .request(
                Operation.builder(action, Risk.HIGH)
                    .target("drill")
                    .operator("drill-operator-a")
                    .reason(action + " drill")
                    .emergency(kind == Kind.FAILOVER)
                    .build());
    Approval approval = runtime.operations().approve(request.id(), "drill-operator-b");
    AtomicInteger reconnected = new AtomicInteger();
    SwitchController controller =
        runtime
            .switchover()
            .controller(
                new SwitchSettings("drill", standbyAddress, Long.MAX_VALUE, Duration.ofSeconds(30)),
                SwitchParticipants.builder()
                    .journal(journal)
                    .standby(follower)
                    .stopPrimary(
                        () -> {
                          running.set(false);
                          try {
                            load.join(); // the primary finishes the input in hand, then stops
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                        })
                    .primaryDigest(() -> primary.digest().value())
                    .standbyDigest(() -> standby.digest().value())
                    .standbyHealth(() -> HealthStatus.UP)
                    .promote(epoch -> accepting.set(standbyAddress))
                    .registry(registry)
                    .afterSwitch(
                        () -> {
                          for (FailoverEndpoints list : endpoints) {
                            try {
                              list.connect(address -> connectTo(address, accepting));
                              reconnected.incrementAndGet();
                            } catch (InterruptedException e) {
                              Thread.currentThread().interrupt();
                            } catch (RuntimeException e) {
                              // counted as not reconnected
                            }
                          }
                          if (reconnected.get() == clients) {
                            runtime
                                .events()
                                .publish(
                                    LogRecord.builder(StabilityEventCode.CLIENTS_ALL_RECONNECTED)
                                        .message(
                                            "all "
                                                + clients
                                                + " drill clients reconnected to the new primary")
                                        .attr("clients", clients));
                          }
                        })
                    .build());
    List<String> problems = new ArrayList<>();
    SwitchReport report;
    try {
      if (kind == Kind.FAILOVER) {
        running.set(false); // the primary dies: no orderly stop
      }
      if (!awaitFirstComparison() && kind == Kind.PLANNED) {
        problems.add("no checkpoint was compared within 10 s before the switch");
      }
      report =
          kind == Kind.PLANNED ? controller.switchover(approval) : controller.failover(approval);
    } catch (SwitchRefusedException | dev.stability.core.operations.OperationRefusedException e) {
      problems.add("the switch was refused: " + e.getMessage());
      return new DrillReport(
          kind == Kind.PLANNED ? "planned" : "failover",
          Instant.now(),
          Duration.ZERO,
          follower.appliedSequence(),
          acknowledged.get(),
          0,
          0,
          0,
          false,
          clients,
          0,
          problems);
    } finally {
      running.set(false);
      load.join(5_000);
    }

    // Every acknowledged record must be in the new primary's state (the standby applied it).
    long lostAcknowledged = Math.max(0, lastAcknowledged.get() - follower.appliedSequence());
    if (lostAcknowledged > 0) {
      problems.add(
          lostAcknowledged
              + " acknowledged records are not in the new primary's state (applied "
              + follower.appliedSequence()
              + ", acknowledged up to "
              + lastAcknowledged.get()
              + ")");
    }
    if (!report.digestsEqual()) {
      problems.add("digests differ at the switch sequence " + report.switchSequence());
    }
    if (reconnected.get() != clients) {
      problems.add(reconnected.get() + " of " + clients + " clients reconnected");
    }
    if (kind == Kind.PLANNED && report.possiblyLost() != 0) {
      problems.add(
          "a planned switchover reported " + report.possiblyLost() + " records not durable");
    }
    if (report.takeover().compareTo(maxTakeover) > 0) {
      problems.add(
          "takeover took "
              + report.takeover().toMillis()
              + " ms, more than the allowed "
              + maxTakeover.toMillis()
              + " ms");
    }
    return new DrillReport(
        kind == Kind.PLANNED ? "planned" : "failover",
        Instant.now(),
        report.takeover(),
        report.switchSequence(),
        acknowledged.get(),
        lostAcknowledged,
        report.lostFrom(),
        report.lostTo(),
        report.digestsEqual(),
        clients,
        reconnected.get(),
        problems);
  }

  /** Waits for a first checkpoint comparison (match or mismatch); false if none came. */
  private boolean awaitFirstComparison() throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (runtime.consistency().auditor().lastMatchedSequence().isEmpty()
        && runtime.consistency().auditor().firstMismatchSequence().isEmpty()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  private static String connectTo(String address, AtomicReference<String> accepting) {
    if (!address.equals(accepting.get())) {
      throw new IllegalStateException(address + " does not accept connections");
    }
    return address;
  }

  /** Builds a {@link SwitchDrill}. */
  public static final class Builder {
    private final StabilityRuntime runtime;
    private StateMachine primary;
    private StateMachine standby;
    private Supplier<byte[]> inputs;
    private Path directory;
    private Kind kind = Kind.PLANNED;
    private Duration loadFor = Duration.ofMillis(500);
    private int clients = 10;
    private FlushPolicy flush = FlushPolicy.batch(64, Duration.ofMillis(2));
    private long rate = 20_000;
    private Duration maxTakeover = Duration.ofSeconds(1);

    private Builder(StabilityRuntime runtime) {
      this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    /** The primary's implementation. */
    public Builder primary(StateMachine value) {
      this.primary = value;
      return this;
    }

    /** The heterogeneous standby's implementation. */
    public Builder standby(StateMachine value) {
      this.standby = value;
      return this;
    }

    /** Makes the next input (deterministic, for a reproducible drill). */
    public Builder inputs(Supplier<byte[]> value) {
      this.inputs = value;
      return this;
    }

    /** Where the drill keeps its journal and standby state. */
    public Builder directory(Path value) {
      this.directory = value;
      return this;
    }

    /** Planned switchover (default) or failover. */
    public Builder kind(Kind value) {
      this.kind = value;
      return this;
    }

    /** How long the load runs before the switch (default 500 ms). */
    public Builder loadFor(Duration value) {
      this.loadFor = value;
      return this;
    }

    /** Simulated clients that must reconnect (default 10). */
    public Builder clients(int value) {
      this.clients = value;
      return this;
    }

    /** The longest takeover that passes (default 1 s, the cross-process goal). */
    public Builder maxTakeover(Duration value) {
      this.maxTakeover = Objects.requireNonNull(value, "maxTakeover");
      return this;
    }

    /** Inputs per second the primary takes before the switch (default 20000). */
    public Builder rate(long value) {
      this.rate = value;
      return this;
    }

    /** The journal's flush policy (default batch of 64 or 2 ms). */
    public Builder flush(FlushPolicy value) {
      this.flush = value;
      return this;
    }

    /**
     * Builds the drill.
     *
     * @throws IllegalArgumentException naming what is missing
     */
    public SwitchDrill build() {
      if (primary == null || standby == null) {
        throw new IllegalArgumentException(
            "a switch drill needs the primary and the standby state machines");
      }
      if (inputs == null) {
        throw new IllegalArgumentException("a switch drill needs an input generator");
      }
      if (directory == null) {
        throw new IllegalArgumentException("a switch drill needs a directory for its journal");
      }
      if (rate < 1 || rate > 10_000_000) {
        throw new IllegalArgumentException(
            "rate must be 1..10000000 inputs per second, got " + rate);
      }
      if (clients < 0) {
        throw new IllegalArgumentException("clients must be >= 0, got " + clients);
      }
      return new SwitchDrill(this);
    }
  }
}
