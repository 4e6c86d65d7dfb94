package dev.stability.core.event.internal;

import dev.stability.api.Role;
import dev.stability.api.ServiceIdentity;
import dev.stability.api.event.Category;
import dev.stability.api.event.EventCode;
import dev.stability.api.event.EventSink;
import dev.stability.api.event.Level;
import dev.stability.api.event.LogField;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthResult;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.core.event.Events;
import dev.stability.core.event.LogRecordFormat;
import dev.stability.core.event.MaskingPolicy;
import dev.stability.core.internal.RuntimeEnvironment;
import dev.stability.core.internal.SdkMeters;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The runtime's {@link Events}: callers stamp and enqueue on a lock-free bounded queue; one daemon
 * thread per runtime masks, formats and writes to every output (SLF4J, then each sink).
 *
 * <p>Reporting never dies silently. Whatever an output or the formatter throws, short of a {@link
 * VirtualMachineError}, is caught, counted and reported once per run of failures through the
 * outputs that still work ({@code EVENT_SINK_FAILED}, with the remedy for a {@link LinkageError});
 * an output that fails {@value #FAILURE_LIMIT} times in a row, or throws a linkage error, is
 * switched off with {@code EVENT_OUTPUT_DISABLED} and the others go on. If the event thread stops
 * anyway, records are written on the publishing threads from then on (as after {@link #close()}),
 * {@code EVENT_DISPATCHER_STOPPED} says why, and the {@code events} health check goes DOWN.
 * Internal.
 */
public final class EventDispatcher implements Events, AutoCloseable {

  /** Everything the dispatcher needs from the runtime. */
  public record Settings(
      ServiceIdentity identity,
      Supplier<Role> role,
      Clock clock,
      MaskingPolicy masking,
      List<EventSink> sinks,
      boolean slf4jOutput,
      int queueCapacity,
      Collection<EventCode> applicationCodes,
      RuntimeEnvironment environment) {}

  /** Consecutive failures after which an output is switched off. */
  static final int FAILURE_LIMIT = 5;

  private static final List<Level> LEVELS = List.of(Level.values());

  private final ServiceIdentity identity;
  private final Supplier<Role> role;
  private final Clock clock;
  private final ZoneId zone;
  private final MaskingPolicy masking;
  private final List<Output> outputs;
  private final RuntimeEnvironment environment;
  private final int capacity;
  private final String serialPrefix;

  private final Map<String, EventCode> catalog;
  private final Set<String> reportedUnknown = ConcurrentHashMap.newKeySet();
  private final Map<String, Counter[]> counters = new ConcurrentHashMap<>();
  private final SdkMeters meters;
  private final Counter droppedCounter;
  private final Counter sinkFailures;

  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong serial = new AtomicLong();
  private final AtomicLong enqueued = new AtomicLong();
  private final AtomicLong droppedTotal = new AtomicLong();
  private final AtomicLong droppedUnreported = new AtomicLong();

  /** Drops already reported by an EVENTS_DROPPED record; written under this object's lock. */
  private volatile long reportedDrops;

  private final AtomicInteger waiters = new AtomicInteger();
  private final Object deliveredSignal = new Object();
  private volatile long processed;
  private volatile boolean closed;
  private volatile boolean parked;
  private final Thread thread;

  /** Set once the event thread ended other than by close(); publishers then write themselves. */
  private volatile boolean stopped;

  private volatile Throwable stopCause;
  private volatile String stopOutput;

  /** Whether EVENT_DISPATCHER_STOPPED was written; read and written under this object's lock. */
  private boolean stopReported;

  /** The output being called, so an error that ends the event thread names it. */
  private Output current;

  private LogRecord currentRecord;
  private String currentLine;

  /** Whether the event thread is delivering a queued record (not one of its own reports). */
  private boolean deliveringQueued;

  /** Starts the event thread. */
  public EventDispatcher(Settings settings, SdkMeters meters) {
    this.identity = settings.identity();
    this.role = settings.role();
    this.clock = settings.clock();
    this.zone = settings.clock().getZone();
    this.masking = settings.masking();
    this.environment = settings.environment();
    List<Output> all = new ArrayList<>();
    String slf4jOff = null;
    if (settings.slf4jOutput()) {
      Slf4jOutput slf4j = Slf4jOutput.create(environment.slf4jFluentApi());
      Output output = new Output("slf4j", (record, line) -> slf4j.write(record));
      if (environment.slf4jHasNoProvider()) {
        slf4jOff =
            "SLF4J found no logging provider ("
                + environment.slf4jProvider()
                + "), so nothing written to it reaches a log; add a backend (Logback, Log4j2) of a"
                + " version that matches slf4j-api "
                + environment.slf4jApi();
        output.disable(slf4jOff);
      }
      all.add(output);
    }
    for (EventSink sink : settings.sinks()) {
      all.add(new Output(sink.getClass().getName(), sink));
    }
    this.outputs = List.copyOf(all);
    this.capacity = settings.queueCapacity();
    this.serialPrefix = identity.instanceId() + "-" + Long.toString(clock.millis(), 36) + "-";
    Map<String, EventCode> codes = new LinkedHashMap<>();
    for (StabilityEventCode code : StabilityEventCode.values()) {
      codes.put(code.code(), code);
    }
    for (EventCode code : settings.applicationCodes()) {
      codes.put(code.code(), code);
    }
    this.catalog = Collections.unmodifiableMap(codes);
    this.meters = meters;
    this.droppedCounter = meters.counter(StabilityMetric.EVENTS_DROPPED);
    this.sinkFailures = meters.counter(StabilityMetric.EVENT_SINK_FAILURES);
    meters.gauge(StabilityMetric.EVENTS_QUEUED, queued, AtomicInteger::get);
    meters.gauge(StabilityMetric.EVENTS_DISPATCHER_RUNNING, this, d -> d.running() ? 1 : 0);
    this.thread = new Thread(this::run, "stability-events-" + identity.instanceId());
    this.thread.setDaemon(true);
    this.thread.start();
    if (slf4jOff != null) {
      publish(
          LogRecord.builder(StabilityEventCode.EVENT_OUTPUT_DISABLED)
              .message("event output slf4j is off: " + slf4jOff)
              .attr("output", "slf4j")
              .build());
    }
  }

  @Override
  public void publish(LogRecord record) {
    validate(record);
    Pending pending = new Pending(record, clock.instant(), Thread.currentThread().getName());
    count(record);
    if (closed || stopped) {
      writeOnCaller(pending);
      return;
    }
    if (queued.incrementAndGet() > capacity) {
      queued.decrementAndGet();
      droppedTotal.incrementAndGet();
      droppedUnreported.incrementAndGet();
      droppedCounter.increment();
      return;
    }
    enqueued.incrementAndGet();
    queue.offer(pending);
    if (parked) {
      LockSupport.unpark(thread); // only pay for the wake-up when the event thread sleeps
    }
    if (closed || stopped) {
      drainRemaining(); // raced with close() or a stop: the event thread may be gone already
    }
  }

  /** After close or a stop: what is queued first, then this record, on the caller's thread. */
  private void writeOnCaller(Pending pending) {
    synchronized (this) {
      if (stopped) {
        reportStopped();
      }
      drainQueue();
      deliver(pending);
    }
    signalDelivered();
  }

  private static void validate(LogRecord record) {
    List<String> missing = new ArrayList<>(0);
    if (!record.has(LogField.CODE)) {
      missing.add("code");
    }
    if (!record.has(LogField.CATEGORY)) {
      missing.add("category");
    }
    if (!record.has(LogField.LEVEL)) {
      missing.add("level");
    }
    if (record.category() == Category.INTERFACE) {
      for (LogField field : List.of(LogField.INTERFACE, LogField.DURATION_US, LogField.OUTCOME)) {
        if (!record.has(field)) {
          missing.add(field.key());
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "record "
              + (record.code() == null ? "without code" : record.code())
              + " is missing required fields "
              + missing
              + (record.category() == Category.INTERFACE
                  ? " (interface records need interface, duration_us and outcome, R17)"
                  : ""));
    }
    String code = record.code();
    if (!EventCode.CODE_PATTERN.matcher(code).matches()) {
      throw new IllegalArgumentException(
          "code '" + code + "' must be upper-case words joined by '_', 2-64 characters");
    }
  }

  private void count(LogRecord record) {
    Counter[] byLevel = counters.computeIfAbsent(record.code(), c -> new Counter[LEVELS.size()]);
    int index = record.level().ordinal();
    Counter counter = byLevel[index];
    if (counter == null) {
      counter =
          meters.counter(
              StabilityMetric.EVENTS,
              "code",
              record.code(),
              "category",
              record.category().name(),
              "level",
              record.level().name());
      byLevel[index] = counter;
    }
    counter.increment();
  }

  @Override
  public boolean awaitDelivery(Duration timeout) throws InterruptedException {
    long target = enqueued.get();
    // Drops before this call are part of what was published: their report is awaited too.
    long dropTarget = droppedTotal.get();
    long deadline = System.nanoTime() + timeout.toNanos();
    waiters.incrementAndGet();
    try {
      while (true) {
        if (stopped) {
          drainRemaining(); // nobody else will: outside deliveredSignal, as the event thread
        }
        synchronized (deliveredSignal) {
          if (processed >= target && reportedDrops >= dropTarget) {
            return true;
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          deliveredSignal.wait(Math.max(1, Math.min(50, left / 1_000_000)));
        }
      }
    } finally {
      waiters.decrementAndGet();
    }
  }

  @Override
  public Collection<EventCode> catalog() {
    return catalog.values();
  }

  @Override
  public long dropped() {
    return droppedTotal.get();
  }

  /** Whether the event thread is alive and delivering (false once closed or stopped). */
  public boolean running() {
    return !stopped && !closed && thread.isAlive();
  }

  /**
   * The {@code events} liveness check (grade 1): DOWN when the event thread stopped or every output
   * is off, DEGRADED while some output is off, UP with the outputs, queue and drops otherwise.
   */
  public HealthCheck healthCheck() {
    return HealthCheck.of("events", HealthKind.LIVENESS, 1, this::health);
  }

  private HealthResult health() {
    List<String> off = new ArrayList<>();
    List<String> on = new ArrayList<>();
    for (Output output : outputs) {
      if (output.disabledReason != null) {
        off.add(output.name + ": " + output.disabledReason);
      } else {
        on.add(output.name);
      }
    }
    HealthResult result;
    if (stopped || (!closed && !thread.isAlive())) {
      Throwable cause = stopCause;
      result =
          HealthResult.down(
              "the event thread stopped"
                  + (cause == null ? "" : " on " + cause)
                  + (stopOutput == null ? "" : " thrown by output " + stopOutput)
                  + "; records are written on the publishing threads");
    } else if (!outputs.isEmpty() && on.isEmpty()) {
      result = HealthResult.down("every event output is off: " + String.join("; ", off));
    } else if (!off.isEmpty()) {
      result = HealthResult.degraded("event output off: " + String.join("; ", off));
    } else if (outputs.isEmpty()) {
      result = HealthResult.degraded("no event output: records are counted but written nowhere");
    } else {
      result = HealthResult.up("event thread running; outputs " + String.join(", ", on));
    }
    return result
        .withDetail("outputs", on.size())
        .withDetail("outputs_off", off.size())
        .withDetail("queued", queued.get())
        .withDetail("dropped", droppedTotal.get());
  }

  private void run() {
    try {
      loop();
    } catch (Throwable e) {
      // Everything, VirtualMachineErrors included: this thread ends here, and must say so.
      stopped(e);
    }
  }

  private void stopped(Throwable cause) {
    Output killer = current;
    LogRecord inFlight = currentRecord;
    String inFlightLine = currentLine;
    current = null;
    stopCause = cause;
    if (killer != null) {
      stopOutput = killer.name;
      killer.disable("threw " + cause + " and stopped the event thread");
    }
    stopped = true;
    try {
      synchronized (this) {
        reportStopped();
        if (killer != null) {
          // The record in flight still reaches the outputs after the one that threw.
          writeTo(inFlight, inFlightLine, outputs.indexOf(killer) + 1);
        }
        if (deliveringQueued) {
          deliveringQueued = false;
          processed = processed + 1;
        }
      }
      drainRemaining();
    } catch (Throwable again) {
      // Best effort on a thread that just failed; the next publisher reports and drains instead.
    }
  }

  /** Writes EVENT_DISPATCHER_STOPPED once; under this object's lock. */
  private void reportStopped() {
    if (stopReported) {
      return;
    }
    Throwable cause = stopCause;
    LogRecord.Builder record =
        LogRecord.builder(StabilityEventCode.EVENT_DISPATCHER_STOPPED)
            .message(
                "the event thread stopped"
                    + (cause == null ? "" : " on " + cause)
                    + (stopOutput == null ? "" : " thrown by output " + stopOutput + ", now off")
                    + "; records are written on the publishing threads from now on");
    if (cause != null) {
      record.error(cause);
    }
    if (stopOutput != null) {
      record.attr("output", stopOutput);
    }
    report(record.build());
    stopReported = true;
  }

  private void loop() {
    while (true) {
      Pending pending = queue.poll();
      if (pending == null) {
        synchronized (this) {
          reportDrops();
        }
        signalDelivered();
        if (closed && queue.isEmpty()) {
          return;
        }
        parked = true;
        if (queue.isEmpty()) {
          LockSupport.parkNanos(this, 50_000_000L);
        }
        parked = false;
        continue;
      }
      queued.decrementAndGet();
      synchronized (this) {
        deliveringQueued = true;
        deliver(pending);
        deliveringQueued = false;
        processed = processed + 1;
      }
      if ((processed & 63) == 0) {
        signalDelivered();
      }
    }
  }

  private void signalDelivered() {
    if (waiters.get() > 0) {
      synchronized (deliveredSignal) {
        deliveredSignal.notifyAll();
      }
    }
  }

  private void reportDrops() {
    long drops = droppedUnreported.getAndSet(0);
    if (drops > 0) {
      report(
          LogRecord.builder(StabilityEventCode.EVENTS_DROPPED)
              .message(drops + " events were dropped because the event queue was full")
              .attr("dropped", drops)
              .attr("capacity", capacity)
              .build());
      reportedDrops += drops;
    }
  }

  private void deliver(Pending pending) {
    LogRecord record;
    String line;
    try {
      record = masking.apply(stamp(pending));
      line = LogRecordFormat.toJson(record);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      // A record that cannot be rendered is a bug in the SDK or the application; keep going.
      sinkFailures.increment();
      if (!isReport(pending.record)) {
        report(failure("formatter", pending.record, e).build());
      }
      return;
    }
    writeTo(record, line, 0);
    if (!catalog.containsKey(record.code()) && reportedUnknown.add(record.code())) {
      report(
          LogRecord.builder(StabilityEventCode.EVENT_CODE_UNKNOWN)
              .message(
                  "code "
                      + record.code()
                      + " is not registered with the runtime; register the application's codes"
                      + " with StabilityRuntime.Builder.eventCodes")
              .attr("unknown_code", record.code())
              .build());
    }
  }

  /** Writes a rendered record to the outputs that are on, from the given index. */
  private void writeTo(LogRecord record, String line, int from) {
    for (int i = from; i < outputs.size(); i++) {
      Output output = outputs.get(i);
      if (output.disabledReason != null) {
        continue;
      }
      current = output;
      currentRecord = record;
      currentLine = line;
      try {
        output.sink.accept(record, line);
        output.consecutiveFailures = 0;
        output.streakReported = false;
      } catch (VirtualMachineError e) {
        throw e; // current still names the output, for the report of the stopped thread
      } catch (Throwable e) {
        outputFailed(output, record, e);
      }
      current = null;
    }
  }

  /**
   * Counts a failure; reports the first of a run of failures; switches the output off after {@link
   * #FAILURE_LIMIT} in a row, or at once for a linkage error, which never heals.
   */
  private void outputFailed(Output output, LogRecord record, Throwable error) {
    sinkFailures.increment();
    output.consecutiveFailures++;
    boolean linkage = error instanceof LinkageError;
    if (!output.streakReported && !isReport(record)) {
      output.streakReported = true;
      LogRecord.Builder failure = failure(output.name, record, error);
      if (linkage) {
        failure.attr("remedy", environment.remedy((LinkageError) error));
      }
      report(failure.build());
    }
    if (output.disabledReason == null && (linkage || output.consecutiveFailures >= FAILURE_LIMIT)) {
      String reason =
          (linkage ? "threw " : "failed " + output.consecutiveFailures + " times in a row, last: ")
              + error
              + (linkage ? "; " + environment.remedy((LinkageError) error) : "");
      output.disable(reason);
      report(
          LogRecord.builder(StabilityEventCode.EVENT_OUTPUT_DISABLED)
              .message("event output " + output.name + " is off: " + reason)
              .error(error)
              .attr("output", output.name)
              .attr("failures", output.consecutiveFailures)
              .build());
    }
  }

  private static LogRecord.Builder failure(String output, LogRecord record, Throwable error) {
    return LogRecord.builder(StabilityEventCode.EVENT_SINK_FAILED)
        .message("event output " + output + " failed on a " + record.code() + " record: " + error)
        .error(error)
        .attr("sink", output)
        .attr("failed_code", String.valueOf(record.code()));
  }

  /** A record about the output itself: never reported about again, which could loop. */
  private static boolean isReport(LogRecord record) {
    String code = record.code();
    return StabilityEventCode.EVENT_SINK_FAILED.code().equals(code)
        || StabilityEventCode.EVENT_OUTPUT_DISABLED.code().equals(code)
        || StabilityEventCode.EVENT_DISPATCHER_STOPPED.code().equals(code);
  }

  /** Counts and writes a record the dispatcher itself makes, through the outputs still on. */
  private void report(LogRecord record) {
    count(record);
    deliver(new Pending(record, clock.instant(), Thread.currentThread().getName()));
  }

  private LogRecord stamp(Pending pending) {
    LogRecord.Builder builder = pending.record.toBuilder();
    if (!pending.record.has(LogField.TS)) {
      builder.set(LogField.TS, OffsetDateTime.ofInstant(pending.time, zone));
    }
    builder
        .set(LogField.SYSTEM, identity.systemCode())
        .set(LogField.SUBSYSTEM, identity.subsystem())
        .set(LogField.INSTANCE, identity.instanceId())
        .set(LogField.SITE, identity.site())
        .set(LogField.ROLE, role.get());
    if (!pending.record.has(LogField.SEQ)) {
      builder.seq(serialPrefix + serial.incrementAndGet());
    }
    if (!pending.record.has(LogField.MSG)) {
      EventCode code = catalog.get(pending.record.code());
      builder.message(code == null ? pending.record.code() : code.meaning());
    }
    if (!pending.record.has(LogField.THREAD)) {
      builder.set(LogField.THREAD, pending.thread);
    }
    return builder.build();
  }

  /** Stops accepting queued work, drains what is queued and stops the thread. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    drainRemaining();
  }

  /** Writes, on the calling thread, anything still queued; used only once closed or stopped. */
  private void drainRemaining() {
    synchronized (this) {
      if (stopped) {
        reportStopped();
      }
      drainQueue();
    }
    signalDelivered();
  }

  /** Under this object's lock. */
  private void drainQueue() {
    Pending pending;
    while ((pending = queue.poll()) != null) {
      queued.decrementAndGet();
      deliver(pending);
      processed = processed + 1;
    }
    reportDrops();
  }

  private record Pending(LogRecord record, Instant time, String thread) {}

  /** One output and its failure state; mutated under the dispatcher's lock. */
  private static final class Output {
    final String name;
    final EventSink sink;
    int consecutiveFailures;
    boolean streakReported;

    /** Why the output is off; null while it is on. Read by the health check on other threads. */
    volatile String disabledReason;

    Output(String name, EventSink sink) {
      this.name = name;
      this.sink = sink;
    }

    void disable(String reason) {
      if (disabledReason == null) {
        disabledReason = reason;
      }
    }
  }
}
