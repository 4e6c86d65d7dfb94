package dev.stability.core;

import dev.stability.api.ConfigurationException;
import dev.stability.api.Role;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.event.EventCode;
import dev.stability.api.event.EventSink;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.health.HealthCheck;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.core.capacity.Capacity;
import dev.stability.core.capacity.CapacitySettings;
import dev.stability.core.capacity.internal.CapacityMonitor;
import dev.stability.core.consistency.Consistency;
import dev.stability.core.consistency.internal.DefaultConsistency;
import dev.stability.core.event.Events;
import dev.stability.core.event.MaskingPolicy;
import dev.stability.core.event.internal.EventDispatcher;
import dev.stability.core.guard.GuardDocuments;
import dev.stability.core.guard.GuardSettings;
import dev.stability.core.guard.Guards;
import dev.stability.core.guard.internal.GuardRegistry;
import dev.stability.core.health.Health;
import dev.stability.core.health.HealthSettings;
import dev.stability.core.health.StandardChecks;
import dev.stability.core.health.internal.HealthRegistry;
import dev.stability.core.internal.LiveRuntimes;
import dev.stability.core.internal.RuntimeContext;
import dev.stability.core.internal.RuntimeEnvironment;
import dev.stability.core.internal.RuntimeTimer;
import dev.stability.core.internal.SdkMeters;
import dev.stability.core.journal.Journals;
import dev.stability.core.journal.internal.RuntimeJournals;
import dev.stability.core.operations.OperationSettings;
import dev.stability.core.operations.Operations;
import dev.stability.core.operations.internal.DefaultOperations;
import dev.stability.core.standby.Standby;
import dev.stability.core.standby.WarmStandby;
import dev.stability.core.standby.WarmStandbySettings;
import dev.stability.core.standby.internal.DefaultWarmStandby;
import dev.stability.core.standby.internal.RuntimeStandby;
import dev.stability.core.switchover.Switchover;
import dev.stability.core.switchover.internal.RuntimeSwitchover;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The one door into the SDK: one per process (or per simulated process in tests), built from a
 * {@link ServiceIdentity}, owning every subsystem and the meters it registered. Two runtimes in one
 * JVM share nothing (no static state). Thread-safe. {@link #close()} drains pending events, stops
 * the runtime's threads (events, guard timers and thread pools) and removes its meters from the
 * registry; it never closes a registry the application passed in.
 *
 * <pre>{@code
 * try (StabilityRuntime runtime = StabilityRuntime.builder(identity)
 *     .meterRegistry(registry)
 *     .eventCodes(MyCodes.class)
 *     .guards(Path.of("guards.yaml"))
 *     .build()) {
 *   Callable<Ack> send = runtime.guards().guard("exchange-link").decorate(() -> link.send(order));
 *   runtime.events().publish(LogRecord.builder(MyCodes.ORDER_REJECTED).order("O-1").message("limit"));
 * }
 * }</pre>
 */
public final class StabilityRuntime implements AutoCloseable {

  private final ServiceIdentity identity;
  private final Clock clock;
  private final MeterRegistry registry;
  private final boolean ownsRegistry;
  private final SdkMeters meters;
  private final EventDispatcher events;
  private final GuardRegistry guards;
  private final RuntimeTimer timer;
  private final CapacityMonitor capacity;
  private final HealthRegistry health;
  private final DefaultOperations operations;
  private final DefaultConsistency consistency;
  private final RuntimeJournals journals;
  private final RuntimeStandby standby;
  private final RuntimeSwitchover switchover;
  private final DefaultWarmStandby warm;
  private volatile Role role;
  private volatile boolean closed;

  private StabilityRuntime(Builder builder) {
    this.identity = builder.identity;
    this.role = identity.role();
    this.clock = builder.clock;
    this.ownsRegistry = builder.registry == null;
    this.registry = ownsRegistry ? new SimpleMeterRegistry() : builder.registry;
    this.meters = new SdkMeters(registry, identity);
    RuntimeEnvironment environment = RuntimeEnvironment.detect();
    meters.gauge(StabilityMetric.ROLE, this, r -> r.role == Role.PRIMARY ? 1 : 0);
    this.events =
        new EventDispatcher(
            new EventDispatcher.Settings(
                identity,
                this::role,
                clock,
                builder.masking,
                builder.sinks,
                builder.slf4jOutput,
                builder.eventQueueCapacity,
                List.copyOf(builder.applicationCodes.values()),
                environment),
            meters);
    LongSupplier ticker = clock instanceof ManualClock manual ? manual::nanoTime : System::nanoTime;
    RuntimeContext.Sleeper sleeper =
        clock instanceof ManualClock manual ? manual::advance : d -> Thread.sleep(d.toMillis());
    this.timer = new RuntimeTimer(identity.instanceId());
    // Under a ManualClock time passes only when a test says so: nothing samples or polls by itself.
    RuntimeContext context =
        new RuntimeContext(
            identity,
            this::role,
            clock,
            ticker,
            sleeper,
            events,
            meters,
            timer,
            !(clock instanceof ManualClock));
    this.guards = new GuardRegistry(context);
    this.consistency = new DefaultConsistency(context);
    CapacityMonitor capacityMonitor = null;
    HealthRegistry healthRegistry = null;
    DefaultOperations operationControl = null;
    try {
      for (GuardSettings spec : builder.guardSettings) {
        guards.register(spec);
      }
      capacityMonitor = new CapacityMonitor(builder.capacity, context);
      healthRegistry = new HealthRegistry(builder.health, context);
      if (builder.health.builtInChecks()) {
        healthRegistry.register(StandardChecks.jvm());
        healthRegistry.register(events.healthCheck());
        healthRegistry.register(StandardChecks.guards(guards));
        if (!builder.capacity.indicators().isEmpty()) {
          healthRegistry.register(capacityMonitor.healthCheck());
        }
      }
      for (HealthCheck check : builder.healthChecks) {
        healthRegistry.register(check);
      }
      operationControl = new DefaultOperations(builder.operations, context, builder.masking);
    } catch (RuntimeException e) {
      if (healthRegistry != null) {
        healthRegistry.close();
      }
      if (capacityMonitor != null) {
        capacityMonitor.close();
      }
      timer.close();
      guards.close();
      events.close();
      meters.close();
      throw e;
    }
    this.capacity = capacityMonitor;
    this.health = healthRegistry;
    this.operations = operationControl;
    this.journals = new RuntimeJournals(context);
    this.standby = new RuntimeStandby(context, consistency.auditor());
    this.warm =
        new DefaultWarmStandby(builder.warmStandby, context, guards, capacity, health, operations);
    this.switchover =
        new RuntimeSwitchover(context, operations, consistency.auditor(), r -> this.role = r, warm);
    LogRecord.Builder started =
        LogRecord.builder(StabilityEventCode.RUNTIME_STARTED)
            .message(
                "stability runtime started for "
                    + identity.systemCode()
                    + "/"
                    + identity.instanceId()
                    + " as "
                    + role
                    + " on "
                    + environment.summary())
            .attr("grade", identity.grade());
    environment.attrs().forEach(started::attr);
    events.publish(started.build());
    LiveRuntimes.opened(this);
  }

  /**
   * Starts building a runtime for the given identity.
   *
   * @throws ConfigurationException if {@code identity} is null
   */
  public static Builder builder(ServiceIdentity identity) {
    if (identity == null) {
      throw new ConfigurationException("StabilityRuntime.identity", null, "must be set");
    }
    return new Builder(identity);
  }

  /** Who this runtime speaks for. */
  public ServiceIdentity identity() {
    return identity;
  }

  /** The current role: the identity's role at start, changed only by a switchover. */
  public Role role() {
    return role;
  }

  /** The clock every subsystem reads; tests pass a controllable one. */
  public Clock clock() {
    return clock;
  }

  /** The registry SDK meters are published into. */
  public MeterRegistry meterRegistry() {
    return registry;
  }

  /** Event and application-record output. */
  public Events events() {
    return events;
  }

  /** The guards: lookup by name, inspection, registration (R14). */
  public Guards guards() {
    return guards;
  }

  /** Health checks, status by kind and the trading-readiness report (R3, R7). */
  public Health health() {
    return health;
  }

  /**
   * The warm standby: the state this runtime carries to its standby as primary, or holds from its
   * primary as standby and takes over at promotion (breakers, limits, capacity, health, the
   * operation log's chain).
   */
  public WarmStandby warmStandby() {
    return warm;
  }

  /** Key business indicators: rates, peaks, tested capacity and headroom (R1). */
  public Capacity capacity() {
    return capacity;
  }

  /**
   * Operations control: dual control, change windows and the hash-chained operation log (R4, R5,
   * R6).
   */
  public Operations operations() {
    return operations;
  }

  /** State digests, the checkpoint auditor, shadow and replay comparison (R10). */
  public Consistency consistency() {
    return consistency;
  }

  /**
   * The journals: file journals that report to this runtime, readers of a journal's files, and
   * in-memory journals for tests (R9, R11). The runtime closes what it opened.
   */
  public Journals journals() {
    return journals;
  }

  /**
   * The standby side: followers that apply a journal to the application's own state machine and
   * checkpoint to this runtime's auditor (R9, R10). The runtime closes them.
   */
  public Standby standby() {
    return standby;
  }

  /**
   * Switchover and failover: switch controllers that promote a standby through dual control and
   * change this runtime's {@link #role()} to PRIMARY when they do (R9, R18).
   */
  public Switchover switchover() {
    return switchover;
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Closes the runtime: emits {@code RUNTIME_STOPPED}, delivers every pending event, stops the
   * event thread and removes the runtime's meters. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    LiveRuntimes.closed(this);
    events.publish(
        LogRecord.builder(StabilityEventCode.RUNTIME_STOPPED)
            .message("stability runtime stopped for " + identity.instanceId())
            .build());
    standby.close();
    journals.close();
    consistency.close();
    health.close();
    capacity.close();
    timer.close();
    operations.close();
    guards.close();
    events.close();
    meters.close();
    if (ownsRegistry) {
      registry.close();
    }
  }

  @Override
  public String toString() {
    return "StabilityRuntime[" + identity.systemCode() + "/" + identity.instanceId() + "]";
  }

  /** Builds a {@link StabilityRuntime}. Not thread-safe; every setting is validated here. */
  public static final class Builder {
    private final ServiceIdentity identity;
    private MeterRegistry registry;
    private Clock clock = Clock.systemDefaultZone();
    private MaskingPolicy masking = MaskingPolicy.defaults();
    private final List<EventSink> sinks = new ArrayList<>();
    private boolean slf4jOutput = true;
    private int eventQueueCapacity = 65_536;
    private final Map<String, EventCode> applicationCodes = new LinkedHashMap<>();
    private final List<GuardSettings> guardSettings = new ArrayList<>();
    private HealthSettings health = HealthSettings.defaults();
    private final List<HealthCheck> healthChecks = new ArrayList<>();
    private CapacitySettings capacity = CapacitySettings.none();
    private OperationSettings operations = OperationSettings.defaults();
    private WarmStandbySettings warmStandby = WarmStandbySettings.defaults();

    private Builder(ServiceIdentity identity) {
      this.identity = identity;
    }

    /**
     * Publishes SDK meters into this registry; by default a private {@code SimpleMeterRegistry}.
     */
    public Builder meterRegistry(MeterRegistry value) {
      this.registry = Objects.requireNonNull(value, "meterRegistry");
      return this;
    }

    /** The clock for timestamps and every time-based decision; its zone is the log offset. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** The masking policy applied to every record before output (R16). */
    public Builder masking(MaskingPolicy value) {
      this.masking = Objects.requireNonNull(value, "masking");
      return this;
    }

    /** Adds an output that receives every record and its JSON line on the event thread. */
    public Builder eventSink(EventSink sink) {
      sinks.add(Objects.requireNonNull(sink, "eventSink"));
      return this;
    }

    /** Whether records also go to SLF4J loggers {@code stability.<category>} (default true). */
    public Builder slf4jOutput(boolean value) {
      this.slf4jOutput = value;
      return this;
    }

    /**
     * How many events may wait for the event thread before new ones are dropped (and counted, and
     * reported); default 65536.
     *
     * @throws ConfigurationException outside 16..16777216
     */
    public Builder eventQueueCapacity(int value) {
      if (value < 16 || value > 16_777_216) {
        throw new ConfigurationException(
            "StabilityRuntime.eventQueueCapacity", value, "must be 16..16777216");
      }
      this.eventQueueCapacity = value;
      return this;
    }

    /**
     * Registers the application's own event codes, declared as an enum implementing {@link
     * EventCode}.
     *
     * @throws ConfigurationException if a code is malformed, duplicated, or clashes with an SDK
     *     code
     */
    public <E extends Enum<E> & EventCode> Builder eventCodes(Class<E> codes) {
      return eventCodes(Arrays.asList(codes.getEnumConstants()));
    }

    /** Registers application event codes; see {@link #eventCodes(Class)}. */
    public Builder eventCodes(List<? extends EventCode> codes) {
      for (EventCode code : codes) {
        String key = "StabilityRuntime.eventCodes";
        if (code.code() == null || !EventCode.CODE_PATTERN.matcher(code.code()).matches()) {
          throw new ConfigurationException(
              key, code.code(), "must be upper-case words joined by '_', 2-64 characters");
        }
        if (code.category() == null || code.level() == null) {
          throw new ConfigurationException(
              key + "." + code.code(), null, "must declare a category and a level");
        }
        if (code.meaning() == null || code.meaning().isBlank()) {
          throw new ConfigurationException(
              key + "." + code.code(), code.meaning(), "must declare a one-line meaning");
        }
        if (isSdkCode(code.code())) {
          throw new ConfigurationException(
              key, code.code(), "must not reuse a code of the SDK catalog (StabilityEventCode)");
        }
        EventCode previous = applicationCodes.putIfAbsent(code.code(), code);
        if (previous != null && previous != code) {
          throw new ConfigurationException(key, code.code(), "must be registered only once");
        }
      }
      return this;
    }

    private static boolean isSdkCode(String code) {
      for (StabilityEventCode sdk : StabilityEventCode.values()) {
        if (sdk.code().equals(code)) {
          return true;
        }
      }
      return false;
    }

    /** Adds a guard, built from code (R14). */
    public Builder guard(GuardSettings spec) {
      guardSettings.add(Objects.requireNonNull(spec, "guard"));
      return this;
    }

    /**
     * Adds every guard of a configuration document (YAML, JSON or properties; see {@link
     * GuardDocuments}, which says what YAML and properties need on the class path).
     *
     * @throws ConfigurationException naming the guard, key, value and rule of the first problem
     */
    public Builder guards(Path configDocument) {
      guardSettings.addAll(GuardDocuments.read(configDocument));
      return this;
    }

    /** How health checks run: timeout, cache, polling, built-in checks (R3). */
    public Builder health(HealthSettings value) {
      this.health = Objects.requireNonNull(value, "health");
      return this;
    }

    /** Adds an application health check, registered with the default timeout at build. */
    public Builder healthCheck(HealthCheck check) {
      healthChecks.add(Objects.requireNonNull(check, "healthCheck"));
      return this;
    }

    /** Declares key business indicators and their store (R1). */
    public Builder capacity(CapacitySettings value) {
      this.capacity = Objects.requireNonNull(value, "capacity");
      return this;
    }

    /** How state is carried to a warm standby and taken over at promotion (default: defaults). */
    public Builder warmStandby(WarmStandbySettings value) {
      this.warmStandby = Objects.requireNonNull(value, "warmStandby");
      return this;
    }

    /** Trading calendar, change window, operation log file and approval rules (R4-R6). */
    public Builder operations(OperationSettings value) {
      this.operations = Objects.requireNonNull(value, "operations");
      return this;
    }

    /**
     * Builds and starts the runtime.
     *
     * @throws ConfigurationException naming the first bad setting
     * @throws dev.stability.core.capacity.CapacityStoreException if the capacity store is damaged
     * @throws dev.stability.core.operations.OperationLogException if the operation log cannot be
     *     opened
     */
    public StabilityRuntime build() {
      return new StabilityRuntime(this);
    }
  }
}
