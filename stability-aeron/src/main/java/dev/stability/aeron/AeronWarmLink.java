package dev.stability.aeron;

import dev.stability.aeron.internal.Threads;
import dev.stability.api.ConfigurationException;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.standby.WarmStandby;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Carries a primary runtime's warm-standby state to a standby runtime in another process, beside
 * the journal stream and off it: the primary sends its state (breakers, limits, capacity, health,
 * the operation log's new records) every {@code interval} on {@link
 * ReplicationSettings#warmStream()} of the data channel; the standby takes it and sends its
 * replica's head back on {@link ReplicationSettings#warmFeedbackStream()} of the control channel. A
 * few messages a second of a few hundred bytes, on a thread of its own: the order path never sees
 * it. The standby's switch controller inherits the newest state at promotion; an old primary still
 * sending after the switch is refused and reported by the new primary.
 *
 * <pre>{@code
 * // primary                                          // standby
 * AeronWarmLink.primary(runtime, journal::epoch,      AeronWarmLink.standby(runtime, media,
 *     media, settings, Duration.ofMillis(200));            settings, Duration.ofMillis(200));
 * }</pre>
 */
public final class AeronWarmLink implements AutoCloseable {

  private static final byte STATE = 1;
  private static final byte HEAD = 2;

  private final StabilityRuntime runtime;
  private final boolean primarySide;
  private final LongSupplier epoch;
  private final Publication out;
  private final Subscription in;
  private final FragmentAssembler assembler;
  private final long intervalNanos;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long sent;
  private volatile long received;
  private volatile long standbySeq;
  private long lastReportedSeq = -1;
  private long lastFailureEvent = Long.MIN_VALUE;

  private AeronWarmLink(
      StabilityRuntime runtime,
      boolean primarySide,
      LongSupplier epoch,
      AeronMedia media,
      ReplicationSettings settings,
      Duration interval) {
    this.runtime = runtime;
    this.primarySide = primarySide;
    this.epoch = epoch;
    this.intervalNanos = interval.toNanos();
    if (primarySide) {
      this.out = media.aeron().addPublication(settings.dataChannel(), settings.warmStream());
      this.in =
          media.aeron().addSubscription(settings.controlChannel(), settings.warmFeedbackStream());
    } else {
      this.out =
          media.aeron().addPublication(settings.controlChannel(), settings.warmFeedbackStream());
      this.in = media.aeron().addSubscription(settings.dataChannel(), settings.warmStream());
    }
    int limit = runtime.warmStandby().settings().maxOperationLogBytes() + 16 * 1024;
    if (primarySide && out.maxMessageLength() < limit) {
      out.close();
      in.close();
      throw new ConfigurationException(
          "warm-standby.max-operation-log-bytes",
          runtime.warmStandby().settings().maxOperationLogBytes(),
          "with 16 KiB for the rest of the state it must fit one Aeron message of at most "
              + out.maxMessageLength()
              + " bytes on this term length: lower it, or raise the media's term length");
    }
    this.assembler =
        new FragmentAssembler(
            (buffer, offset, length, header) -> {
              byte[] bytes = new byte[length];
              buffer.getBytes(offset, bytes);
              onMessage(bytes);
            });
    this.thread =
        new Thread(
            this::run,
            "stability-warm-"
                + (primarySide ? "primary-" : "standby-")
                + runtime.identity().instanceId());
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The primary's side: sends this runtime's state every {@code interval}.
   *
   * @param epoch the primary's epoch (e.g. {@code journal::epoch})
   * @throws ConfigurationException if the interval is not from 10 ms to 10 s, or the runtime's
   *     per-message operation-log bytes do not fit one Aeron message on the media's term length
   */
  public static AeronWarmLink primary(
      StabilityRuntime runtime,
      LongSupplier epoch,
      AeronMedia media,
      ReplicationSettings settings,
      Duration interval) {
    return new AeronWarmLink(runtime, true, epoch, media, settings, check(interval));
  }

  /**
   * The standby's side: takes the primary's state as it comes and reports its replica's head at
   * least every {@code interval}.
   *
   * @throws ConfigurationException if the interval is not from 10 ms to 10 s
   */
  public static AeronWarmLink standby(
      StabilityRuntime runtime, AeronMedia media, ReplicationSettings settings, Duration interval) {
    return new AeronWarmLink(runtime, false, () -> 0, media, settings, check(interval));
  }

  private static Duration check(Duration interval) {
    if (interval == null
        || interval.compareTo(Duration.ofMillis(10)) < 0
        || interval.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new ConfigurationException(
          "warm-standby.interval", interval, "must be from 10 ms to 10 s");
    }
    return interval;
  }

  /** State messages sent (primary) or heads sent (standby). */
  public long sent() {
    return sent;
  }

  /** Heads received (primary) or state messages received (standby). */
  public long received() {
    return received;
  }

  private void run() {
    long next = System.nanoTime();
    while (running) {
      int work = in.poll(assembler, 16);
      long now = System.nanoTime();
      if (now - next >= 0) {
        next = now + intervalNanos;
        try {
          if (primarySide) {
            send(STATE, runtime.warmStandby().export(epoch.getAsLong(), standbySeq));
          } else {
            reportHead(true);
          }
        } catch (RuntimeException e) {
          failed(e);
        }
      }
      if (work == 0) {
        LockSupport.parkNanos(Math.min(1_000_000L, Math.max(0, next - now)));
      }
    }
  }

  private void onMessage(byte[] bytes) {
    if (bytes.length < 1) {
      return;
    }
    received++;
    byte[] body = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    try {
      if (primarySide && bytes[0] == HEAD) {
        String text = new String(body, StandardCharsets.UTF_8);
        String[] parts = text.split(" ", 3);
        if (parts.length == 3) {
          long seq = Long.parseLong(parts[1]);
          standbySeq = seq;
          runtime
              .warmStandby()
              .standbyReported(parts[0], new WarmStandby.ReplicaHead(seq, parts[2]));
        }
      } else if (!primarySide && bytes[0] == STATE) {
        runtime.warmStandby().accept(body);
        reportHead(false);
      }
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  /** The standby's head back to the primary: after every state taken that moved it, and timely. */
  private void reportHead(boolean timely) {
    WarmStandby.ReplicaHead head = runtime.warmStandby().replicaHead();
    if (!timely && head.sequence() == lastReportedSeq) {
      return;
    }
    lastReportedSeq = head.sequence();
    send(
        HEAD,
        (runtime.identity().instanceId() + " " + head.sequence() + " " + head.hash())
            .getBytes(StandardCharsets.UTF_8));
  }

  private void send(byte type, byte[] body) {
    byte[] message = new byte[body.length + 1];
    message[0] = type;
    System.arraycopy(body, 0, message, 1, body.length);
    long result = out.offer(new UnsafeBuffer(message));
    if (result > 0) {
      sent++;
    }
    // Not connected or back-pressured: the next interval sends the newer state anyway.
  }

  private void failed(RuntimeException e) {
    long now = System.nanoTime();
    if (lastFailureEvent != Long.MIN_VALUE && now - lastFailureEvent < 1_000_000_000L) {
      return;
    }
    lastFailureEvent = now;
    runtime
        .events()
        .publish(
            LogRecord.builder(StabilityEventCode.WARM_STATE_REFUSED)
                .error(e)
                .message(
                    "the warm-standby link on "
                        + runtime.identity().instanceId()
                        + " could not carry state: "
                        + e
                        + "; it tries again every interval")
                .attr("reason", "link"));
  }

  /** Stops the link's thread and releases its publication and subscription. */
  @Override
  public void close() {
    running = false;
    Threads.joinThenRelease(thread, out::close, in::close);
  }

  @Override
  public String toString() {
    return "AeronWarmLink["
        + (primarySide ? "primary " : "standby ")
        + runtime.identity().instanceId()
        + "]";
  }
}
