package dev.stability.api.event;

import static dev.stability.api.event.Category.BUSINESS;
import static dev.stability.api.event.Category.INTERFACE;
import static dev.stability.api.event.Category.OPERATION;
import static dev.stability.api.event.Category.SECURITY;
import static dev.stability.api.event.Category.SYSTEM;
import static dev.stability.api.event.Level.ERROR;
import static dev.stability.api.event.Level.INFO;
import static dev.stability.api.event.Level.WARN;

/**
 * The closed catalog of codes the SDK itself emits, designed once for every subsystem. The same
 * list is published as the resource {@code dev/stability/api/event/event-codes.json} (a test proves
 * the two are equal). New SDK codes are added here, never invented inline.
 */
public enum StabilityEventCode implements EventCode.OfEnum {
  // --- runtime and event output -------------------------------------------------------------
  RUNTIME_STARTED(SYSTEM, INFO, "A stability runtime was built and started for this instance."),
  RUNTIME_STOPPED(SYSTEM, INFO, "A stability runtime was closed; its meters were removed."),
  EVENTS_DROPPED(
      SYSTEM,
      ERROR,
      "The event queue was full, so events were dropped; attrs.dropped says how many. Raise the"
          + " queue capacity or find the event storm."),
  EVENT_SINK_FAILED(
      SYSTEM,
      ERROR,
      "An event output (SLF4J or a sink) threw while writing a record; the first failure of a run"
          + " is reported, with the remedy for a library version mismatch; other outputs go on."),
  EVENT_OUTPUT_DISABLED(
      SYSTEM,
      ERROR,
      "An event output was switched off: it failed several times in a row, threw a linkage error"
          + " (a library version mismatch) or has nowhere to write; the other outputs go on."),
  EVENT_DISPATCHER_STOPPED(
      SYSTEM,
      ERROR,
      "The event thread stopped; records are written on the publishing threads from then on and"
          + " the events health check is DOWN."),
  EVENT_CODE_UNKNOWN(
      SYSTEM,
      WARN,
      "A record used a code that was not registered with the runtime; it was still written."),

  // --- guards (R14) ---------------------------------------------------------------------------
  GUARD_CIRCUIT_OPENED(
      SYSTEM, WARN, "A guard's circuit breaker opened: calls to the dependency are refused."),
  GUARD_CIRCUIT_HALF_OPEN(
      SYSTEM, INFO, "A guard's circuit breaker lets trial calls through to test the dependency."),
  GUARD_CIRCUIT_CLOSED(SYSTEM, INFO, "A guard's circuit breaker closed: the dependency recovered."),
  GUARD_BULKHEAD_SATURATED(
      SYSTEM, WARN, "A guard's bulkhead started rejecting calls: all permits are in use."),
  GUARD_RATE_LIMITED(
      SYSTEM, WARN, "A guard's rate limiter started rejecting calls above the configured rate."),
  GUARD_DEADLINE_EXCEEDED(
      SYSTEM, WARN, "Calls through a guard started exceeding their deadline or time limit."),
  GUARD_RETRY_EXHAUSTED(
      SYSTEM, WARN, "An idempotent call failed on every allowed attempt; the last error is given."),
  GUARD_FALLBACK_USED(
      SYSTEM, INFO, "A guard answered with its fallback instead of the dependency."),
  GUARD_SHEDDING_STARTED(
      SYSTEM, WARN, "Adaptive load shedding started dropping calls to protect the service."),
  GUARD_SHEDDING_STOPPED(SYSTEM, INFO, "Adaptive load shedding stopped: load is back in bounds."),
  GUARD_LIMIT_CHANGED(
      SYSTEM, INFO, "The adaptive concurrency limit of a guard moved; attrs give old and new."),
  GUARD_RECONFIGURED(
      OPERATION, WARN, "A guard's configuration was changed at run time by an operator."),

  // --- health and readiness (R3, R7) -----------------------------------------------------------
  HEALTH_STATUS_CHANGED(
      SYSTEM,
      WARN,
      "A health check or aggregate changed status; attrs give old, new and reason. At INFO when the new status is UP (a recovery)."),
  HEALTH_CHECK_FAILED(
      SYSTEM, ERROR, "A health check threw instead of answering; it is reported DOWN."),
  HEALTH_CHECK_TIMED_OUT(
      SYSTEM, ERROR, "A health check did not answer within its timeout; it is reported DOWN."),
  TRADING_READINESS_PASSED(
      OPERATION, INFO, "The pre-open trading-readiness run found every check UP."),
  TRADING_READINESS_FAILED(
      OPERATION, ERROR, "The pre-open trading-readiness run found checks not UP; see the report."),

