package dev.stability.core.standby.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stability.api.Role;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.guard.CircuitState;
import dev.stability.api.health.HealthStatus;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.core.capacity.internal.CapacityMonitor;
import dev.stability.core.capacity.internal.CapacityState;
import dev.stability.core.event.Events;
import dev.stability.core.guard.internal.DefaultGuard;
import dev.stability.core.guard.internal.GuardRegistry;
import dev.stability.core.guard.internal.GuardState;
import dev.stability.core.health.internal.HealthRegistry;
import dev.stability.core.health.internal.HealthState;
import dev.stability.core.internal.RuntimeContext;
import dev.stability.core.operations.internal.DefaultOperations;
import dev.stability.core.operations.internal.OperationLogFile;
import dev.stability.core.standby.Inheritance;
import dev.stability.core.standby.WarmStandby;
import dev.stability.core.standby.WarmStandbySettings;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The runtime's {@link WarmStandby}: captures guards, capacity, health and the operation log's new
 * records into a small JSON message (rare path: a few per second, off the order path), and on the
 * standby keeps the newest state and a verified replica of the chain until promotion. Internal.
 */
public final class DefaultWarmStandby implements WarmStandby {

  /** The message format's name and version; a standby refuses any other. */
  static final String FORMAT = "stability-warm-state/1";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long REFUSAL_EVENT_INTERVAL_NANOS = 1_000_000_000L;

  private final WarmStandbySettings settings;
  private final RuntimeContext context;
  private final Events events;
  private final Clock clock;
  private final LongSupplier ticker;
  private final Supplier<Role> role;
  private final GuardRegistry guards;
  private final CapacityMonitor capacity;
  private final HealthRegistry health;
  private final DefaultOperations operations;
  private final String incarnation;
  private final AtomicLong versions = new AtomicLong();

  private State latest; // guarded by this
  private long receivedAt; // guarded by this; ticker
  private long lastRefusalEvent = Long.MIN_VALUE; // guarded by this

  /** Captures from and applies to this runtime's parts. */
  public DefaultWarmStandby(
      WarmStandbySettings settings,
      RuntimeContext context,
      GuardRegistry guards,
      CapacityMonitor capacity,
      HealthRegistry health,
      DefaultOperations operations) {
    this.settings = settings;
    this.context = context;
    this.events = context.events();
    this.clock = context.clock();
    this.ticker = context.ticker();
    this.role = context.role();
    this.guards = guards;
    this.capacity = capacity;
    this.health = health;
    this.operations = operations;
    this.incarnation =
        Long.toString(clock.millis(), 36)
            + "-"
            + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    context
        .meters()
        .gauge(
            StabilityMetric.WARM_STATE_AGE,
            this,
            w -> w.latest().map(r -> r.age().toNanos() / 1e9).orElse(Double.NaN));
    context
        .meters()
        .gauge(
            StabilityMetric.WARM_OPLOG_REPLICA_SEQUENCE,
            operations,
            DefaultOperations::replicaHeadIfOpen);
  }

  // ---------------------------------------------------------------- primary side

