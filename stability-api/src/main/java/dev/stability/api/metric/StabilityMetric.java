package dev.stability.api.metric;

import java.util.List;

/**
 * The catalog of every metric the SDK registers, designed once for all subsystems (R3). Published
 * also as the resource {@code dev/stability/api/metric/metric-catalog.json}; a test proves the two
 * are equal and that the names export cleanly to Prometheus.
 */
public enum StabilityMetric implements MetricDefinition {
  // --- events -----------------------------------------------------------------------------
  EVENTS(
      "stability.events",
      MetricType.COUNTER,
      null,
      List.of("code", "category", "level"),
      "Events published, by code; a rise in WARN/ERROR codes is what alerting watches."),
  EVENTS_DROPPED(
      "stability.events.dropped",
      MetricType.COUNTER,
      null,
      List.of(),
      "Events dropped because the event queue was full; should stay 0."),
  EVENTS_QUEUED(
      "stability.events.queued",
      MetricType.GAUGE,
      null,
      List.of(),
      "Events waiting for the event thread to format and write them."),
  EVENTS_DISPATCHER_RUNNING(
      "stability.events.dispatcher.running",
      MetricType.GAUGE,
      null,
      List.of(),
      "1 while the event thread delivers records, 0 once it stopped (records are then written on"
          + " the publishing threads); alert on 0."),
  EVENT_SINK_FAILURES(
      "stability.event.sink.failures",
      MetricType.COUNTER,
      null,
      List.of(),
      "Times an event output (SLF4J or a sink) threw while writing a record."),

  // --- guards (R14) -------------------------------------------------------------------------
  GUARD_CALLS(
      "stability.guard.calls",
      MetricType.TIMER,
      "seconds",
      List.of("guard", "outcome"),
      "Calls through a guard by outcome, with their latency."),
  GUARD_LATENCY(
      "stability.guard.latency",
      MetricType.GAUGE,
      "seconds",
      List.of("guard", "quantile"),
      "Latency of the calls a guard let through (success, failure, timeout) at quantile 0.5, 0.9,"
          + " 0.99 and 0.999 over the last minute, at most 1/16 above the true value; NaN without"
          + " calls; only for guards with latency-percentiles on."),
  GUARD_CIRCUIT_STATE(
      "stability.guard.circuit.state",
      MetricType.GAUGE,
      null,
      List.of("guard"),
      "Circuit breaker state: 0 closed, 1 open, 2 half-open, 3 disabled, 4 forced open."),
  GUARD_INFLIGHT(
      "stability.guard.inflight",
      MetricType.GAUGE,
      null,
      List.of("guard"),
      "Calls currently inside a guard."),
  GUARD_CONCURRENCY_LIMIT(
      "stability.guard.concurrency.limit",
      MetricType.GAUGE,
      null,
      List.of("guard"),
      "Current adaptive concurrency limit of a guard with load shedding."),
  GUARD_RETRIES(
      "stability.guard.retries",
      MetricType.COUNTER,
      null,
      List.of("guard"),
      "Retry attempts made by idempotent guards."),

  // --- health (R3, R7) ----------------------------------------------------------------------
  HEALTH_STATUS(
      "stability.health.status",
      MetricType.GAUGE,
      null,
      List.of("check", "kind"),
      "Health status of a check or aggregate: UP 1, DEGRADED 0.5, DOWN 0, UNKNOWN -1."),
  HEALTH_CHECK_DURATION(
      "stability.health.check.duration",
      MetricType.TIMER,
      "seconds",
      List.of("check"),
      "Time a health check took to answer."),

