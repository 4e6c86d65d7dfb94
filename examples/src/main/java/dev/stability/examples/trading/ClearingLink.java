package dev.stability.examples.trading;

import dev.stability.api.annotation.OutboundClient;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The simulated link to the clearing house: trades are sent to it in batches. A test or the demo
 * can make it refuse every call or answer slowly, as a real dependency does on a bad day.
 */
@OutboundClient
public final class ClearingLink {

  private volatile boolean refusing;
  private volatile long delayNanos;
  private final AtomicLong cleared = new AtomicLong();

  /** Sends {@code trades} trades for clearing. */
  public void send(long trades) {
    long delay = delayNanos;
    if (delay > 0) {
      LockSupport.parkNanos(delay);
    }
    if (refusing) {
      throw new UncheckedIOException(
          new ConnectException("clearing house refused the connection (simulated)"));
    }
    cleared.addAndGet(trades);
  }

  /** Makes every call fail (true) or work again (false). */
  public void refuse(boolean value) {
    this.refusing = value;
  }

  /** Makes every call take {@code millis} longer (0 to stop). */
  public void delay(long millis) {
    this.delayNanos = millis * 1_000_000;
  }

  /** Trades the clearing house has received. */
  public long cleared() {
    return cleared.get();
  }
}
