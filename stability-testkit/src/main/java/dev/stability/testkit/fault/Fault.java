package dev.stability.testkit.fault;

import java.util.concurrent.Callable;

/**
 * A misbehaviour to inject into a guarded dependency or any call: it runs the call with a delay,
 * fails it, or hangs it. Faults built by {@link Faults} are deterministic (random ones take a seed)
 * and thread-safe.
 */
@FunctionalInterface
public interface Fault {

  /** Runs {@code call} with this fault applied. */
  <T> T apply(Callable<T> call) throws Exception;

  /** This fault, then {@code next} around the call (e.g. latency then an error rate). */
  default Fault then(Fault next) {
    Fault first = this;
    return new Fault() {
      @Override
      public <T> T apply(Callable<T> call) throws Exception {
        return first.apply(() -> next.apply(call));
      }
    };
  }
}
