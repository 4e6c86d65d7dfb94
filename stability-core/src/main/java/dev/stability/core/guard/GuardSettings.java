package dev.stability.core.guard;

import dev.stability.api.ConfigurationException;
import dev.stability.core.internal.Rules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a guard does, fixed when it is built: its name, whether the guarded operation is idempotent,
 * and which policies apply. Policies compose in this fixed order, outermost first:
 *
 * <ol>
 *   <li>retry (idempotent guards only; each attempt goes through everything below),
 *   <li>rate limiter,
 *   <li>circuit breaker,
 *   <li>adaptive load shedding,
 *   <li>bulkhead,
 *   <li>for {@link Guard#submit}, the thread-pool bulkhead that runs the call,
 *   <li>deadline (synchronous) or time limit (asynchronous) around the call itself,
 * </ol>
 *
 * <p>and a fallback, when given at the call site, answers for any failure that is left. Cheap
 * refusals come first so an overloaded or broken dependency costs the caller next to nothing.
 * Immutable. Every policy's settings ({@link CircuitBreakerSettings}, {@link BulkheadSettings},
 * ...) are validated when they are constructed, naming the key relative to the policy ({@code
 * circuit-breaker.failure-rate-threshold}); {@link Builder#build()} validates the name, deadline,
 * time limit and retry's idempotence with keys as in the configuration document ({@code
 * guards.exchange-link.deadline}), which {@link GuardDocuments} also uses for the policies.
 */
public final class GuardSettings {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  private final String name;
  private final boolean idempotent;
  private final boolean siteLocal;
  private final boolean latencyPercentiles;
  private final Duration deadline;
  private final Duration timeLimit;
  private final CircuitBreakerSettings circuitBreaker;
  private final BulkheadSettings bulkhead;
  private final ThreadPoolBulkheadSettings threadPoolBulkhead;
  private final RateLimiterSettings rateLimiter;
  private final RetrySettings retry;
  private final LoadSheddingSettings loadShedding;
  private final List<Class<? extends Throwable>> ignoredExceptions;

  private GuardSettings(Builder b) {
    this.name = b.name;
    this.idempotent = b.idempotent;
    this.siteLocal = b.siteLocal;
    this.latencyPercentiles = b.latencyPercentiles;
    this.deadline = b.deadline;
    this.timeLimit = b.timeLimit;
    this.circuitBreaker = b.circuitBreaker;
    this.bulkhead = b.bulkhead;
    this.threadPoolBulkhead = b.threadPoolBulkhead;
    this.rateLimiter = b.rateLimiter;
    this.retry = b.retry;
    this.loadShedding = b.loadShedding;
    this.ignoredExceptions = List.copyOf(b.ignoredExceptions);
  }

  /**
   * Starts a spec for a guard; names are lower-case kebab case, 1-63 characters ({@code
   * exchange-link}), because they become metric tags and configuration keys.
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The guard's name. */
  public String name() {
    return name;
  }

  /** Whether repeating the guarded operation is safe (required for retry). */
  public boolean idempotent() {
    return idempotent;
  }

  /**
   * Whether the guard's state belongs to this site: a warm standby does not inherit it at a switch
   * (the standby's data centre reaches a different clearing link), so it starts fresh there.
   */
  public boolean siteLocal() {
    return siteLocal;
  }

  /**
   * Whether the guard publishes its calls' latency by percentile ({@code stability.guard.latency}:
   * quantiles 0.5, 0.9, 0.99, 0.999 over the last minute).
   */
  public boolean latencyPercentiles() {
    return latencyPercentiles;
  }

  /** Deadline of synchronous calls, if any. */
  public Optional<Duration> deadline() {
    return Optional.ofNullable(deadline);
  }

  /** Time limit of asynchronous calls, if any. */
  public Optional<Duration> timeLimit() {
    return Optional.ofNullable(timeLimit);
  }

  /** Circuit breaker settings, if the guard has one. */
  public Optional<CircuitBreakerSettings> circuitBreaker() {
    return Optional.ofNullable(circuitBreaker);
  }

  /** Bulkhead settings, if the guard has one. */
  public Optional<BulkheadSettings> bulkhead() {
    return Optional.ofNullable(bulkhead);
  }

  /** Thread-pool bulkhead settings, if the guard runs submitted work on its own pool. */
  public Optional<ThreadPoolBulkheadSettings> threadPoolBulkhead() {
    return Optional.ofNullable(threadPoolBulkhead);
  }

  /** Rate limiter settings, if the guard has one. */
  public Optional<RateLimiterSettings> rateLimiter() {
    return Optional.ofNullable(rateLimiter);
  }

  /** Retry settings, if the guard retries. */
  public Optional<RetrySettings> retry() {
    return Optional.ofNullable(retry);
  }

  /** Load shedding settings, if the guard sheds. */
  public Optional<LoadSheddingSettings> loadShedding() {
    return Optional.ofNullable(loadShedding);
  }