  @Override
  public byte[] export(long epoch, long replicaSequence) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("system", context.identity().systemCode());
    root.put("from", context.identity().instanceId());
    root.put("incarnation", incarnation);
    root.put("epoch", epoch);
    root.put("version", versions.incrementAndGet());
    root.put("captured_at", clock.instant().toString());
    ArrayNode guardArray = root.putArray("guards");
    for (GuardState g : guards.capture()) {
      guardArray
          .addObject()
          .put("name", g.name())
          .put("circuit", g.circuit().name())
          .put("open_remaining_ns", g.openRemainingNanos())
          .put("limit", g.limit());
    }
    ArrayNode capacityArray = root.putArray("capacity");
    for (CapacityState c : capacity.capture()) {
      ObjectNode node =
          capacityArray
              .addObject()
              .put("name", c.name())
              .put("historical_peak", c.historicalPeak())
              .put("peak_at", c.peakAt())
              .put("tested", c.tested())
              .put("tested_at", c.testedAt())
              .put("tested_source", c.testedSource())
              .put("peak_today", c.peakToday())
              .put("day", c.day())
              .put("provisioned", c.provisioned());
      ArrayNode days = node.putArray("days");
      for (CapacityState.DayPeak d : c.days()) {
        days.addObject().put("day", d.day()).put("peak", d.peak()).put("at", d.at());
      }
    }
    ArrayNode healthArray = root.putArray("health");
    for (HealthState h : health.capture()) {
      healthArray
          .addObject()
          .put("name", h.name())
          .put("status", h.status().name())
          .put("reason", h.reason())
          .put("checked_at", h.checkedAt());
    }
    ObjectNode log = root.putObject("oplog");
    OperationLogFile.Head head = operations.head();
    log.put("head_seq", head.seq());
    log.put("head_hash", head.hash());
    ArrayNode records = log.putArray("records");
    for (String line : operations.linesAfter(replicaSequence, settings.maxOperationLogBytes())) {
      records.add(line);
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  @Override
  public void standbyReported(String standby, ReplicaHead head) {
    operations.standbyHeadReported(standby, head.sequence(), head.hash());
  }

  // ---------------------------------------------------------------- standby side

  @Override
  public boolean accept(byte[] message) {
    State state;
    JsonNode root;
    try {
      root = JSON.readTree(message);
      state = State.parse(root);
    } catch (IOException | RuntimeException e) {
      refuse("unreadable", "a warm-state message is not readable: " + e.getMessage(), null);
      return false;
    }
    if (!state.system.equals(context.identity().systemCode())) {
      refuse(
          "system",
          "a warm-state message from "
              + state.from
              + " of system "
              + state.system
              + " reached "
              + context.identity().instanceId()
              + " of system "
              + context.identity().systemCode()
              + ": ignored",
          state);
      return false;
    }
    if (role.get() == Role.PRIMARY) {
      refuse(
          "primary",
          "this runtime is primary: it takes no state from "
              + state.from
              + " (epoch "
              + state.epoch
              + "), which may be an old primary still running",
          state);
      return false;
    }
    boolean taken;
    synchronized (this) {
      taken = latest == null || state.newerThan(latest);
      if (taken) {
        latest = state;
        receivedAt = ticker.getAsLong();
      } else if (state.epoch < latest.epoch) {
        refuseLocked(
            "epoch",
            "state from "
                + state.from
                + " at epoch "
                + state.epoch
                + " is older than the epoch "
                + latest.epoch
                + " this standby holds state of: ignored (an old primary?)",
            state);
      }
    }
    replicate(root.path("oplog").path("records"), state);
    return taken;
  }

  private void replicate(JsonNode records, State state) {
    if (!records.isArray() || records.isEmpty()) {
      return;
    }
    OperationLogFile replica = operations.replica();
    for (JsonNode node : records) {
      String line = node.asText();
      long seq = opSeq(line);
      if (seq > 0 && seq <= replica.head().seq()) {
        continue; // sent again because the primary had not heard of our head yet
      }
      try {
        replica.appendReplicated(line);
      } catch (IllegalArgumentException e) {
        refuse("operation-log", e.getMessage(), state);
        return; // nothing after a bad record: the chain would not continue
      }
    }
  }

  private static long opSeq(String line) {
    int at = line.indexOf("\"op_seq\":");
    if (at < 0) {
      return -1;
    }
    int from = at + "\"op_seq\":".length();
    if (from < line.length() && line.charAt(from) == '"') {
      from++;
    }
    int to = from;
    while (to < line.length() && Character.isDigit(line.charAt(to))) {
      to++;
    }
    try {
      return Long.parseLong(line.substring(from, to));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public ReplicaHead replicaHead() {
    OperationLogFile.Head head = operations.replica().head();
    return new ReplicaHead(head.seq(), head.hash());
  }

  @Override
  public synchronized Optional<Received> latest() {
    if (latest == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Received(
            latest.from,
            latest.epoch,
            latest.version,
            latest.capturedAt,
            Duration.ofNanos(ticker.getAsLong() - receivedAt)));
  }

  @Override
  public Inheritance inherit() {
    return finish(takeGuards());
  }

  /** What the first step of an inheritance took, for the second. */
  public record Taken(State state, long age, Map<String, String> guards) {}

  /**
   * The first step, before the new primary takes input: the guards (in memory, microseconds), so
   * that its first call already meets an OPEN breaker. Returns null with nothing received.
   */
  public Taken takeGuards() {
    State state;
    long age;
    synchronized (this) {
      state = latest;
      age = state == null ? 0 : ticker.getAsLong() - receivedAt;
    }
    if (state == null) {
      return null;
    }
    Map<String, String> guardsApplied = new LinkedHashMap<>();
    for (GuardState g : state.guards) {
      DefaultGuard guard = guards.find(g.name());
      if (guard == null) {
        guardsApplied.put(g.name(), "not defined here");
      } else if (guard.settings().siteLocal()) {
        guardsApplied.put(g.name(), "site-local: starts fresh");
      } else {
        guardsApplied.put(g.name(), guard.inherit(g, age));
      }
    }
    return new Taken(state, age, guardsApplied);
  }

  /**
   * The second step, once the new primary takes input (its files are forced, so it is kept out of
   * the takeover): capacity (stored), health, the operation log's chain, and the record of it all.
   */
  public Inheritance finish(Taken taken) {
    if (taken == null) {
      return Inheritance.none();
    }
    State state = taken.state();
    long age = taken.age();
    Map<String, String> guardsApplied = taken.guards();
    Map<String, String> capacityApplied = new LinkedHashMap<>();
    for (CapacityState c : state.capacity) {
      String applied = capacity.inherit(c);
      capacityApplied.put(c.name(), applied == null ? "not declared here" : applied);
    }
    String ageText = millis(age);
    Map<String, String> healthApplied = new LinkedHashMap<>();
    for (HealthState h : state.health) {
      String applied = health.inherit(h, state.from, ageText);
      healthApplied.put(h.name(), applied == null ? "not registered here" : applied);
    }
    OperationLogFile.Head replicaHead = operations.replicaHeadOrNull();
    OperationLogFile.Head ownHead = operations.continueChain(state.from);
    long continuedFrom = ownHead == null ? 0 : replicaHead.seq();
    boolean stale = age > settings.staleAfter().toNanos();
    Inheritance inheritance =
        new Inheritance(
            state.from,
            Duration.ofNanos(age),
            stale,
            guardsApplied,
            capacityApplied,
            healthApplied,
            continuedFrom);
    String summary =
        "inherited from "
            + state.from
            + " (epoch "
            + state.epoch
            + ", received "
            + ageText
            + " ago"
            + (stale ? ", STALE" : "")
            + "): guards "
            + guardsApplied
            + "; capacity "
            + capacityApplied
            + "; health "
            + healthApplied
            + "; operation log "
            + (ownHead == null
                ? "not continued (no replica of the primary's chain)"
                : "continues the primary's chain from op_seq "
                    + continuedFrom
                    + " (this runtime's own log ended at op_seq "
                    + ownHead.seq()
                    + ")");
    LogRecord.Builder record =
        LogRecord.builder(StabilityEventCode.WARM_STATE_INHERITED)
            .epoch(state.epoch)
            .message(summary)
            .attr("from", state.from)
            .attr("age_ms", age / 1_000_000)
            .attr("stale", String.valueOf(stale))
            .attr("guards", guardsApplied.size())
            .attr("oplog_continued_from", continuedFrom);
    if (ownHead != null) {
      record.attr("own_log_head_seq", ownHead.seq()).attr("own_log_head_hash", ownHead.hash());
    }
    operations.recordSdk("warm-standby.inherit", record);
    if (stale) {
      events.publish(
          LogRecord.builder(StabilityEventCode.WARM_STATE_STALE)
              .epoch(state.epoch)
              .message(
                  "the state inherited from "
                      + state.from
                      + " was received "
                      + ageText
                      + " before the promotion, more than the bound of "
                      + millis(settings.staleAfter().toNanos())
                      + ": breakers, limits and peaks may be out of date")
              .attr("from", state.from)
              .attr("age_ms", age / 1_000_000)
              .attr("bound_ms", settings.staleAfter().toMillis()));
    }
    return inheritance;
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%d ms", nanos / 1_000_000);
  }

  private void refuse(String reason, String message, State state) {
    synchronized (this) {
      refuseLocked(reason, message, state);
    }
  }

  private void refuseLocked(String reason, String message, State state) {
    long now = ticker.getAsLong();
    if (lastRefusalEvent != Long.MIN_VALUE
        && now - lastRefusalEvent < REFUSAL_EVENT_INTERVAL_NANOS
        && !"operation-log".equals(reason)) {
      return; // at most one a second of the repetitive kinds; every chain refusal is told
    }
    lastRefusalEvent = now;
    LogRecord.Builder event =
        LogRecord.builder(StabilityEventCode.WARM_STATE_REFUSED)
            .message(message)
            .attr("reason", reason);
    if (state != null) {
      event.attr("from", state.from).epoch(state.epoch);
    }
    events.publish(event);
  }

  /** A parsed message's state part. */
  record State(
      String system,
      String from,
      String incarnation,
      long epoch,
      long version,
      Instant capturedAt,
      List<GuardState> guards,
      List<CapacityState> capacity,
      List<HealthState> health) {

    static State parse(JsonNode root) {
      String format = text(root, "format");
      if (!FORMAT.equals(format)) {
        throw new IllegalArgumentException(
            "format '"
                + format
                + "' is not "
                + FORMAT
                + " (primary and standby on other versions?)");
      }
      List<GuardState> guards = new ArrayList<>();
      for (JsonNode g : array(root, "guards")) {
        guards.add(
            new GuardState(
                text(g, "name"),
                CircuitState.valueOf(text(g, "circuit")),
                number(g, "open_remaining_ns").longValue(),
                number(g, "limit").intValue()));
      }
      List<CapacityState> capacity = new ArrayList<>();
      for (JsonNode c : array(root, "capacity")) {
        capacity.add(
            new CapacityState(
                text(c, "name"),
                number(c, "historical_peak").doubleValue(),
                optional(c, "peak_at"),
                number(c, "tested").doubleValue(),
                optional(c, "tested_at"),
                optional(c, "tested_source"),
                number(c, "peak_today").doubleValue(),
                text(c, "day"),
                dayPeaks(c),
                c.has("provisioned") ? number(c, "provisioned").doubleValue() : 0));
      }
      List<HealthState> health = new ArrayList<>();
      for (JsonNode h : array(root, "health")) {
        health.add(
            new HealthState(
                text(h, "name"),
                HealthStatus.valueOf(text(h, "status")),
                text(h, "reason"),
                text(h, "checked_at")));
      }
      return new State(
          text(root, "system"),
          text(root, "from"),
          text(root, "incarnation"),
          number(root, "epoch").longValue(),
          number(root, "version").longValue(),
          Instant.parse(text(root, "captured_at")),
          List.copyOf(guards),
          List.copyOf(capacity),
          List.copyOf(health));
    }

    /**
     * Newer: a higher epoch; in one epoch, a higher version of the same primary process, or a later
     * capture by another process of it (a restarted primary counts versions from 1 again).
     */
    boolean newerThan(State held) {
      if (epoch != held.epoch) {
        return epoch > held.epoch;
      }
      if (incarnation.equals(held.incarnation)) {
        return version > held.version;
      }
      return capturedAt.isAfter(held.capturedAt);
    }

    private static String text(JsonNode node, String field) {
      JsonNode value = node.get(field);
      if (value == null || !value.isTextual()) {
        throw new IllegalArgumentException("field '" + field + "' is missing or not text");
      }
      return value.asText();
    }

    private static String optional(JsonNode node, String field) {
      JsonNode value = node.get(field);
      return value == null || value.isNull() ? null : value.asText();
    }

    private static Number number(JsonNode node, String field) {
      JsonNode value = node.get(field);
      if (value == null || !value.isNumber()) {
        throw new IllegalArgumentException("field '" + field + "' is missing or not a number");
      }
      return value.numberValue();
    }

    /** The per-day peaks of a capacity entry; none from a primary that does not send them. */
    private static List<CapacityState.DayPeak> dayPeaks(JsonNode node) {
      List<CapacityState.DayPeak> days = new ArrayList<>();
      if (node.has("days")) {
        for (JsonNode d : array(node, "days")) {
          days.add(
              new CapacityState.DayPeak(
                  text(d, "day"), number(d, "peak").doubleValue(), optional(d, "at")));
        }
      }
      return days;
    }

    private static Iterable<JsonNode> array(JsonNode node, String field) {
      JsonNode value = node.get(field);
      if (value == null || !value.isArray()) {
        throw new IllegalArgumentException("field '" + field + "' is missing or not a list");
      }
      return value;
    }
  }

  @Override
  public WarmStandbySettings settings() {
    return settings;
  }

  @Override
  public String toString() {
    return "WarmStandby[" + context.identity().instanceId() + "]";
  }
}