  // --- capacity (R1) ------------------------------------------------------------------------
  CAPACITY_UNITS(
      "stability.capacity.units",
      MetricType.COUNTER,
      null,
      List.of("indicator"),
      "Units of work recorded for a key indicator (orders, trades, messages)."),
  CAPACITY_RATE(
      "stability.capacity.rate",
      MetricType.GAUGE,
      "per_second",
      List.of("indicator"),
      "Rate of a key indicator over the last full second."),
  CAPACITY_PEAK_TODAY(
      "stability.capacity.peak.today",
      MetricType.GAUGE,
      "per_second",
      List.of("indicator"),
      "Highest one-second rate of a key indicator today."),
  CAPACITY_PEAK_HISTORICAL(
      "stability.capacity.peak.historical",
      MetricType.GAUGE,
      "per_second",
      List.of("indicator"),
      "Stored historical peak one-second rate of a key indicator."),
  CAPACITY_TESTED(
      "stability.capacity.tested",
      MetricType.GAUGE,
      "per_second",
      List.of("indicator"),
      "Rate sustained by the last pressure test."),
  CAPACITY_HEADROOM(
      "stability.capacity.headroom",
      MetricType.GAUGE,
      "ratio",
      List.of("indicator"),
      "Tested capacity divided by historical peak; the rule (R1) requires at least 3."),

  // --- consistency (R10) --------------------------------------------------------------------
  CONSISTENCY_CHECKS(
      "stability.consistency.checks",
      MetricType.COUNTER,
      null,
      List.of(),
      "Checkpoint digest comparisons made by the auditor."),
  CONSISTENCY_MISMATCHES(
      "stability.consistency.mismatches",
      MetricType.COUNTER,
      null,
      List.of(),
      "Checkpoint digest comparisons that found a difference."),
  CONSISTENCY_CAPTURES_DIRECT(
      "stability.consistency.captures.direct",
      MetricType.COUNTER,
      null,
      List.of(),
      "Checkpoints capturePrimary submitted on the caller's thread (its slots full, or a digest that"
          + " is not the SDK's): each allocated there."),
  CONSISTENCY_LAST_MATCHED_SEQUENCE(
      "stability.consistency.last.matched.sequence",
      MetricType.GAUGE,
      null,
      List.of(),
      "Journal sequence of the last checkpoint where primary and standby matched."),
  SHADOW_COMPARISONS(
      "stability.shadow.comparisons",
      MetricType.COUNTER,
      null,
      List.of("shadow", "result"),
      "Shadow comparisons by result (match, mismatch, error)."),