  /**
   * Exceptions that are answers, not failures of the dependency (a risk rejection, a validation
   * error): they reach the caller and count as FAILURE in the metrics, but the circuit breaker does
   * not record them, so they can never open it.
   */
  public List<Class<? extends Throwable>> ignoredExceptions() {
    return ignoredExceptions;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("GuardSettings[").append(name);
    out.append(", idempotent=").append(idempotent);
    if (siteLocal) {
      out.append(", siteLocal=true");
    }
    if (latencyPercentiles) {
      out.append(", latencyPercentiles=true");
    }
    deadline().ifPresent(d -> out.append(", deadline=").append(d));
    timeLimit().ifPresent(d -> out.append(", timeLimit=").append(d));
    circuitBreaker().ifPresent(c -> out.append(", ").append(c));
    bulkhead().ifPresent(c -> out.append(", ").append(c));
    threadPoolBulkhead().ifPresent(c -> out.append(", ").append(c));
    rateLimiter().ifPresent(c -> out.append(", ").append(c));
    retry().ifPresent(c -> out.append(", ").append(c));
    loadShedding().ifPresent(c -> out.append(", ").append(c));
    if (!ignoredExceptions.isEmpty()) {
      out.append(", ignoredExceptions=")
          .append(ignoredExceptions.stream().map(Class::getName).toList());
    }
    return out.append(']').toString();
  }

  /** Builds a {@link GuardSettings}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private boolean idempotent;
    private boolean siteLocal;
    private boolean latencyPercentiles;
    private Duration deadline;
    private Duration timeLimit;
    private CircuitBreakerSettings circuitBreaker;
    private BulkheadSettings bulkhead;
    private ThreadPoolBulkheadSettings threadPoolBulkhead;
    private RateLimiterSettings rateLimiter;
    private RetrySettings retry;
    private LoadSheddingSettings loadShedding;
    private final List<Class<? extends Throwable>> ignoredExceptions = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    /** Declares the operation idempotent (see {@code @Idempotent}); required for retry. */
    public Builder idempotent(boolean value) {
      this.idempotent = value;
      return this;
    }

    /**
     * Marks the guard's dependency as per site: a warm standby does not inherit its breaker state
     * or limit at a switch (default false: state carries over).
     */
    public Builder siteLocal(boolean value) {
      this.siteLocal = value;
      return this;
    }

    /**
     * Publishes the latency of the calls the guard let through (success, failure, timeout; not
     * refusals, which take none) at quantiles 0.5, 0.9, 0.99 and 0.999 over the last minute (60 to
     * 70 s of wall time, in 10 s steps): gauges {@code stability.guard.latency{guard,quantile}} in
     * seconds, each at most 1/16 above the true value, NaN while the minute holds no call. Default
     * false: it adds one atomic increment to every call (see BENCHMARKS.md, Guards).
     */
    public Builder latencyPercentiles(boolean value) {
      this.latencyPercentiles = value;
      return this;
    }

    /** Synchronous calls that take longer fail with {@code DeadlineExceededException}. */
    public Builder deadline(@Nullable Duration value) {
      this.deadline = value;
      return this;
    }

    /** Asynchronous calls that take longer are cancelled and fail with a timeout. */
    public Builder timeLimit(@Nullable Duration value) {
      this.timeLimit = value;
      return this;
    }

    /** Adds a circuit breaker. */
    public Builder circuitBreaker(@Nullable CircuitBreakerSettings value) {
      this.circuitBreaker = value;
      return this;
    }

    /** Adds a semaphore bulkhead. */
    public Builder bulkhead(@Nullable BulkheadSettings value) {
      this.bulkhead = value;
      return this;
    }

    /** Adds a thread-pool bulkhead for {@link Guard#submit}. */
    public Builder threadPoolBulkhead(@Nullable ThreadPoolBulkheadSettings value) {
      this.threadPoolBulkhead = value;
      return this;
    }

    /** Adds a rate limiter. */
    public Builder rateLimiter(@Nullable RateLimiterSettings value) {
      this.rateLimiter = value;
      return this;
    }

    /** Adds retry; the guard must be idempotent. */
    public Builder retry(@Nullable RetrySettings value) {
      this.retry = value;
      return this;
    }

    /** Adds adaptive load shedding. */
    public Builder loadShedding(@Nullable LoadSheddingSettings value) {
      this.loadShedding = value;
      return this;
    }

    /** Exceptions the breaker does not record; see {@link GuardSettings#ignoredExceptions()}. */
    @SafeVarargs
    public final Builder ignoreExceptions(Class<? extends Throwable>... types) {
      for (Class<? extends Throwable> type : types) {
        ignoredExceptions.add(Objects.requireNonNull(type, "ignored exception type"));
      }
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws ConfigurationException naming the guard, key, value and rule
     */
    public GuardSettings build() {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new ConfigurationException(
            "guards.<name>",
            name,
            "a guard name must be lower-case kebab case: a letter, then letters, digits or '-',"
                + " at most 63 characters");
      }
      String prefix = "guards." + name + ".";
      if (deadline != null) {
        Rules.positive(prefix + "deadline", deadline);
      }
      if (timeLimit != null) {
        Rules.positive(prefix + "time-limit", timeLimit);
      }
      // The policies' own settings were validated when they were constructed.
      if (retry != null) {
        if (!idempotent) {
          throw new ConfigurationException(
              prefix + "retry",
              "max-attempts=" + retry.maxAttempts(),
              "retry is refused because the guard is not idempotent: a resent order is a"
                  + " duplicate order. Declare 'idempotent: true' only if repeating the call is"
                  + " safe (R14)");
        }
      }
      return new GuardSettings(this);
    }
  }
}
