package dev.stability.core.switchover;

import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.health.HealthCheck;
import dev.stability.api.health.HealthKind;
import dev.stability.api.health.HealthResult;
import dev.stability.api.switchover.RoleLease;
import dev.stability.core.StabilityRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The standby's watch on the primary's role lease (R9, R18). It reads who holds the role every
 * {@code every}, and registers the {@code primary-lease} readiness check (grade 1) on the standby's
 * runtime: UP while a participant holds the role, DOWN while nobody does or who does cannot be
 * read. When the role falls vacant (the primary's session expired, or it released the role) it
 * raises {@code ROLE_LEASE_VACANT} once and, under {@link FailoverPolicy#MANUAL} (the default),
 * leaves the failover to two operators; under {@link FailoverPolicy#AUTOMATIC} it calls {@link
 * SwitchController#failoverAutomatically}, again at each reading while the role stays vacant and
 * the failover is refused (e.g. the standby not yet healthy), until it succeeds.
 *
 * <pre>{@code
 * SwitchController controller = runtime.switchover().controller(settings, participants); // .lease(l)
 * PrimaryLeaseWatch watch = PrimaryLeaseWatch.start(runtime, lease, controller, FailoverPolicy.MANUAL,
 *     Duration.ofMillis(200));
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops the watch (the check stays registered and reads UNKNOWN).
 */
public final class PrimaryLeaseWatch implements AutoCloseable {

  /** The readiness check's name. */
  public static final String CHECK = "primary-lease";

  private final StabilityRuntime runtime;
  private final RoleLease lease;
  private final SwitchController controller;
  private final FailoverPolicy policy;
  private final Duration every;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile HealthResult state = HealthResult.unknown("not read yet");
  private volatile SwitchReport automatic;
  private volatile String automaticFailure;

  // watch thread state
  private boolean vacant;
  private long lastEpoch;
  private String lastHolder;

  private PrimaryLeaseWatch(
      StabilityRuntime runtime,
      RoleLease lease,
      SwitchController controller,
      FailoverPolicy policy,
      Duration every) {
    this.runtime = runtime;
    this.lease = lease;
    this.controller = controller;
    this.policy = policy;
    this.every = every;
    runtime
        .health()
        .register(
            HealthCheck.of(
                CHECK,
                HealthKind.READINESS,
                1,
                () -> running ? state : HealthResult.unknown("the watch is stopped")));
    this.thread = new Thread(this::run, "stability-primary-lease-watch");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Starts watching {@code lease} (the standby's) every {@code every}, failing over through {@code
   * controller} as {@code policy} says.
   *
   * @throws dev.stability.api.ConfigurationException if {@code every} is not from 10 ms to 1 min
   */
  public static PrimaryLeaseWatch start(
      StabilityRuntime runtime,
      RoleLease lease,
      SwitchController controller,
      FailoverPolicy policy,
      Duration every) {
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(policy, "policy");
    if (every == null
        || every.compareTo(Duration.ofMillis(10)) < 0
        || every.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new dev.stability.api.ConfigurationException(
          "switch.lease-watch.every", every, "must be from 10 ms to 1 min");
    }
    return new PrimaryLeaseWatch(runtime, lease, controller, policy, every);
  }

  /** The policy this watch follows. */
  public FailoverPolicy policy() {
    return policy;
  }

  /** The report of the automatic failover this watch ran, if it ran one. */
  public Optional<SwitchReport> automaticFailover() {
    return Optional.ofNullable(automatic);
  }

  private void run() {
    while (running) {
      try {
        read();
      } catch (RuntimeException | Error e) {
        state = HealthResult.down("the lease watch failed: " + e);
      }
      try {
        Thread.sleep(every.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void read() {
    Optional<RoleLease.Holder> holder;
    try {
      holder = lease.holder();
    } catch (RuntimeException unknown) {
      state = HealthResult.down("who holds the primary role is unknown: " + unknown.getMessage());
      return;
    }
    if (holder.isPresent()) {
      boolean self = holder.get().participant().equals(lease.participant());
      if (self && automatic == null && automaticFailure != null) {
        // took the role, then a step failed: not promoted; an operator decides (no retry: the
        // role is no longer vacant)
        state =
            HealthResult.down(
                "this participant holds the role at epoch "
                    + holder.get().epoch()
                    + " but its automatic failover failed: "
                    + automaticFailure);
        return;
      }
      vacant = false;
      lastEpoch = holder.get().epoch();
      lastHolder = holder.get().participant();
      state =
          HealthResult.up(
              (holder.get().participant().equals(lease.participant()) ? "this participant, " : "")
                  + holder.get().participant()
                  + " holds the role at epoch "
                  + holder.get().epoch());
      return;
    }
    String since =
        lastHolder == null ? "" : " (last " + lastHolder + " at epoch " + lastEpoch + ")";
    state =
        HealthResult.down(
            "nobody holds the primary role"
                + since
                + (policy == FailoverPolicy.MANUAL
                    ? ": a failover waits for two operators (MANUAL)"
                    : ": failing over (AUTOMATIC)"));
    if (!vacant) {
      vacant = true;
      runtime
          .events()
          .publish(
              LogRecord.builder(StabilityEventCode.ROLE_LEASE_VACANT)
                  .message(
                      "nobody holds the primary role"
                          + since
                          + " since "
                          + Instant.now()
                          + (policy == FailoverPolicy.MANUAL
                              ? "; MANUAL: request a failover (one operator) and approve it"
                                  + " (another)"
                              : "; AUTOMATIC: " + lease.participant() + " fails over"))
                  .attr("policy", policy.name())
                  .attr("participant", lease.participant())
                  .epoch(lastEpoch));
    }
    if (policy == FailoverPolicy.AUTOMATIC && automatic == null) {
      try {
        automatic =
            controller.failoverAutomatically(
                "the primary role fell vacant"
                    + since
                    + "; AUTOMATIC policy of "
                    + lease.participant());
      } catch (Exception refused) {
        // reported by the controller (gate or step failure); tried again at the next reading
        // while the role stays vacant
        automaticFailure = refused.getMessage();
        state = HealthResult.down("automatic failover refused: " + refused.getMessage());
      }
    }
  }

  /** Stops the watch. Idempotent. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
