package dev.stability.zookeeper;

import dev.stability.api.ConfigurationException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * How the SDK reaches a ZooKeeper ensemble: the connect string, the session timeout the role
 * lease's timing rests on, where under the ensemble's tree the SDK keeps its nodes, and optional
 * authentication (with it, every node the SDK creates is readable and writable by the creator's
 * identity alone). Immutable; validated when built.
 */
public final class ZooKeeperSettings {

  private final String connectString;
  private final Duration sessionTimeout;
  private final Duration connectionTimeout;
  private final String root;
  private final String authScheme;
  private final byte[] auth;

  private ZooKeeperSettings(Builder builder) {
    this.connectString = builder.connectString;
    this.sessionTimeout = builder.sessionTimeout;
    this.connectionTimeout = builder.connectionTimeout;
    this.root = builder.root;
    this.authScheme = builder.authScheme;
    this.auth = builder.auth;
  }

  /**
   * A builder for the ensemble at {@code connectString} ({@code host:port,host:port,...}, as
   * ZooKeeper takes it), with a 10 s session, a 5 s connection timeout and the root {@code
   * /stability}.
   */
  public static Builder builder(String connectString) {
    return new Builder(connectString);
  }

  /** The ensemble's servers, {@code host:port,...}. */
  public String connectString() {
    return connectString;
  }

  /**
   * The session timeout asked of the ensemble (it may grant another within its {@code
   * minSessionTimeout..maxSessionTimeout}; the lease uses what was granted).
   */
  public Duration sessionTimeout() {
    return sessionTimeout;
  }

  /** How long connecting may take before an operation fails. */
  public Duration connectionTimeout() {
    return connectionTimeout;
  }

  /** The path under which the SDK keeps its nodes. */
  public String root() {
    return root;
  }

  /** The authentication scheme (e.g. {@code digest}), if any. */
  public Optional<String> authScheme() {
    return Optional.ofNullable(authScheme);
  }

  /** The authentication bytes for {@link #authScheme()} (a copy), if any. */
  public Optional<byte[]> auth() {
    return Optional.ofNullable(auth).map(a -> a.clone());
  }

  @Override
  public String toString() {
    return "ZooKeeperSettings[connectString="
        + connectString
        + ", sessionTimeout="
        + sessionTimeout
        + ", connectionTimeout="
        + connectionTimeout
        + ", root="
        + root
        + ", auth="
        + (authScheme == null ? "none" : authScheme + ":***")
        + "]";
  }

  /** Builds {@link ZooKeeperSettings}. */
  public static final class Builder {
    private final String connectString;
    private Duration sessionTimeout = Duration.ofSeconds(10);
    private Duration connectionTimeout = Duration.ofSeconds(5);
    private String root = "/stability";
    private String authScheme;
    private byte[] auth;

    private Builder(String connectString) {
      this.connectString = connectString;
    }

    /** The session timeout to ask for (default 10 s). */
    public Builder sessionTimeout(Duration value) {
      this.sessionTimeout = value;
      return this;
    }

    /** How long connecting may take (default 5 s). */
    public Builder connectionTimeout(Duration value) {
      this.connectionTimeout = value;
      return this;
    }

    /** The path under which the SDK keeps its nodes (default {@code /stability}). */
    public Builder root(String value) {
      this.root = value;
      return this;
    }

    /**
     * Authenticates every connection with {@code scheme} and {@code auth} (e.g. {@code digest} and
     * {@code "user:password"}); the nodes the SDK creates then carry ZooKeeper's creator-only ACL.
     */
    public Builder authorization(String scheme, String auth) {
      this.authScheme = scheme;
      this.auth = auth == null ? null : auth.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws ConfigurationException naming the key, the value and the rule broken
     */
    public ZooKeeperSettings build() {
      if (connectString == null || connectString.isBlank()) {
        throw new ConfigurationException(
            "zookeeper.connect-string", connectString, "must list at least one host:port");
      }
      for (String server : connectString.split(",")) {
        if (!server.strip().matches("[^:/\\s]+:\\d{1,5}")) {
          throw new ConfigurationException(
              "zookeeper.connect-string",
              connectString,
              "must be host:port[,host:port...] (" + server.strip() + " is not)");
        }
      }
      if (sessionTimeout == null
          || sessionTimeout.compareTo(Duration.ofMillis(100)) < 0
          || sessionTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new ConfigurationException(
            "zookeeper.session-timeout", sessionTimeout, "must be from 100 ms to 10 min");
      }
      if (connectionTimeout == null
          || connectionTimeout.isNegative()
          || connectionTimeout.isZero()) {
        throw new ConfigurationException(
            "zookeeper.connection-timeout", connectionTimeout, "must be positive");
      }
      if (root == null || !root.matches("(/[A-Za-z0-9._-]+)+")) {
        throw new ConfigurationException(
            "zookeeper.root",
            root,
            "must be an absolute path of names made of letters, digits, '.', '_' and '-'");
      }
      if ((authScheme == null) != (auth == null)
          || (authScheme != null && (authScheme.isBlank() || auth.length == 0))) {
        throw new ConfigurationException(
            "zookeeper.authorization",
            authScheme == null ? null : authScheme + ":***",
            "must give both a scheme and credentials, or neither");
      }
      return new ZooKeeperSettings(this);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ZooKeeperSettings that
        && connectString.equals(that.connectString)
        && sessionTimeout.equals(that.sessionTimeout)
        && connectionTimeout.equals(that.connectionTimeout)
        && root.equals(that.root)
        && Objects.equals(authScheme, that.authScheme)
        && Arrays.equals(auth, that.auth);
  }

  @Override
  public int hashCode() {
    return Objects.hash(connectString, sessionTimeout, root, authScheme);
  }
}