  // --- capacity (R1) -------------------------------------------------------------------------
  CAPACITY_HEADROOM_LOW(
      SYSTEM,
      WARN,
      "Capacity (tested, else provisioned) divided by the historical peak fell below the"
          + " indicator's required multiple (3x by default)."),
  CAPACITY_HEADROOM_RESTORED(
      SYSTEM, INFO, "Capacity headroom is back at or above the required multiple."),
  CAPACITY_PEAK_EXCEEDED(
      SYSTEM, WARN, "A key indicator's rate exceeded its stored historical peak; peak updated."),
  CAPACITY_TESTED(
      OPERATION, INFO, "A pressure test recorded a new tested capacity for an indicator."),
  CAPACITY_STORE_DAMAGED(
      SYSTEM, ERROR, "The stored historical peak could not be read; it was not reset to zero."),
  CAPACITY_STORE_NEW(
      SYSTEM,
      WARN,
      "No capacity store was found at the configured path: a new history starts from no peak."),
  CAPACITY_STORE_WRITE_FAILED(
      SYSTEM,
      ERROR,
      "The capacity store could not be written; values stay in memory and the write is retried."),

  // --- consistency (R10) ---------------------------------------------------------------------
  CONSISTENCY_MATCHED(
      SYSTEM, INFO, "Primary and standby digests are equal at a checkpoint sequence."),
  CONSISTENCY_MISMATCH(
      SYSTEM,
      ERROR,
      "Primary and standby digests differ; journal_seq is the first checkpoint that differs."),
  CONSISTENCY_DIFF_READY(
      SYSTEM, ERROR, "A record-level diff localised a mismatch to keys and fields; see attrs."),
  CONSISTENCY_CHECK_FAILED(
      SYSTEM,
      ERROR,
      "A checkpoint captured on the order path could not be compared (e.g. different bucket"
          + " counts); journal_seq is its sequence."),
  SHADOW_MISMATCH(
      SYSTEM, WARN, "A candidate implementation answered differently from the control."),
  SHADOW_FAILED(SYSTEM, WARN, "A candidate implementation threw or timed out on a shadowed call."),
  REPLAY_MATCHED(SYSTEM, INFO, "Replaying a journal through two implementations gave equal state."),
  REPLAY_DIVERGED(
      SYSTEM, ERROR, "Replaying a journal through two implementations diverged; first seq given."),

  // --- journal (R9) --------------------------------------------------------------------------
  JOURNAL_OPENED(SYSTEM, INFO, "A journal was opened; attrs give the last durable sequence."),
  JOURNAL_CORRUPTION_DETECTED(
      SYSTEM,
      ERROR,
      "A torn or corrupted journal record was found; nothing at or after it is read as data."),
  JOURNAL_SEGMENT_ROLLED(SYSTEM, INFO, "The journal started a new segment file."),
  JOURNAL_APPEND_FENCED(
      SECURITY, ERROR, "An append carried an old epoch and was refused: a fenced primary wrote."),
  JOURNAL_FLUSH_FAILED(SYSTEM, ERROR, "Forcing journal data to storage failed; nothing acked."),
  JOURNAL_RECONCILED(
      SYSTEM,
      WARN,
      "A former primary's journal was compared with its successor's; attrs name the lost range."),

