package dev.stability.core.journal;

import dev.stability.api.ConfigurationException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and how a file journal is kept (R9). Immutable; build with {@link #builder(String, Path)}.
 *
 * @param name the journal's name, used as the {@code journal} tag of its metrics
 * @param directory the directory of its segment files
 * @param segmentSize bytes per segment file, 1 MiB to 1 GiB (default 64 MiB); a record must fit in
 *     one segment
 * @param flush when records are forced to storage (default every record)
 * @param pretouch whether a background thread takes the page faults of the segment's next pages
 *     ahead of the appender (default false): see {@link Builder#pretouch(boolean)}
 */
public record JournalSettings(
    String name, Path directory, int segmentSize, FlushPolicy flush, boolean pretouch) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{0,63}");

  /** Validates. */
  public JournalSettings {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ConfigurationException(
          "journal.name",
          name,
          "must be lower case letters, digits, '.', '_' or '-', 1-64 characters");
    }
    if (directory == null) {
      throw new ConfigurationException("journal." + name + ".directory", null, "must be set");
    }
    if (segmentSize < (1 << 20) || segmentSize > (1 << 30)) {
      throw new ConfigurationException(
          "journal." + name + ".segment-size", segmentSize, "must be between 1 MiB and 1 GiB");
    }
    if (segmentSize % 4096 != 0) {
      throw new ConfigurationException(
          "journal." + name + ".segment-size", segmentSize, "must be a multiple of 4096 (a page)");
    }
    Objects.requireNonNull(flush, "flush");
  }

  /** Starts settings for a journal in {@code directory}. */
  public static Builder builder(String name, Path directory) {
    return new Builder(name, directory);
  }

  /** The largest payload a record may carry. */
  public int maxPayload() {
    return segmentSize - 64 - 32 - 8;
  }

  /** Builds {@link JournalSettings}. */
  public static final class Builder {
    private final String name;
    private final Path directory;
    private int segmentSize = 64 << 20;
    private FlushPolicy flush = FlushPolicy.everyRecord();
    private boolean pretouch;

    private Builder(String name, Path directory) {
      this.name = name;
      this.directory = directory;
    }

    /** Bytes per segment file. */
    public Builder segmentSize(int value) {
      this.segmentSize = value;
      return this;
    }

    /** The flush policy. */
    public Builder flush(FlushPolicy value) {
      this.flush = value;
      return this;
    }

    /**
     * With {@code true}, a daemon thread ({@code stability-journal-pretouch-<name>}) touches the
     * current segment's pages up to 1 MiB ahead of the appender, so the appender finds them mapped:
     * the first write to a page of a new memory-mapped file is a page fault (5-7 µs per 4 KiB page
     * on the virtual machines measured, about one in 57 records of 72 bytes) that otherwise lands
     * on the appending thread, the order path. The touch is an atomic add of zero to the page's
     * first word, so a record written at the same moment is never changed. The cost moves, it does
     * not disappear: the same CPU is spent on that thread, and every page of each segment is
     * written once (a segment takes its full size on disk as it fills). Worth it where the appender
     * has a core of its own and a spare core takes the faults; on a machine with no spare core it
     * only moves the work. Default false.
     */
    public Builder pretouch(boolean value) {
      this.pretouch = value;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws ConfigurationException naming the first bad setting
     */
    public JournalSettings build() {
      return new JournalSettings(name, directory, segmentSize, flush, pretouch);
    }
  }
}
