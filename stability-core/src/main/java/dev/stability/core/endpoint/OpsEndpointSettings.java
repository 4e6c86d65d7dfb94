package dev.stability.core.endpoint;

import dev.stability.api.ConfigurationException;
import dev.stability.core.internal.Rules;
import dev.stability.core.operations.Risk;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How the ops endpoint listens and whom it lets change things (R15). Immutable; build with {@link
 * #builder()}. Tokens are secrets: they are compared in constant time and never logged or printed
 * ({@link #toString()} shows only operator names).
 *
 * @param address where to listen; loopback by default
 * @param port the port; 0 picks a free one
 * @param tokenDigests operator name by SHA-256 (hex) of its bearer token: every state-changing
 *     request is recorded under the operator its token belongs to; the tokens themselves are not
 *     kept
 * @param maxFailedAttempts failed authentications from one client, within {@code failureWindow},
 *     that lock it out (default 5)
 * @param failureWindow the window failures are counted in (default 1 minute)
 * @param lockout how long a client is refused after too many failures (default 5 minutes)
 * @param actions operations the endpoint may perform besides the built-in guard actions, by name
 */
public record OpsEndpointSettings(
    InetAddress address,
    int port,
    Map<String, String> tokenDigests,
    int maxFailedAttempts,
    Duration failureWindow,
    Duration lockout,
    Map<String, Action> actions) {

  private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9._-]{0,63}");

  /**
   * An operation the endpoint can perform on request ({@code POST /operations/<name>}), such as a
   * switchover: its risk decides whether it needs an approval and a closed change window.
   *
   * @param risk how much care it needs
   * @param handler does the work with the request's parameters ({@code target} and {@code p.*}) and
   *     returns what the response shows
   */
  public record Action(Risk risk, Function<Map<String, String>, Object> handler) {}

  /** Validates and copies. */
  public OpsEndpointSettings {
    if (address == null) {
      throw new ConfigurationException("ops.address", null, "must be set");
    }
    Rules.between("ops.port", port, 0, 65_535);
    tokenDigests = Collections.unmodifiableMap(new LinkedHashMap<>(tokenDigests));
    Rules.between("ops.max-failed-attempts", maxFailedAttempts, 1, 1000);
    Rules.positive("ops.failure-window", failureWindow);
    Rules.positive("ops.lockout", lockout);
    for (String name : actions.keySet()) {
      if (!ACTION.matcher(name).matches()) {
        throw new ConfigurationException(
            "ops.actions",
            name,
            "an action name must be lower case letters, digits, '.', '_', '-'");
      }
    }
    actions = Map.copyOf(actions);
  }

  /** Starts from loopback, a free port, no tokens, 5 failures a minute, 5 minutes lock-out. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String toString() {
    return "OpsEndpointSettings["
        + address.getHostAddress()
        + ":"
        + port
        + ", operators "
        + tokenDigests.values()
        + ", actions "
        + actions.keySet()
        + "]";
  }

  /** Builds {@link OpsEndpointSettings}. */
  public static final class Builder {
    private InetAddress address = InetAddress.getLoopbackAddress();
    private int port;
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private int maxFailedAttempts = 5;
    private Duration failureWindow = Duration.ofMinutes(1);
    private Duration lockout = Duration.ofMinutes(5);
    private final Map<String, Action> actions = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Where to listen (default loopback). A non-loopback address also puts reads behind a token.
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

    /** SHA-256 of a token, hex; also how the endpoint looks a presented token up. */
    static String digest(String token) {
      try {
        return java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java runtime has SHA-256", e);
      }
    }

    /** Failures from one client that lock it out. */
    public Builder maxFailedAttempts(int value) {
      this.maxFailedAttempts = value;
      return this;
    }

    /** The window failures are counted in. */
    public Builder failureWindow(Duration value) {
      this.failureWindow = value;
      return this;
    }

    /** How long a locked-out client is refused. */
    public Builder lockout(Duration value) {
      this.lockout = value;
      return this;
    }

    /** Adds an operation the endpoint can perform. */
    public Builder action(String name, Risk risk, Function<Map<String, String>, Object> handler) {
      actions.put(name, new Action(risk, handler));
      return this;
    }

    /**
     * Builds the options.
     *
     * @throws ConfigurationException naming the first bad setting (never a token's value)
     */
    public OpsEndpointSettings build() {
      return new OpsEndpointSettings(
          address, port, tokens, maxFailedAttempts, failureWindow, lockout, actions);
    }
  }
}
