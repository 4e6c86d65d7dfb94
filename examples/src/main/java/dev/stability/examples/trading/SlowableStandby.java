package dev.stability.examples.trading;

import dev.stability.api.consistency.StateDigest;
import dev.stability.api.standby.StateMachine;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * The standby machine a follower drives: the array-book core, optionally slowed per record (a fault
 * for discovery campaigns: a slow standby must show as lag).
 */
public final class SlowableStandby implements StateMachine {
  private final ArrayTradingCore core;
  private volatile long delayNanos;

  /** Drives {@code core}, not slowed. */
  public SlowableStandby(ArrayTradingCore core) {
    this.core = core;
  }

  /** Slows every record applied by {@code micros} (0 to stop). */
  public void slow(long micros) {
    this.delayNanos = micros * 1_000;
  }

  @Override
  public void apply(long sequence, long epoch, ByteBuffer payload) {
    long delay = delayNanos;
    if (delay > 0) {
      LockSupport.parkNanos(delay);
    }
    core.apply(sequence, epoch, payload);
  }

  @Override
  public byte[] snapshot() {
    return core.snapshot();
  }

  @Override
  public void restore(byte[] snapshot) {
    core.restore(snapshot);
  }

  @Override
  public StateDigest digest() {
    return core.digest();
  }

  @Override
  public long lastApplied() {
    return core.lastApplied();
  }
}
