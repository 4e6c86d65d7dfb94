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
import dev.stability.api.metric.StabilityMetric;
import dev.stability.core.event.Events;
import dev.stability.core.event.LogRecordFormat;
import dev.stability.core.event.MaskingPolicy;
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
 * thread per runtime masks, formats and writes. Internal.
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
      Collection<EventCode> applicationCodes) {}

  private static final List<Level> LEVELS = List.of(Level.values());

  private final ServiceIdentity identity;
  private final Supplier<Role> role;
  private final Clock clock;
  private final ZoneId zone;
  private final MaskingPolicy masking;
  private final List<EventSink> sinks;
  private final Slf4jOutput slf4j;
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

  /** Starts the event thread. */
  public EventDispatcher(Settings settings, SdkMeters meters) {
    this.identity = settings.identity();
    this.role = settings.role();
    this.clock = settings.clock();
    this.zone = settings.clock().getZone();
    this.masking = settings.masking();
    this.sinks = List.copyOf(settings.sinks());
    this.slf4j = settings.slf4jOutput() ? new Slf4jOutput() : null;
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
    this.thread = new Thread(this::run, "stability-events-" + identity.instanceId());
    this.thread.setDaemon(true);
    this.thread.start();
  }

  @Override
  public void publish(LogRecord record) {
    validate(record);
    Pending pending = new Pending(record, clock.instant(), Thread.currentThread().getName());
    count(record);
    if (closed) {
      synchronized (this) {
        deliver(pending);
      }
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
    if (closed) {
      drainRemaining(); // raced with close(): the event thread may be gone already
    }
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
      synchronized (deliveredSignal) {
        while (processed < target || reportedDrops < dropTarget) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          deliveredSignal.wait(Math.max(1, left / 1_000_000));
        }
      }
      return true;
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

  private void run() {
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
        deliver(pending);
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
      LogRecord record =
          LogRecord.of(StabilityEventCode.EVENTS_DROPPED)
              .message(drops + " events were dropped because the event queue was full")
              .attr("dropped", drops)
              .attr("capacity", capacity)
              .build();
      count(record);
      deliver(new Pending(record, clock.instant(), Thread.currentThread().getName()));
      reportedDrops += drops;
    }
  }

  private void deliver(Pending pending) {
    LogRecord record;
    String line;
    try {
      record = masking.apply(stamp(pending));
      line = LogRecordFormat.toJson(record);
    } catch (RuntimeException e) {
      // A record that cannot be rendered is a bug in the SDK or a sink of the app; keep going.
      sinkFailed("formatter", pending.record, e);
      return;
    }
    if (slf4j != null) {
      try {
        slf4j.write(record);
      } catch (RuntimeException e) {
        sinkFailed("slf4j", record, e);
      }
    }
    for (EventSink sink : sinks) {
      try {
        sink.accept(record, line);
      } catch (RuntimeException e) {
        sinkFailed(sink.getClass().getName(), record, e);
      }
    }
    if (!catalog.containsKey(record.code()) && reportedUnknown.add(record.code())) {
      LogRecord unknown =
          LogRecord.of(StabilityEventCode.EVENT_CODE_UNKNOWN)
              .message(
                  "code "
                      + record.code()
                      + " is not registered with the runtime; register the application's codes"
                      + " with StabilityRuntime.Builder.eventCodes")
              .attr("unknown_code", record.code())
              .build();
      count(unknown);
      deliver(new Pending(unknown, clock.instant(), Thread.currentThread().getName()));
    }
  }

  private void sinkFailed(String sink, LogRecord record, RuntimeException error) {
    sinkFailures.increment();
    if (StabilityEventCode.EVENT_SINK_FAILED.code().equals(record.code())) {
      return; // never report a failure about a failure report: that could loop forever
    }
    LogRecord failure =
        LogRecord.of(StabilityEventCode.EVENT_SINK_FAILED)
            .message("event sink " + sink + " failed on a " + record.code() + " record")
            .error(error)
            .attr("sink", sink)
            .attr("failed_code", String.valueOf(record.code()))
            .build();
    count(failure);
    deliver(new Pending(failure, clock.instant(), Thread.currentThread().getName()));
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

  /** Writes, on the calling thread, anything still queued; used only once closed. */
  private void drainRemaining() {
    synchronized (this) {
      Pending pending;
      while ((pending = queue.poll()) != null) {
        queued.decrementAndGet();
        deliver(pending);
        processed = processed + 1;
      }
      reportDrops();
    }
    signalDelivered();
  }

  private record Pending(LogRecord record, Instant time, String thread) {}
}
