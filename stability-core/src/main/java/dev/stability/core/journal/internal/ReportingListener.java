package dev.stability.core.journal.internal;

import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.core.event.Events;
import dev.stability.core.internal.SdkMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Turns what a journal reports into the runtime's events and metrics. Fenced appends are reported
 * at most once a second (a replaced primary may keep trying), with a count.
 */
public final class ReportingListener implements JournalListener {

  private final String name;
  private final Events events;
  private final Counter corruptions;
  private final Timer flush;
  private long lastFencedEvent = Long.MIN_VALUE;
  private long fencedHeld;

  /** Creates the listener and the journal's meters (the gauges are bound by {@link #bind}). */
  public ReportingListener(String name, Events events, SdkMeters meters) {
    this.name = name;
    this.events = events;
    this.corruptions = meters.counter(StabilityMetric.JOURNAL_CORRUPTIONS, "journal", name);
    this.flush = meters.timer(StabilityMetric.JOURNAL_FLUSH, "journal", name);
  }

  /** Binds the journal's counters and gauges once it is open. */
  public static void bind(FileJournal journal, SdkMeters meters) {
    String name = journal.settings().name();
    meters.functionCounter(
        StabilityMetric.JOURNAL_APPENDS, journal, j -> j.appended(), "journal", name);
    meters.functionCounter(
        StabilityMetric.JOURNAL_WRITTEN, journal, j -> j.bytesWritten(), "journal", name);
    meters.gauge(
        StabilityMetric.JOURNAL_DURABLE_SEQUENCE,
        journal,
        j -> j.durableSequence(),
        "journal",
        name);
  }

  @Override
  public void opened(String directory, long lastSequence, long epoch) {
    events.publish(
        LogRecord.builder(StabilityEventCode.JOURNAL_OPENED)
            .message(
                "journal "
                    + name
                    + " opened in "
                    + directory
                    + ": last sequence "
                    + lastSequence
                    + ", epoch "
                    + epoch)
            .journalSeq(lastSequence)
            .epoch(epoch)
            .attr("journal", name));
  }

  @Override
  public void corrupted(String segment, long offset, String problem, String savedTo) {
    corruptions.increment();
    events.publish(
        LogRecord.builder(StabilityEventCode.JOURNAL_CORRUPTION_DETECTED)
            .message(
                "journal "
                    + name
                    + ": "
                    + problem
                    + " in "
                    + segment
                    + " at offset "
                    + offset
                    + "; nothing from there on is read as data; the segment was saved as "
                    + savedTo)
            .attr("journal", name)
            .attr("segment", segment)
            .attr("offset", offset)
            .attr("saved_to", savedTo));
  }

  @Override
  public void rolled(String segment, long firstSequence) {
    events.publish(
        LogRecord.builder(StabilityEventCode.JOURNAL_SEGMENT_ROLLED)
            .message("journal " + name + " started segment " + segment)
            .journalSeq(firstSequence)
            .attr("journal", name)
            .attr("segment", segment));
  }

  @Override
  public synchronized void fenced(long epoch, long current) {
    fencedHeld++;
    long now = System.nanoTime();
    if (lastFencedEvent != Long.MIN_VALUE && now - lastFencedEvent < 1_000_000_000L) {
      return;
    }
    lastFencedEvent = now;
    events.publish(
        LogRecord.builder(StabilityEventCode.JOURNAL_APPEND_FENCED)
            .message(
                "journal "
                    + name
                    + " refused "
                    + fencedHeld
                    + " append(s) stamped with epoch "
                    + epoch
                    + " (current "
                    + current
                    + "): a replaced primary is still writing")
            .epoch(epoch)
            .attr("journal", name)
            .attr("current_epoch", current)
            .attr("count", fencedHeld));
    fencedHeld = 0;
  }

  @Override
  public void flushed(long nanos) {
    flush.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void flushFailed(Exception error) {
    events.publish(
        LogRecord.builder(StabilityEventCode.JOURNAL_FLUSH_FAILED)
            .message("journal " + name + " could not force records to storage: " + error)
            .error(error)
            .attr("journal", name));
  }
}
