package dev.stability.ops;

import dev.stability.api.ConfigurationException;
import dev.stability.core.consistency.ConsistencyDiff;
import dev.stability.core.internal.Rules;
import dev.stability.core.operations.Risk;
import dev.stability.core.switchover.SwitchController;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * How the ops endpoint listens, what it accepts and whom it lets change things (R15). Immutable;
 * build with {@link #builder()}, validated when built. Tokens are secrets: only their SHA-256
 * digests are kept, compared in constant time and never logged or printed ({@link #toString()}
 * shows operator names only).
 *
 * <p>Bound beyond loopback the endpoint serves HTTPS only ({@link Builder#tls(TlsSettings)}); plain
 * HTTP there needs {@link Builder#plainHttpBeyondLoopback(boolean)} and is reported at start with
 * {@code OPS_ENDPOINT_PLAIN_HTTP}: bearer tokens must not cross a network in clear text.
 */
public final class OpsEndpointSettings {

  private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9._-]{0,63}");

  /**
   * An operation the endpoint can perform on request ({@code POST /operations/<name>}): its risk
   * decides whether it needs an approval and a closed change window.
   *
   * @param risk how much care it needs
   * @param handler does the work with the request's parameters ({@code target} and {@code p.*}) and
   *     returns what the response shows
   */
  public record Action(Risk risk, Function<Map<String, String>, Object> handler) {}

  private final InetAddress address;
  private final int port;
  private final Map<String, String> tokenDigests;
  private final int maxFailedAttempts;
  private final Duration failureWindow;
  private final Duration lockout;
  private final Map<String, Action> actions;
  private final Duration idleTimeout;
  private final Duration requestReadTimeout;
  private final int maxConnections;
  private final int maxThreads;
  private final int maxHeaderBytes;
  private final int maxBodyBytes;
  private final int maxFieldLength;
  private final int maxParameters;
  private final TlsSettings tls;
  private final boolean plainHttpBeyondLoopback;
  private final SwitchController switchController;
  private final LongSupplier epoch;
  private final Supplier<ConsistencyDiff> lastDiff;

  private OpsEndpointSettings(Builder b) {
    if (b.address == null) {
      throw new ConfigurationException("ops.address", null, "must be set");
    }
    this.address = b.address;
    this.port = Rules.between("ops.port", b.port, 0, 65_535);
    this.tokenDigests = Collections.unmodifiableMap(new LinkedHashMap<>(b.tokens));
    this.maxFailedAttempts = Rules.between("ops.max-failed-attempts", b.maxFailedAttempts, 1, 1000);
    this.failureWindow = Rules.positive("ops.failure-window", b.failureWindow);
    this.lockout = Rules.positive("ops.lockout", b.lockout);
    for (String name : b.actions.keySet()) {
      if (!ACTION.matcher(name).matches()) {
        throw new ConfigurationException(
            "ops.actions",
            name,
            "an action name must be lower case letters, digits, '.', '_', '-'");
      }
    }
    this.actions = Map.copyOf(b.actions);
    this.idleTimeout = Rules.positive("ops.idle-timeout", b.idleTimeout);
    this.requestReadTimeout = Rules.positive("ops.request-read-timeout", b.requestReadTimeout);
    if (requestReadTimeout.compareTo(idleTimeout) > 0) {
      throw new ConfigurationException(
          "ops.request-read-timeout",
          requestReadTimeout,
          "must not be longer than ops.idle-timeout (" + idleTimeout + ")");
    }
    this.maxConnections = Rules.between("ops.max-connections", b.maxConnections, 8, 100_000);
    this.maxThreads = Rules.between("ops.max-threads", b.maxThreads, 8, 256);
    this.maxHeaderBytes = Rules.between("ops.max-header-bytes", b.maxHeaderBytes, 1024, 65_536);
    this.maxBodyBytes = Rules.between("ops.max-body-bytes", b.maxBodyBytes, 0, 1 << 20);
    this.maxFieldLength = Rules.between("ops.max-field-length", b.maxFieldLength, 16, 8192);
    this.maxParameters = Rules.between("ops.max-parameters", b.maxParameters, 1, 256);
    this.tls = b.tls;
    this.plainHttpBeyondLoopback = b.plainHttpBeyondLoopback;
    if (tls == null && !address.isLoopbackAddress() && !plainHttpBeyondLoopback) {
      throw new ConfigurationException(
          "ops.tls",
          address.getHostAddress(),
          "an endpoint bound beyond loopback serves HTTPS only: give tls(...) with the"
              + " application's key store, or plainHttpBeyondLoopback(true) to accept bearer"
              + " tokens in clear text (reported as OPS_ENDPOINT_PLAIN_HTTP)");
    }
    this.switchController = b.switchController;
    this.epoch = b.epoch;
    this.lastDiff = b.lastDiff;
  }

  /**
   * Starts from loopback, a free port, no tokens, 5 failures a minute, 5 minutes lock-out, and the
   * limits documented on each {@link Builder} method.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Where to listen; loopback by default. */
  public InetAddress address() {
    return address;
  }

  /** The port; 0 picks a free one. */
  public int port() {
    return port;
  }

  /** Operator name by SHA-256 (hex) of its bearer token; the tokens themselves are not kept. */
  public Map<String, String> tokenDigests() {
    return tokenDigests;
  }

  /** Failed authentications from one client, within {@link #failureWindow()}, that lock it out. */
  public int maxFailedAttempts() {
    return maxFailedAttempts;
  }

  /** The window failures are counted in. */
  public Duration failureWindow() {
    return failureWindow;
  }

  /** How long a client is refused after too many failures. */
  public Duration lockout() {
    return lockout;
  }

  /** Operations the endpoint may perform besides the built-in ones, by name. */
  public Map<String, Action> actions() {
    return actions;
  }

  /** A connection with no bytes in either direction for this long is closed. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /**
   * A request's line and headers must arrive complete within this of the connection opening or the
   * previous response, however slowly the bytes trickle in; otherwise the connection is closed.
   */
  public Duration requestReadTimeout() {
    return requestReadTimeout;
  }

  /** Connections open at once; beyond it new ones wait in the accept queue. */
  public int maxConnections() {
    return maxConnections;
  }

  /** Threads of the endpoint's own pool (acceptor and selector included). */
  public int maxThreads() {
    return maxThreads;
  }

  /** The largest request line plus headers, in bytes (beyond: 431, or 414 for the line). */
  public int maxHeaderBytes() {
    return maxHeaderBytes;
  }

  /** The largest request body, in bytes (beyond: 413). */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** The longest value of {@code reason}, {@code target} or any other parameter (beyond: 400). */
  public int maxFieldLength() {
    return maxFieldLength;
  }

  /** The most parameters one request may carry, query and form together (beyond: 400). */
  public int maxParameters() {
    return maxParameters;
  }

  /** HTTPS, if configured. */
  public Optional<TlsSettings> tls() {
    return Optional.ofNullable(tls);
  }

  /** Whether plain HTTP beyond loopback was explicitly allowed. */
  public boolean plainHttpBeyondLoopback() {
    return plainHttpBeyondLoopback;
  }

  /** The switch controller whose gates the console shows and whose switchover it performs. */
  public Optional<SwitchController> switchController() {
    return Optional.ofNullable(switchController);
  }

  /** Where the current epoch is read from, for the console. */
  public Optional<LongSupplier> epoch() {
    return Optional.ofNullable(epoch);
  }

  /** Where the last localised consistency diff is read from, for the console. */
  public Optional<Supplier<ConsistencyDiff>> lastDiff() {
    return Optional.ofNullable(lastDiff);
  }

  @Override
  public String toString() {
    return "OpsEndpointSettings["
        + (tls == null ? "http://" : "https://")
        + address.getHostAddress()
        + ":"
        + port
        + ", operators "
        + tokenDigests.values()
        + ", actions "
        + actions.keySet()
        + ", max connections "
        + maxConnections
        + ", idle timeout "
        + idleTimeout
        + ", request read timeout "
        + requestReadTimeout
        + "]";
  }

  /** SHA-256 of a token, hex; also how the endpoint looks a presented token up. */
  static String digest(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Builds {@link OpsEndpointSettings}. Not thread-safe. */
  public static final class Builder {
    private InetAddress address = InetAddress.getLoopbackAddress();
    private int port;
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private int maxFailedAttempts = 5;
    private Duration failureWindow = Duration.ofMinutes(1);
    private Duration lockout = Duration.ofMinutes(5);
    private final Map<String, Action> actions = new LinkedHashMap<>();
    private Duration idleTimeout = Duration.ofSeconds(30);
    private Duration requestReadTimeout = Duration.ofSeconds(10);
    private int maxConnections = 1024;
    private int maxThreads = 16;
    private int maxHeaderBytes = 8 * 1024;
    private int maxBodyBytes = 16 * 1024;
    private int maxFieldLength = 512;
    private int maxParameters = 32;
    private TlsSettings tls;
    private boolean plainHttpBeyondLoopback;
    private SwitchController switchController;
    private LongSupplier epoch;
    private Supplier<ConsistencyDiff> lastDiff;

    private Builder() {}

    /**
     * Where to listen (default loopback). Beyond loopback reads need a token too, and the endpoint
     * serves HTTPS only unless {@link #plainHttpBeyondLoopback(boolean)} says otherwise.
     */
    public Builder address(InetAddress value) {
      this.address = value;
      return this;
    }

    /** The port (default 0: a free one). */
    public Builder port(int value) {
      this.port = value;
      return this;
    }

    /**
     * Lets {@code operator} change state with {@code token}; only the token's SHA-256 is kept.
     *
     * @throws ConfigurationException if the operator is blank or the token shorter than 32
     *     characters (the message never contains the token)
     */
    public Builder token(String operator, String token) {
      if (operator == null || operator.isBlank()) {
        throw new ConfigurationException("ops.tokens", "<hidden>", "each token needs an operator");
      }
      if (token == null || token.length() < 32) {
        throw new ConfigurationException(
            "ops.tokens." + operator,
            "<hidden>",
            "a token must have at least 32 characters (generate it, do not choose it)");
      }
      tokens.put(digest(token), operator);
      return this;
    }

    /** Failures from one client that lock it out (default 5). */
    public Builder maxFailedAttempts(int value) {
      this.maxFailedAttempts = value;
      return this;
    }

    /** The window failures are counted in (default 1 minute). */
    public Builder failureWindow(Duration value) {
      this.failureWindow = value;
      return this;
    }

    /** How long a locked-out client is refused (default 5 minutes). */
    public Builder lockout(Duration value) {
      this.lockout = value;
      return this;
    }

    /** Adds an operation the endpoint can perform. */
    public Builder action(String name, Risk risk, Function<Map<String, String>, Object> handler) {
      actions.put(name, new Action(risk, handler));
      return this;
    }

    /** Closes a connection silent for this long (default 30 s). */
    public Builder idleTimeout(Duration value) {
      this.idleTimeout = value;
      return this;
    }

    /**
     * Closes a connection whose request line and headers are not complete this long after it opened
     * or after the previous response (default 10 s; at most the idle timeout).
     */
    public Builder requestReadTimeout(Duration value) {
      this.requestReadTimeout = value;
      return this;
    }

    /** Connections open at once (default 1024, 8..100,000). */
    public Builder maxConnections(int value) {
      this.maxConnections = value;
      return this;
    }

    /** Threads of the endpoint's pool (default 16, 8..256). */
    public Builder maxThreads(int value) {
      this.maxThreads = value;
      return this;
    }

    /** Request line and headers, in bytes (default 8 KiB, 1 KiB..64 KiB). */
    public Builder maxHeaderBytes(int value) {
      this.maxHeaderBytes = value;
      return this;
    }

    /** Request body, in bytes (default 16 KiB, 0..1 MiB). */
    public Builder maxBodyBytes(int value) {
      this.maxBodyBytes = value;
      return this;
    }

    /** Characters of {@code reason}, {@code target} and other parameters (default 512). */
    public Builder maxFieldLength(int value) {
      this.maxFieldLength = value;
      return this;
    }

    /** Parameters per request (default 32). */
    public Builder maxParameters(int value) {
      this.maxParameters = value;
      return this;
    }

    /** Serves HTTPS with these settings (required beyond loopback unless told otherwise). */
    public Builder tls(TlsSettings value) {
      this.tls = value;
      return this;
    }

    /**
     * Allows plain HTTP on a non-loopback address (default false): bearer tokens then cross the
     * network in clear text, and {@code OPS_ENDPOINT_PLAIN_HTTP} says so at every start. Only for a
     * network that is itself encrypted and closed.
     */
    public Builder plainHttpBeyondLoopback(boolean value) {
      this.plainHttpBeyondLoopback = value;
      return this;
    }

    /**
     * The switch controller behind {@code switchover} and {@code failover} (both high risk, so
     * requested, approved by another operator and performed) and the gates the console shows.
     */
    public Builder switchController(SwitchController value) {
      this.switchController = value;
      return this;
    }

    /** Where the console reads the current epoch. */
    public Builder epoch(LongSupplier value) {
      this.epoch = value;
      return this;
    }

    /** Where the console reads the last localised consistency diff (null when there is none). */
    public Builder lastDiff(Supplier<ConsistencyDiff> value) {
      this.lastDiff = value;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws ConfigurationException naming the first bad setting (never a token's value), or
     *     {@code ops.tls} for a non-loopback address without TLS or an explicit plain-HTTP
     *     allowance
     */
    public OpsEndpointSettings build() {
      return new OpsEndpointSettings(this);
    }
  }
}