  // --- journal and replication (R9, R18) ------------------------------------------------------
  JOURNAL_APPENDS(
      "stability.journal.appends",
      MetricType.COUNTER,
      null,
      List.of("journal"),
      "Records appended to a journal."),
  JOURNAL_WRITTEN(
      "stability.journal.written",
      MetricType.COUNTER,
      "bytes",
      List.of("journal"),
      "Bytes appended to a journal, headers included."),
  JOURNAL_DURABLE_SEQUENCE(
      "stability.journal.durable.sequence",
      MetricType.GAUGE,
      null,
      List.of("journal"),
      "Highest sequence the journal reports durable under its flush policy."),
  JOURNAL_FLUSH(
      "stability.journal.flush",
      MetricType.TIMER,
      "seconds",
      List.of("journal"),
      "Time spent forcing journal data to storage."),
  JOURNAL_CORRUPTIONS(
      "stability.journal.corruptions",
      MetricType.COUNTER,
      null,
      List.of("journal"),
      "Torn or corrupted records found when opening or reading a journal."),
  STANDBY_LAG(
      "stability.standby.lag",
      MetricType.GAUGE,
      "records",
      List.of(),
      "Records the standby has yet to apply compared with the primary's journal."),
  STANDBY_APPLIED_SEQUENCE(
      "stability.standby.applied.sequence",
      MetricType.GAUGE,
      null,
      List.of(),
      "Last journal sequence the standby applied."),
  SWITCHOVER_DURATION(
      "stability.switchover.duration",
      MetricType.TIMER,
      "seconds",
      List.of("kind", "outcome"),
      "Time from the switch command to the new primary accepting input (RTO, R18)."),
  REPLICATION_PUBLISHED_SEQUENCE(
      "stability.replication.published.sequence",
      MetricType.GAUGE,
      null,
      List.of(),
      "Last journal sequence the primary sent to its standbys."),
  REPLICATION_CONFIRMED_SEQUENCE(
      "stability.replication.confirmed.sequence",
      MetricType.GAUGE,
      null,
      List.of(),
      "Highest journal sequence a standby confirmed it journaled."),
  REPLICATION_LAG(
      "stability.replication.lag",
      MetricType.GAUGE,
      "records",
      List.of(),
      "Records in the primary's journal that no standby confirmed yet: the possible loss at a failover under ASYNC."),
  WARM_STATE_AGE(
      "stability.warm.state.age",
      MetricType.GAUGE,
      "seconds",
      List.of(),
      "Age of the newest state a standby received from its primary (breakers, limits, peaks, health, operation log); NaN before any."),
  WARM_OPLOG_REPLICA_SEQUENCE(
      "stability.warm.oplog.replica.sequence",
      MetricType.GAUGE,
      null,
      List.of(),
      "Last op_seq of the primary's operation log the standby holds in its replica; 0 before any."),
  REPLICATION_RECEIVED_SEQUENCE(
      "stability.replication.received.sequence",
      MetricType.GAUGE,
      null,
      List.of(),
      "Last primary journal sequence the standby received and journaled."),
  REPLICATION_REFUSED(
      "stability.replication.refused",
      MetricType.COUNTER,
      null,
      List.of("reason"),
      "Replicated records the standby refused, by reason (checksum, sequence, epoch)."),
  REPLICATION_CATCH_UPS(
      "stability.replication.catchups",
      MetricType.COUNTER,
      null,
      List.of("source"),
      "Catch-ups of a standby from its breakpoint, by source: archive (a replay to that standby alone) or journal (resent on the live stream)."),
  REPLICATION_EPOCH(
      "stability.replication.epoch",
      MetricType.GAUGE,
      null,
      List.of(),
      "Current replication epoch; bumped on every promotion."),
  LEASE_HELD(
      "stability.lease.held",
      MetricType.GAUGE,
      null,
      List.of("lease", "participant"),
      "1 while this process holds the role lease and may acknowledge input, 0 otherwise; two processes at 1 for one lease is the failure the lease exists to prevent."),
  LEASE_EPOCH(
      "stability.lease.epoch",
      MetricType.GAUGE,
      null,
      List.of("lease", "participant"),
      "Epoch of this process's current or last grant of the role lease: the fencing token stamped on its journal records."),
  ROLE(
      "stability.role",
      MetricType.GAUGE,
      null,
      List.of(),
      "Current role of the instance: 1 primary, 0 standby."),

  // --- operations and ops endpoint (R5, R6, R15) -------------------------------------------
  OPERATIONS(
      "stability.operations",
      MetricType.COUNTER,
      null,
      List.of("action", "outcome"),
      "Operations recorded in the operation log, by action and outcome."),
  CHANGE_WINDOW_REFUSALS(
      "stability.change.window.refusals",
      MetricType.COUNTER,
      null,
      List.of(),
      "Risky operations refused because a trading session was open."),
  OPS_REQUESTS(
      "stability.ops.requests",
      MetricType.COUNTER,
      null,
      List.of("path", "status"),
      "Requests served by the ops endpoint."),
  OPS_AUTH_FAILURES(
      "stability.ops.auth.failures",
      MetricType.COUNTER,
      null,
      List.of(),
      "Ops endpoint requests refused for a missing or wrong token.");

  private final String metricName;
  private final MetricType type;
  private final String baseUnit;
  private final List<String> tags;
  private final String meaning;

  StabilityMetric(
      String metricName, MetricType type, String baseUnit, List<String> tags, String meaning) {
    this.metricName = metricName;
    this.type = type;
    this.baseUnit = baseUnit;
    this.tags = tags;
    this.meaning = meaning;
  }

  @Override
  public String metricName() {
    return metricName;
  }

  @Override
  public MetricType type() {
    return type;
  }

  @Override
  public String baseUnit() {
    return baseUnit;
  }

  @Override
  public List<String> tags() {
    return tags;
  }

  @Override
  public String meaning() {
    return meaning;
  }
}
