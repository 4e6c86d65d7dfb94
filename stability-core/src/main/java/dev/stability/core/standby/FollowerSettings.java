package dev.stability.core.standby;

import dev.stability.api.ConfigurationException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * How a standby follows the primary's journal (R9, R10). Immutable; build with {@link
 * #builder(String, Path)}.
 *
 * @param name the standby's name (its checkpoints' source)
 * @param stateDirectory where the follower keeps its position and snapshots
 * @param start how it starts: from its recorded position, or from a snapshot and the tail
 * @param checkpointEvery publish a checkpoint (digest) to the auditor every this many records
 * @param snapshotEvery take a snapshot every this many records (0 = only when asked)
 * @param maxLag records behind the primary above which the standby reports itself lagging
 */
public record FollowerSettings(
    String name,
    Path stateDirectory,
    Start start,
    long checkpointEvery,
    long snapshotEvery,
    long maxLag) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{0,63}");

  /** How a follower starts. */
  public enum Start {
    /**
     * For a state machine that kept its state across the restart (its own durable store): after the
     * state machine's own {@code lastApplied()} when it keeps one (exact after any crash), else
     * after the follower's recorded position (written at every checkpoint, when idle at most ten
     * times a second, and at stop: exact after a clean stop; after a crash the records since the
     * last write are applied again).
     */
    RESUME,
    /**
     * From the newest snapshot (its state and sequence restored together), then the tail of the
     * journal; from the beginning if there is no snapshot. Exact after any crash.
     */
    REBUILD
  }

  /** Validates. */
  public FollowerSettings {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ConfigurationException(
          "standby.name",
          name,
          "must be lower case letters, digits, '.', '_' or '-', 1-64 characters");
    }
    if (stateDirectory == null) {
      throw new ConfigurationException("standby." + name + ".state-directory", null, "must be set");
    }
    if (start == null) {
      throw new ConfigurationException("standby." + name + ".start", null, "must be set");
    }
    if (checkpointEvery < 1) {
      throw new ConfigurationException(
          "standby." + name + ".checkpoint-every", checkpointEvery, "must be >= 1");
    }
    if (snapshotEvery < 0) {
      throw new ConfigurationException(
          "standby." + name + ".snapshot-every", snapshotEvery, "must be >= 0 (0 = on request)");
    }
    if (maxLag < 0) {
      throw new ConfigurationException("standby." + name + ".max-lag", maxLag, "must be >= 0");
    }
  }

  /** Defaults: rebuild at start, checkpoint every 10000, snapshot on request, max lag 10000. */
  public static Builder builder(String name, Path stateDirectory) {
    return new Builder(name, stateDirectory);
  }

  /** Builds {@link FollowerSettings}. */
  public static final class Builder {
    private final String name;
    private final Path stateDirectory;
    private Start start = Start.REBUILD;
    private long checkpointEvery = 10_000;
    private long snapshotEvery;
    private long maxLag = 10_000;

    private Builder(String name, Path stateDirectory) {
      this.name = name;
      this.stateDirectory = stateDirectory;
    }

    /** How to start. */
    public Builder start(Start value) {
      this.start = value;
      return this;
    }

    /** Records between checkpoints. */
    public Builder checkpointEvery(long value) {
      this.checkpointEvery = value;
      return this;
    }

    /** Records between snapshots (0 = only when asked). */
    public Builder snapshotEvery(long value) {
      this.snapshotEvery = value;
      return this;
    }

    /** Records behind the primary that count as lagging. */
    public Builder maxLag(long value) {
      this.maxLag = value;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws ConfigurationException naming the first bad setting
     */
    public FollowerSettings build() {
      return new FollowerSettings(
          name, stateDirectory, start, checkpointEvery, snapshotEvery, maxLag);
    }
  }
}