  // --- standby and replication (R9, R18) -----------------------------------------------------
  STANDBY_LAG_HIGH(SYSTEM, WARN, "The standby is further behind the primary than allowed."),
  STANDBY_LAG_RECOVERED(SYSTEM, INFO, "The standby caught up to within the allowed lag."),
  STANDBY_RESUMED(
      SYSTEM, INFO, "The standby resumed following from its last applied sequence (breakpoint)."),
  STANDBY_APPLY_FAILED(
      SYSTEM, ERROR, "The standby's state machine failed to apply a record; it stopped there."),
  REPLICATION_STANDBY_CONNECTED(
      SYSTEM,
      INFO,
      "A standby asked the primary for the journal from a sequence (its start or a catch-up from its breakpoint); attrs give the standby and the sequence."),
  REPLICATION_CATCH_UP(
      SYSTEM,
      INFO,
      "A standby behind the primary is caught up from its breakpoint: replayed to it alone from the archive, or resent from the primary's journal when the archive does not hold the range (attrs say which and why)."),
  REPLICATION_ARCHIVE_FAILED(
      SYSTEM,
      ERROR,
      "The Aeron Archive refused an operation (a replay, a purge); standbys catch up from the primary's journal instead, and replication goes on."),
  REPLICATION_LAG_HIGH(
      SYSTEM,
      WARN,
      "Replication to the standby is further behind the primary's journal than allowed; under ASYNC this is what a failover could lose."),
  REPLICATION_LAG_RECOVERED(
      SYSTEM, INFO, "Replication to the standby is back within the allowed lag."),
  REPLICATION_CONFIRM_TIMEOUT(
      SYSTEM,
      ERROR,
      "SEMI_SYNC: no standby confirmed a record within the timeout; the primary degraded to ASYNC or refuses input, as configured."),
  REPLICATION_SEMI_SYNC_RESTORED(
      SYSTEM,
      INFO,
      "SEMI_SYNC: a standby confirmed every record again; acknowledgements wait for it again."),
  REPLICATION_RECORD_REFUSED(
      SYSTEM,
      ERROR,
      "The standby refused a replicated record (checksum mismatch or out of sequence) and asked for it again; nothing was written or applied."),
  REPLICATION_STOPPED(
      SYSTEM,
      ERROR,
      "A replication thread stopped on an error (the cause is given); a SEMI_SYNC primary then acts as timed out (degrades or refuses input)."),
  REPLICATION_STALE_EPOCH(
      SECURITY,
      ERROR,
      "The standby ignored records stamped with an older epoch than its own journal's: a replaced primary still sending."),
  SNAPSHOT_TAKEN(SYSTEM, INFO, "A state machine snapshot was written at a journal sequence."),
  SNAPSHOT_RESTORED(SYSTEM, INFO, "A state machine was restored from a snapshot, then the tail."),

  // --- switchover and failover (R9, R11, R18) ------------------------------------------------
  SWITCHOVER_REQUESTED(OPERATION, WARN, "A planned switchover was requested by an operator."),
  SWITCHOVER_GATE_FAILED(
      OPERATION, WARN, "A switchover readiness gate failed; the switch was not started."),
  SWITCHOVER_FENCED(
      OPERATION, WARN, "The old primary was fenced: the epoch was bumped, old writes refused."),
  SWITCHOVER_DRAINED(OPERATION, INFO, "The standby applied every record up to the switch point."),
  SWITCHOVER_PROMOTED(OPERATION, WARN, "The standby became primary and accepts input."),
  SWITCHOVER_COMPLETED(
      OPERATION, WARN, "A switchover finished; attrs give takeover time and lost records (0)."),
  SWITCHOVER_FAILED(OPERATION, ERROR, "A switchover failed part-way; the reason is given."),
  FAILOVER_STARTED(
      OPERATION, ERROR, "An emergency failover started: the primary is gone, promoting standby."),
  FAILOVER_COMPLETED(
      OPERATION,
      ERROR,
      "A failover finished from the last durable sequence; attrs give the possible loss range."),
  EPOCH_FENCED(SECURITY, WARN, "A command or record stamped with an old epoch was refused."),
  ROLE_LEASE_ACQUIRED(
      OPERATION,
      WARN,
      "This process was granted the primary role's lease with a new epoch issued by the coordination service (the fencing token); attrs give the lease, the participant and the epoch."),
  ROLE_LEASE_AT_RISK(
      SYSTEM,
      WARN,
      "The connection to the coordination service was suspended while this process held the role lease; it still holds the lease until its deadline (attrs) unless a heartbeat is answered before."),
  ROLE_LEASE_LOST(
      SYSTEM,
      ERROR,
      "This process no longer holds the role lease (the deadline passed with no heartbeat answered, the session expired or another participant was granted it); it stopped acknowledging before anyone else could be granted the role."),
  ROLE_LEASE_RELEASED(
      OPERATION, INFO, "This process gave the role lease up; another participant may take it."),
  ROLE_LEASE_VACANT(
      OPERATION,
      WARN,
      "Nobody holds the primary role (the primary's session ended or it released the role): under MANUAL a failover waits for two operators, under AUTOMATIC the standby fails over."),
  WARM_STATE_INHERITED(
      OPERATION,
      INFO,
      "At promotion the new primary took over the old primary's state as last replicated: breakers, forced-open guards, adaptive limits, capacity peaks, last health and the operation log's chain (attrs say what, from whom and how old)."),
  WARM_STATE_STALE(
      OPERATION,
      WARN,
      "The state a new primary inherited is older than the configured bound (the primary went silent before the switch): breakers, limits and peaks may be out of date."),
  WARM_STATE_NOT_INHERITED(
      OPERATION,
      ERROR,
      "At promotion the new primary could not take over the old primary's replicated state, or took only its guards: what it did not take is as this runtime had it (breakers closed, its own capacity peaks and health, its own operation log's chain); the message names the failure, attrs which part."),
  WARM_STATE_REFUSED(
      SECURITY,
      ERROR,
      "A standby refused replicated state: older than what it holds, from an older epoch, unreadable, or an operation-log record that does not continue the chain (altered, missing or reordered)."),
  ENDPOINT_REGISTRY_UPDATED(
      OPERATION, INFO, "The endpoint registry now points clients at the new primary."),
  CLIENT_RECONNECTED(
      SYSTEM, INFO, "A client reconnected to a pre-registered address after a switch."),
  CLIENTS_ALL_RECONNECTED(
      OPERATION, INFO, "Every expected client has logged in to the new primary (R11)."),

