package dev.stability.aeron;

import dev.stability.api.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
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
    /**
     * Back off from spinning to yielding to parking up to {@link #maxIdle()} (1 ms by default):
     * little CPU when idle.
     */
    LOW_CPU,
    /** Busy-spin on dedicated threads: the lowest latency, a whole core per thread. */
    LOW_LATENCY
  }

  private final Path directory;
  private final boolean embedded;
  private final Idle idle;
  private final Duration maxIdle;
  private final int termLength;
  private final int mtu;
  private final int socketBufferBytes;
  private final Path archiveDirectory;
  private final boolean externalArchive;
  private final int archiveSegmentLength;
  private final long archiveKeepBytes;

  /** How long a low-CPU thread parks at most by default: 1 ms. */
  public static final Duration DEFAULT_MAX_IDLE = Duration.ofMillis(1);

  private AeronMediaSettings(Builder builder) {
    this.directory = builder.directory;
    this.embedded = builder.embedded;
    this.idle = builder.idle;
    this.maxIdle = builder.maxIdle;
    this.termLength = builder.termLength;
    this.mtu = builder.mtu;
    this.socketBufferBytes = builder.socketBufferBytes;
    this.archiveDirectory = builder.archiveDirectory;
    this.externalArchive = builder.externalArchive;
    this.archiveSegmentLength = builder.archiveSegmentLength;
    this.archiveKeepBytes = builder.archiveKeepBytes;
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

  /**
   * The longest a {@link Idle#LOW_CPU} thread (the shared driver thread, the archive's, the SDK's
   * replication threads) parks when it finds no work: the latency a quiet stream may add per
   * hand-off between threads. Zero with {@link Idle#LOW_LATENCY} (busy-spin never parks).
   */
  public Duration maxIdle() {
    return maxIdle;
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

  /**
   * Whether an Aeron Archive records what this process publishes, so that standbys catch up from
   * the archive rather than from the journal ({@link Builder#archive}, {@link
   * Builder#externalArchive}).
   */
  public boolean archived() {
    return archiveDirectory != null || externalArchive;
  }

  /** The embedded archive's directory, or null (no archive, or an external one). */
  public Path archiveDirectory() {
    return archiveDirectory;
  }

  /** Length of one archive segment file, bytes: the unit in which old recording is purged. */
  public int archiveSegmentLength() {
    return archiveSegmentLength;
  }

  /**
   * How much of each recording the publisher keeps, bytes: whole segments older than the last this
   * many bytes are purged; 0 keeps everything.
   */
  public long archiveKeepBytes() {
    return archiveKeepBytes;
  }

  @Override
  public String toString() {
    return "AeronMediaSettings[idle="
        + idle
        + (idle == Idle.LOW_CPU ? ", maxIdle=" + maxIdle : "")
        + ", embedded="
        + embedded
        + ", dir="
        + directory
        + ", termLength="
        + termLength
        + ", mtu="
        + mtu
        + (archived()
            ? ", archive=" + (externalArchive ? "external" : archiveDirectory.toString())
            : "")
        + "]";
  }

  /** Builds {@link AeronMediaSettings}; validates each value. */
  public static final class Builder {
    private Path directory;
    private boolean embedded = true;
    private final Idle idle;
    private Duration maxIdle;
    private int termLength = 16 * 1024 * 1024;
    private int mtu = 1408;
    private int socketBufferBytes;
    private Path archiveDirectory;
    private boolean externalArchive;
    private int archiveSegmentLength = 128 * 1024 * 1024;
    private long archiveKeepBytes;

    private Builder(Idle idle) {
      this.idle = idle;
      this.maxIdle = idle == Idle.LOW_CPU ? DEFAULT_MAX_IDLE : Duration.ZERO;
    }

    /**
     * With {@link #lowCpu()}, the longest a thread parks when it finds no work (default 1 ms, from
     * 1 µs to 100 ms): each hand-off between polling threads of a quiet stream may wait this long,
     * so a SEMI_SYNC primary's append-to-confirm tail shrinks with it, at the price of more
     * wake-ups (CPU) when idle. Busy-spin ({@link #lowLatency()}) never parks.
     *
     * @throws ConfigurationException if out of range, or with the low-latency preset
     */
    public Builder maxIdle(Duration value) {
      if (idle != Idle.LOW_CPU) {
        throw new ConfigurationException(
            "aeron.max-idle", value, "applies to the low-CPU preset only (busy-spin never parks)");
      }
      if (value == null
          || value.compareTo(Duration.ofNanos(1_000)) < 0
          || value.compareTo(Duration.ofMillis(100)) > 0) {
        throw new ConfigurationException("aeron.max-idle", value, "must be from 1 µs to 100 ms");
      }
      this.maxIdle = value;
      return this;
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

    /**
     * Run an Aeron Archive in this process beside the embedded driver, recording into {@code
     * directory} what this process publishes: a standby that restarts behind then catches up from
     * the archive (a replay to it alone) rather than from the journal. The directory is emptied at
     * start: a recording serves the process that made it.
     *
     * @throws ConfigurationException if {@code directory} is null
     */
    public Builder archive(Path directory) {
      if (directory == null) {
        throw new ConfigurationException(
            "aeron.archive.directory", null, "an embedded archive needs a directory");
      }
      this.archiveDirectory = directory;
      return this;
    }

    /**
     * The external driver runs an Aeron Archive ({@code ArchivingMediaDriver}) that this process
     * reaches on the archive's local (IPC) control channel with Aeron's default stream ids.
     */
    public Builder externalArchive() {
      this.externalArchive = true;
      return this;
    }

    /**
     * Length of one archive segment file (Aeron's {@code aeron.archive.segment.file.length},
     * default 128 MiB): old recording is purged a whole segment at a time.
     *
     * @throws ConfigurationException unless a power of two from 64 KiB to 1 GiB (and, when built,
     *     at least the term length)
     */
    public Builder archiveSegmentLength(int value) {
      if (value < 65_536 || value > 1 << 30 || Integer.bitCount(value) != 1) {
        throw new ConfigurationException(
            "aeron.archive.segment-length",
            value,
            "must be a power of two from 65536 to 1073741824");
      }
      this.archiveSegmentLength = value;
      return this;
    }

    /**
     * Keep at least the last {@code bytes} of each recording and purge whole segments before them
     * (default 0: keep everything). A standby further behind than what is kept catches up from the
     * primary's journal instead, and says so.
     *
     * @throws ConfigurationException if negative
     */
    public Builder archiveKeepBytes(long bytes) {
      if (bytes < 0) {
        throw new ConfigurationException(
            "aeron.archive.keep-bytes", bytes, "must be >= 0 (0 keeps everything)");
      }
      this.archiveKeepBytes = bytes;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws ConfigurationException if the values do not fit together: an embedded archive with an
     *     external driver (or an external archive with an embedded one), or an archive segment
     *     shorter than a term
     */
    public AeronMediaSettings build() {
      if (archiveDirectory != null && !embedded) {
        throw new ConfigurationException(
            "aeron.archive.directory",
            archiveDirectory,
            "an embedded archive needs the embedded driver; with an external driver use"
                + " externalArchive()");
      }
      if (externalArchive && embedded) {
        throw new ConfigurationException(
            "aeron.archive.external",
            true,
            "an external archive needs an external driver (external(directory))");
      }
      if (externalArchive && archiveDirectory != null) {
        throw new ConfigurationException(
            "aeron.archive.external", true, "choose an embedded or an external archive, not both");
      }
      if ((archiveDirectory != null || externalArchive) && archiveSegmentLength < termLength) {
        throw new ConfigurationException(
            "aeron.archive.segment-length",
            archiveSegmentLength,
            "must be at least the term length (" + termLength + ")");
      }
      return new AeronMediaSettings(this);
    }
  }
}
