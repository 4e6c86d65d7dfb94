package dev.stability.aeron;

import dev.stability.api.ConfigurationException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How the Aeron media driver runs: embedded in this process (the default: one line) or external
 * (production: its own process, its directory given here), and the settings that matter on the
 * wire. Two presets: {@link #lowCpu()} (one shared driver thread and back-off idling, for shared or
 * small hosts and for tests: busy-spinning starves everything on 2 cores) and {@link #lowLatency()}
 * (dedicated busy-spinning threads, for hosts with cores to spare). Immutable.
 */
public final class AeronMediaSettings {

  /** How the driver's and the SDK's Aeron threads wait for work. */
  public enum Idle {
    /** Back off from spinning to yielding to parking up to 1 ms: little CPU when idle. */
    LOW_CPU,
    /** Busy-spin on dedicated threads: the lowest latency, a whole core per thread. */
    LOW_LATENCY
  }

  private final Path directory;
  private final boolean embedded;
  private final Idle idle;
  private final int termLength;
  private final int mtu;
  private final int socketBufferBytes;

  private AeronMediaSettings(Builder builder) {
    this.directory = builder.directory;
    this.embedded = builder.embedded;
    this.idle = builder.idle;
    this.termLength = builder.termLength;
    this.mtu = builder.mtu;
    this.socketBufferBytes = builder.socketBufferBytes;
  }

  /** A builder preset for low CPU use: shared driver thread, back-off idling, embedded. */
  public static Builder lowCpu() {
    return new Builder(Idle.LOW_CPU);
  }

  /** A builder preset for low latency: dedicated busy-spinning driver threads, embedded. */
  public static Builder lowLatency() {
    return new Builder(Idle.LOW_LATENCY);
  }

  /** The driver's directory (its shared memory files); null: a fresh one under the temp dir. */
  public Path directory() {
    return directory;
  }

  /** Whether the SDK starts the driver in this process (true) or connects to a running one. */
  public boolean embedded() {
    return embedded;
  }

  /** How threads wait for work. */
  public Idle idle() {
    return idle;
  }

  /** Length of one term of a publication's log, bytes; a message may be up to an eighth of it. */
  public int termLength() {
    return termLength;
  }

  /** Largest datagram, bytes. */
  public int mtu() {
    return mtu;
  }

  /** Socket send and receive buffer size, bytes; 0 keeps the operating system's default. */
  public int socketBufferBytes() {
    return socketBufferBytes;
  }

  @Override
  public String toString() {
    return "AeronMediaSettings[idle="
        + idle
        + ", embedded="
        + embedded
        + ", dir="
        + directory
        + ", termLength="
        + termLength
        + ", mtu="
        + mtu
        + "]";
  }

  /** Builds {@link AeronMediaSettings}; validates each value. */
  public static final class Builder {
    private Path directory;
    private boolean embedded = true;
    private final Idle idle;
    private int termLength = 16 * 1024 * 1024;
    private int mtu = 1408;
    private int socketBufferBytes;

    private Builder(Idle idle) {
      this.idle = idle;
    }

    /** The driver's directory; for an external driver, the directory it was started with. */
    public Builder directory(Path value) {
      this.directory = Objects.requireNonNull(value, "directory");
      return this;
    }

    /**
     * Connect to a media driver already running with this directory instead of starting one.
     *
     * @throws ConfigurationException if {@code directory} is null
     */
    public Builder external(Path driverDirectory) {
      if (driverDirectory == null) {
        throw new ConfigurationException(
            "aeron.directory", null, "an external driver needs its directory");
      }
      this.directory = driverDirectory;
      this.embedded = false;
      return this;
    }

    /**
     * Term length of publications, bytes (Aeron's {@code aeron.term.buffer.length}).
     *
     * @throws ConfigurationException unless a power of two from 64 KiB to 1 GiB
     */
    public Builder termLength(int value) {
      if (value < 65_536 || value > 1 << 30 || Integer.bitCount(value) != 1) {
        throw new ConfigurationException(
            "aeron.term-length", value, "must be a power of two from 65536 to 1073741824");
      }
      this.termLength = value;
      return this;
    }

    /**
     * Largest datagram, bytes (Aeron's {@code aeron.mtu.length}).
     *
     * @throws ConfigurationException unless a multiple of 32 from 1024 to 65504
     */
    public Builder mtu(int value) {
      if (value < 1024 || value > 65_504 || value % 32 != 0) {
        throw new ConfigurationException(
            "aeron.mtu", value, "must be a multiple of 32 from 1024 to 65504");
      }
      this.mtu = value;
      return this;
    }

    /**
     * Socket send and receive buffers, bytes; 0 keeps the operating system's default (which the OS
     * may cap: raise {@code net.core.rmem_max} and {@code wmem_max} for large values).
     *
     * @throws ConfigurationException if negative
     */
    public Builder socketBufferBytes(int value) {
      if (value < 0) {
        throw new ConfigurationException("aeron.socket-buffer-bytes", value, "must be >= 0");
      }
      this.socketBufferBytes = value;
      return this;
    }

    /** Builds the settings. */
    public AeronMediaSettings build() {
      return new AeronMediaSettings(this);
    }
  }
}