  // --- operations, change windows, dual control (R5, R6) -------------------------------------
  OPERATION_REQUESTED(
      OPERATION, INFO, "An operator requested an action that needs a second person's approval."),
  OPERATION_APPROVED(OPERATION, INFO, "A second operator approved a requested action."),
  OPERATION_REFUSED(
      OPERATION,
      WARN,
      "An action was refused (self-approval, expired approval, missing approval); see reason."),
  OPERATION_STARTED(
      OPERATION,
      INFO,
      "An operation is about to be carried out; written before it runs, its outcome follows."),
  OPERATION_EXECUTED(OPERATION, INFO, "An operation was carried out; outcome is given."),
  CHANGE_WINDOW_REFUSED(
      OPERATION, WARN, "A risky operation was refused because a trading session is open."),
  EMERGENCY_DECLARED(
      OPERATION, WARN, "An operation inside a trading session was declared an emergency."),
  OPERATION_LOG_TAMPERED(
      SECURITY,
      ERROR,
      "Verifying the operation log found an altered, removed or reordered record."),
  OPERATION_LOG_TORN_TAIL(
      SECURITY, WARN, "The operation log ended with a half-written record from a crash."),

  // --- ops endpoint (R15) --------------------------------------------------------------------
  OPS_ENDPOINT_STARTED(SYSTEM, INFO, "The ops HTTP endpoint started; attrs give the address."),
  OPS_ENDPOINT_AUTH_FAILED(
      SECURITY, WARN, "A request to the ops endpoint had a missing or wrong token."),
  OPS_ENDPOINT_LOCKED(
      SECURITY, ERROR, "Too many failed attempts: the ops endpoint refuses changes for a while."),
  OPS_ENDPOINT_PLAIN_HTTP(
      SECURITY,
      WARN,
      "The ops endpoint serves plain HTTP beyond loopback because the application allowed it:"
          + " bearer tokens cross the network in clear text."),

  // --- application records written through the SDK's schema ---------------------------------
  APP_BUSINESS(BUSINESS, INFO, "An application business record (orders, trades, positions)."),
  APP_OPERATION(OPERATION, INFO, "An application operation record (operator actions)."),
  APP_INTERFACE_CALL(
      INTERFACE,
      INFO,
      "An application interface record: serial, interface, peer, duration and result (R17)."),
  APP_LOG(SYSTEM, INFO, "An ordinary application log statement rendered in the schema.");

  private final Spec spec;

  StabilityEventCode(Category category, Level level, String meaning) {
    this.spec = new Spec(category, level, meaning);
  }

  @Override
  public Spec spec() {
    return spec;
  }
}
