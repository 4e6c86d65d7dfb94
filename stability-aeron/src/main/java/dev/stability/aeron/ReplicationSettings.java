package dev.stability.aeron;

import dev.stability.api.ConfigurationException;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One replication of a primary's journal to its standbys: the two Aeron channels (records from the
 * primary; confirmations and catch-up requests back from the standby), the acknowledgement policy
 * and its timeout, and the lag that raises an event. The primary and the standby use equal
 * settings. Immutable; validated when built.
 *
 * <pre>{@code
 * ReplicationSettings settings = ReplicationSettings.builder("orders")
 *     .udp("standby-host:20121", "primary-host:20122")   // across hosts; .ipc() on one host
 *     .ack(AckPolicy.SEMI_SYNC).confirmTimeout(Duration.ofMillis(50))
 *     .build();
 * }</pre>
 */
public final class ReplicationSettings {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,47}");
  private static final Pattern ENDPOINT = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}");

  private final String name;
  private final String dataChannel;
  private final int dataStream;
  private final String controlChannel;
  private final int controlStream;
  private final int replayStream;
  private final int warmStream;
  private final int warmFeedbackStream;
  private final AckPolicy ack;
  private final Duration confirmTimeout;
  private final ConfirmTimeoutAction onConfirmTimeout;
  private final long maxLag;
  private final Duration heartbeat;

  private ReplicationSettings(Builder builder) {
    this.name = builder.name;
    this.dataChannel = builder.dataChannel;
    this.dataStream = builder.dataStream;
    this.controlChannel = builder.controlChannel;
    this.controlStream = builder.controlStream;
    this.replayStream = builder.replayStream;
    this.warmStream = builder.warmStream;
    this.warmFeedbackStream = builder.warmFeedbackStream;
    this.ack = builder.ack;
    this.confirmTimeout = builder.confirmTimeout;
    this.onConfirmTimeout = builder.onConfirmTimeout;
    this.maxLag = builder.maxLag;
    this.heartbeat = builder.heartbeat;
  }

  /**
   * A builder for the replication {@code name} (lower-case letters, digits and '-'), over IPC until
   * {@link Builder#udp} is called.
   *
   * @throws ConfigurationException if the name is malformed
   */
  public static Builder builder(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ConfigurationException(
          "replication.name",
          name,
          "must be 1-48 lower-case letters, digits or '-', a letter first");
    }
    return new Builder(name);
  }

  /** The replication's name, in events and metrics. */
  public String name() {
    return name;
  }

  /** The Aeron channel the primary sends records on (the standby's endpoint for UDP). */
  public String dataChannel() {
    return dataChannel;
  }

  /** The stream id of records. */
  public int dataStream() {
    return dataStream;
  }

  /** The Aeron channel the standby sends confirmations and requests on (the primary's endpoint). */
  public String controlChannel() {
    return controlChannel;
  }

  /** The stream id of confirmations and requests. */
  public int controlStream() {
    return controlStream;
  }

  /**
   * The stream id on the data channel that an archive replays to a standby catching up (the
   * primary's media must be {@link AeronMediaSettings#archived() archived}).
   */
  public int replayStream() {
    return replayStream;
  }

  /**
   * The stream id on the data channel that carries the primary's state to a warm standby ({@link
   * AeronWarmLink}).
   */
  public int warmStream() {
    return warmStream;
  }

  /** The stream id on the control channel that carries the standby's replica head back. */
  public int warmFeedbackStream() {
    return warmFeedbackStream;
  }

  /** When a record counts as durable on the primary. */
  public AckPolicy ack() {
    return ack;
  }

  /** SEMI_SYNC: how long records may wait for a standby's confirmation. */
  public Duration confirmTimeout() {
    return confirmTimeout;
  }

  /** SEMI_SYNC: what happens when the timeout passes. */
  public ConfirmTimeoutAction onConfirmTimeout() {
    return onConfirmTimeout;
  }

  /** Unconfirmed records above which {@code REPLICATION_LAG_HIGH} is raised. */
  public long maxLag() {
    return maxLag;
  }

  /** How often each side says it is alive when it has nothing else to send. */
  public Duration heartbeat() {
    return heartbeat;
  }

  @Override
  public String toString() {
    return "ReplicationSettings["
        + name
        + ", data="
        + dataChannel
        + "#"
        + dataStream
        + ", control="
        + controlChannel
        + "#"
        + controlStream
        + ", ack="
        + ack
        + "]";
  }

  /** Builds {@link ReplicationSettings}; validates each value. */
  public static final class Builder {
    private final String name;
    private String dataChannel = "aeron:ipc";
    private int dataStream = 1001;
    private String controlChannel = "aeron:ipc";
    private int controlStream = 1002;
    private int replayStream = 1003;
    private int warmStream = 1004;
    private int warmFeedbackStream = 1005;
    private AckPolicy ack = AckPolicy.ASYNC;
    private Duration confirmTimeout = Duration.ofMillis(100);
    private ConfirmTimeoutAction onConfirmTimeout = ConfirmTimeoutAction.DEGRADE;
    private long maxLag = 10_000;
    private Duration heartbeat = Duration.ofMillis(100);

    private Builder(String name) {
      this.name = name;
    }

    /**
     * UDP unicast across hosts: records go to {@code standbyEndpoint}, confirmations come back to
     * {@code primaryEndpoint} (each {@code host:port}).
     *
     * @throws ConfigurationException if an endpoint is not {@code host:port}
     */
    public Builder udp(String standbyEndpoint, String primaryEndpoint) {
      this.dataChannel =
          "aeron:udp?endpoint=" + endpoint("replication.standby-endpoint", standbyEndpoint);
      this.controlChannel =
          "aeron:udp?endpoint=" + endpoint("replication.primary-endpoint", primaryEndpoint);
      return this;
    }

    /** Shared memory between two processes on one host (the default). */
    public Builder ipc() {
      this.dataChannel = "aeron:ipc";
      this.controlChannel = "aeron:ipc";
      return this;
    }

    /**
     * The stream ids of records and of confirmations (defaults 1001 and 1002).
     *
     * @throws ConfigurationException if they are equal or not positive
     */
    public Builder streams(int data, int control) {
      if (data <= 0 || control <= 0 || data == control) {
        throw new ConfigurationException(
            "replication.streams", data + "/" + control, "must be two different positive ids");
      }
      this.dataStream = data;
      this.controlStream = control;
      return this;
    }

    /**
     * The stream id an archive replays to a catching-up standby on (default 1003).
     *
     * @throws ConfigurationException if not positive (or, when built, equal to another stream id)
     */
    public Builder replayStream(int value) {
      if (value <= 0) {
        throw new ConfigurationException("replication.replay-stream", value, "must be positive");
      }
      this.replayStream = value;
      return this;
    }

    /**
     * The stream ids of a warm standby's state and of its replica head sent back (defaults 1004 and
     * 1005).
     *
     * @throws ConfigurationException if they are equal or not positive (or, when built, equal to
     *     another stream id)
     */
    public Builder warmStreams(int state, int feedback) {
      if (state <= 0 || feedback <= 0 || state == feedback) {
        throw new ConfigurationException(
            "replication.warm-streams",
            state + "/" + feedback,
            "must be two different positive ids");
      }
      this.warmStream = state;
      this.warmFeedbackStream = feedback;
      return this;
    }

    /** The acknowledgement policy (default ASYNC). */
    public Builder ack(AckPolicy value) {
      this.ack = Objects.requireNonNull(value, "ack");
      return this;
    }

    /**
     * SEMI_SYNC: how long records may wait for a confirmation (default 100 ms).
     *
     * @throws ConfigurationException unless from 1 ms to 1 min
     */
    public Builder confirmTimeout(Duration value) {
      if (value == null
          || value.compareTo(Duration.ofMillis(1)) < 0
          || value.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new ConfigurationException(
            "replication.confirm-timeout", value, "must be from 1 ms to 1 min");
      }
      this.confirmTimeout = value;
      return this;
    }

    /** SEMI_SYNC: degrade to ASYNC (default) or refuse input when the timeout passes. */
    public Builder onConfirmTimeout(ConfirmTimeoutAction value) {
      this.onConfirmTimeout = Objects.requireNonNull(value, "onConfirmTimeout");
      return this;
    }

    /**
     * Unconfirmed records above which {@code REPLICATION_LAG_HIGH} is raised (default 10000).
     *
     * @throws ConfigurationException if below 1
     */
    public Builder maxLag(long value) {
      if (value < 1) {
        throw new ConfigurationException("replication.max-lag", value, "must be >= 1");
      }
      this.maxLag = value;
      return this;
    }

    /**
     * How often each side says it is alive when idle (default 100 ms).
     *
     * @throws ConfigurationException unless from 1 ms to 10 s
     */
    public Builder heartbeat(Duration value) {
      if (value == null
          || value.compareTo(Duration.ofMillis(1)) < 0
          || value.compareTo(Duration.ofSeconds(10)) > 0) {
        throw new ConfigurationException(
            "replication.heartbeat", value, "must be from 1 ms to 10 s");
      }
      this.heartbeat = value;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws ConfigurationException if the replay stream id is also the data or control one
     */
    public ReplicationSettings build() {
      if (replayStream == dataStream || replayStream == controlStream) {
        throw new ConfigurationException(
            "replication.replay-stream",
            replayStream,
            "must differ from the data ("
                + dataStream
                + ") and control ("
                + controlStream
                + ") stream ids");
      }
      java.util.Set<Integer> ids = new java.util.HashSet<>();
      for (int id : new int[] {dataStream, controlStream, replayStream}) {
        ids.add(id);
      }
      if (ids.contains(warmStream) || ids.contains(warmFeedbackStream)) {
        throw new ConfigurationException(
            "replication.warm-streams",
            warmStream + "/" + warmFeedbackStream,
            "must differ from the data ("
                + dataStream
                + "), control ("
                + controlStream
                + ") and replay ("
                + replayStream
                + ") stream ids");
      }
      return new ReplicationSettings(this);
    }

    private static String endpoint(String key, String value) {
      if (value == null || !ENDPOINT.matcher(value).matches()) {
        throw new ConfigurationException(key, value, "must be host:port");
      }
      int port = Integer.parseInt(value.substring(value.lastIndexOf(':') + 1));
      if (port < 1 || port > 65_535) {
        throw new ConfigurationException(key, value, "port must be 1..65535");
      }
      return value;
    }
  }
}
