package dev.stability.core.standby;

import dev.stability.api.ConfigurationException;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.core.StabilityRuntime;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Carries a primary runtime's state to a standby runtime in the same process (two runtimes in one
 * JVM: the one-host mode, and tests): every {@code interval} the primary {@linkplain
 * WarmStandby#export exports}, the standby {@linkplain WarmStandby#accept accepts} and its
 * replica's head is reported back. Across hosts, {@code stability-aeron}'s publisher does the same
 * beside the journal stream. Runs on its own daemon thread, not on the runtime's housekeeping
 * timer: a round forces each replicated operation-log record to the standby's disk, and a slow disk
 * must not delay the health-check timeouts and capacity samples that timer runs. {@link
 * #exchange()} runs one round at once.
 *
 * <pre>{@code
 * try (WarmLink link = WarmLink.start(primary, standby, journal::epoch, Duration.ofMillis(200))) {
 *   ... // at a switch, the standby's controller inherits the newest state
 * }
 * }</pre>
 */
public final class WarmLink implements AutoCloseable {

  private final StabilityRuntime primary;
  private final StabilityRuntime standby;
  private final LongSupplier epoch;
  private final ScheduledExecutorService executor;
  private volatile boolean failing;

  private WarmLink(
      StabilityRuntime primary, StabilityRuntime standby, LongSupplier epoch, Duration interval) {
    this.primary = primary;
    this.standby = standby;
    this.epoch = epoch;
    if (interval.isZero()) {
      this.executor = null;
      return;
    }
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread =
                  new Thread(r, "stability-warm-link-" + standby.identity().instanceId());
              thread.setDaemon(true);
              return thread;
            });
    long nanos = interval.toNanos();
    executor.scheduleWithFixedDelay(this::exchangeQuietly, 0, nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Links {@code primary} to {@code standby}.
   *
   * @param epoch the primary's epoch (e.g. {@code journal::epoch})
   * @param interval how often state is carried; {@link Duration#ZERO} for no thread (the caller
   *     calls {@link #exchange()}, as tests on a manual clock do)
   * @throws ConfigurationException naming a missing part, the same runtime twice, or a negative
   *     interval
   */
  public static WarmLink start(
      StabilityRuntime primary, StabilityRuntime standby, LongSupplier epoch, Duration interval) {
    if (primary == null || standby == null || epoch == null) {
      throw new ConfigurationException(
          "warm-standby.link",
          null,
          "primary, standby and epoch must all be set (got primary="
              + primary
              + ", standby="
              + standby
              + ", epoch="
              + epoch
              + ")");
    }
    if (primary == standby) {
      throw new ConfigurationException(
          "warm-standby.link",
          primary.identity().instanceId(),
          "primary and standby must be two runtimes; one runtime shares its state already");
    }
    if (interval == null || interval.isNegative()) {
      throw new ConfigurationException(
          "warm-standby.link.interval", interval, "must be zero or a positive duration");
    }
    return new WarmLink(primary, standby, epoch, interval);
  }

  /**
   * One round now: the primary's state and new operation-log records to the standby, the standby's
   * replica head back.
   *
   * @return whether the standby took the state
   */
  public boolean exchange() {
    WarmStandby from = primary.warmStandby();
    WarmStandby to = standby.warmStandby();
    byte[] message = from.export(epoch.getAsLong(), to.replicaHead().sequence());
    boolean taken = to.accept(message);
    from.standbyReported(standby.identity().instanceId(), to.replicaHead());
    return taken;
  }

  private void exchangeQuietly() {
    try {
      exchange();
      failing = false;
    } catch (RuntimeException e) {
      if (!failing) {
        failing = true; // told once per failing stretch, not every interval
        standby
            .events()
            .publish(
                LogRecord.builder(StabilityEventCode.WARM_STATE_REFUSED)
                    .error(e)
                    .message(
                        "the warm-standby link from "
                            + primary.identity().instanceId()
                            + " could not carry state: "
                            + e
                            + "; the standby keeps the newest state it has and ages it")
                    .attr("reason", "link"));
      }
    }
  }

  /** Stops carrying state; the standby keeps what it received. */
  @Override
  public void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
