package dev.stability.aeron;

import io.aeron.Aeron;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.ArchivingMediaDriver;
import io.aeron.archive.client.AeronArchive;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The Aeron media driver and client a process replicates through: one per process, shared by its
 * publishers and receivers. Embedded by default, which needs nothing installed:
 *
 * <pre>{@code
 * try (AeronMedia media = AeronMedia.start(AeronMediaSettings.lowCpu().build())) { ... }
 * }</pre>
 *
 * <p>or connected to an external driver ({@code AeronMediaSettings.lowCpu().external(dir)}).
 * Thread-safe; {@link #close()} closes the client and stops an embedded driver (deleting its
 * directory).
 */
public final class AeronMedia implements AutoCloseable {

  private final AeronMediaSettings settings;
  private final AutoCloseable driver;
  private final Aeron aeron;
  private final AeronArchive archive;

  private AeronMedia(
      AeronMediaSettings settings, AutoCloseable driver, Aeron aeron, AeronArchive archive) {
    this.settings = settings;
    this.driver = driver;
    this.aeron = aeron;
    this.archive = archive;
  }

  /**
   * Starts an embedded driver (or connects to an external one) and an Aeron client on it.
   *
   * @throws UncheckedIOException if the driver's directory cannot be made
   * @throws IllegalStateException if no driver answers (external) within Aeron's driver timeout
   */
  public static AeronMedia start(AeronMediaSettings settings) {
    return start(settings, context -> {});
  }

  /**
   * As {@link #start(AeronMediaSettings)}, with a last say on the embedded driver's context: for
   * tests that inject packet loss with Aeron's own debug channel endpoints.
   */
  static AeronMedia start(AeronMediaSettings settings, Consumer<MediaDriver.Context> customizer) {
    AutoCloseable driver = null;
    String directory;
    if (settings.embedded()) {
      Path dir = settings.directory();
      try {
        dir = dir != null ? dir : Files.createTempDirectory("stability-aeron-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make a directory for the Aeron media driver", e);
      }
      boolean lowCpu = settings.idle() == AeronMediaSettings.Idle.LOW_CPU;
      MediaDriver.Context context =
          new MediaDriver.Context()
              .aeronDirectoryName(dir.resolve("driver").toString())
              .dirDeleteOnStart(true)
              .dirDeleteOnShutdown(true)
              .termBufferSparseFile(true)
              .publicationTermBufferLength(settings.termLength())
              .ipcTermBufferLength(settings.termLength())
              .mtuLength(settings.mtu())
              .threadingMode(lowCpu ? ThreadingMode.SHARED : ThreadingMode.DEDICATED);
      if (settings.socketBufferBytes() > 0) {
        context.socketSndbufLength(settings.socketBufferBytes());
        context.socketRcvbufLength(settings.socketBufferBytes());
      }
      if (lowCpu) {
        context.sharedIdleStrategy(idle(settings));
      } else {
        context.conductorIdleStrategy(idle(settings));
        context.senderIdleStrategy(new BusySpinIdleStrategy());
        context.receiverIdleStrategy(new BusySpinIdleStrategy());
      }
      customizer.accept(context);
      if (settings.archiveDirectory() != null) {
        Archive.Context archive =
            new Archive.Context()
                .aeronDirectoryName(context.aeronDirectoryName())
                .archiveDir(settings.archiveDirectory().toFile())
                .deleteArchiveOnStart(true)
                // reached over IPC by this process's client only; no UDP control port to guard
                .controlChannelEnabled(false)
                .archiveClientContext(
                    new AeronArchive.Context().controlResponseChannel("aeron:ipc"))
                .replicationChannel("aeron:udp?endpoint=localhost:0")
                .recordingEventsEnabled(false)
                .segmentFileLength(settings.archiveSegmentLength())
                .threadingMode(
                    lowCpu ? ArchiveThreadingMode.SHARED : ArchiveThreadingMode.DEDICATED)
                .idleStrategySupplier(() -> idle(settings));
        ArchivingMediaDriver both = ArchivingMediaDriver.launch(context, archive);
        driver = both;
        directory = both.mediaDriver().aeronDirectoryName();
      } else {
        MediaDriver alone = MediaDriver.launch(context);
        driver = alone;
        directory = alone.aeronDirectoryName();
      }
    } else {
      directory = settings.directory().toString();
    }
    Aeron aeron = null;
    try {
      aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(directory));
      AeronArchive archive = settings.archived() ? connectArchive(aeron, settings) : null;
      return new AeronMedia(settings, driver, aeron, archive);
    } catch (RuntimeException e) {
      closeQuietly(aeron);
      closeQuietly(driver);
      throw new IllegalStateException(
          "cannot connect to the Aeron media driver"
              + (settings.archived() ? " and archive" : "")
              + " in "
              + directory
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static AeronArchive connectArchive(Aeron aeron, AeronMediaSettings settings) {
    return AeronArchive.connect(
        new AeronArchive.Context()
            .aeron(aeron)
            .ownsAeronClient(false)
            .controlRequestChannel(AeronArchive.Configuration.LOCAL_CONTROL_CHANNEL_DEFAULT)
            .controlRequestStreamId(AeronArchive.Configuration.LOCAL_CONTROL_STREAM_ID_DEFAULT)
            .controlResponseChannel("aeron:ipc")
            .idleStrategy(idle(settings)));
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable != null) {
      try {
        closeable.close();
      } catch (Exception suppressed) {
        // already failing: the first error is the one reported
      }
    }
  }

  /** The settings this media runs with. */
  public AeronMediaSettings settings() {
    return settings;
  }

  /** The driver's directory: what an external process's client connects to. */
  public String directory() {
    return aeron.context().aeronDirectoryName();
  }

  Aeron aeron() {
    return aeron;
  }

  /** The archive client, or null when nothing is archived. */
  AeronArchive archive() {
    return archive;
  }

  /** The idle strategy the SDK's own replication threads use under these settings. */
  static IdleStrategy idle(AeronMediaSettings settings) {
    return settings.idle() == AeronMediaSettings.Idle.LOW_CPU
        ? new BackoffIdleStrategy(
            10, 20, TimeUnit.MICROSECONDS.toNanos(1), settings.maxIdle().toNanos())
        : new BusySpinIdleStrategy();
  }

  /** Closes the archive client and the client, then an embedded driver (and archive). */
  @Override
  public void close() {
    if (archive != null) {
      archive.close();
    }
    aeron.close();
    if (driver != null) {
      try {
        driver.close();
      } catch (Exception e) {
        throw new IllegalStateException("the Aeron media driver did not close cleanly: " + e, e);
      }
    }
  }

  @Override
  public String toString() {
    return "AeronMedia["
        + directory()
        + (driver != null ? ", embedded" : ", external")
        + (archive != null ? ", archived" : "")
        + "]";
  }
}
