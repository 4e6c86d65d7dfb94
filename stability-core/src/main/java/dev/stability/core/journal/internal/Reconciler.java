package dev.stability.core.journal.internal;

import dev.stability.api.event.Level;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.journal.JournalCorruptedException;
import dev.stability.api.journal.JournalReader;
import dev.stability.core.event.Events;
import dev.stability.core.journal.JournalReconciliation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads a former primary's journal and its successor's side by side and names what only the former
 * holds ({@link dev.stability.core.journal.Journals#reconcile}). Internal.
 */
final class Reconciler {

  private Reconciler() {}

  /** One record read, kept until it is compared (the payload is copied: readers reuse buffers). */
  private static final class Held {
    long sequence;
    long epoch;
    long timestamp;
    byte[] payload = new byte[256];
    int length;
    boolean present;

    boolean sameAs(Held other) {
      return sequence == other.sequence
          && epoch == other.epoch
          && timestamp == other.timestamp
          && Arrays.equals(payload, 0, length, other.payload, 0, other.length);
    }
  }

  static JournalReconciliation reconcile(Path former, Path promoted, Events events) {
    long start = Math.max(firstSequence(former), firstSequence(promoted));
    String problem = null;
    long common = 0;
    long lostFrom = 0;
    long formerLast = start - 1;
    long promotedLast = start - 1;
    Held f = new Held();
    Held p = new Held();
    try (JournalReader formerReader = FileJournal.reader(former, start);
        JournalReader promotedReader = FileJournal.reader(promoted, start)) {
      String formerDamage = null;
      while (true) {
        try {
          next(formerReader, f);
        } catch (JournalCorruptedException e) {
          formerDamage = e.getMessage();
          f.present = false;
        }
        next(promotedReader, p);
        if (f.present) {
          formerLast = f.sequence;
        }
        if (p.present) {
          promotedLast = p.sequence;
        }
        if (!f.present || !p.present || !f.sameAs(p)) {
          break;
        }
        common = f.sequence;
      }
      if (f.present) {
        lostFrom = f.sequence;
        if (p.present && p.epoch == f.epoch) {
          problem =
              "the journals differ at sequence "
                  + f.sequence
                  + " within epoch "
                  + f.epoch
                  + ": not a failover (a write was not fenced, or a file was altered)";
        } else if (p.present && p.epoch < f.epoch) {
          problem =
              "at sequence "
                  + f.sequence
                  + " the journal given as the former primary's has the newer epoch ("
                  + f.epoch
                  + " against "
                  + p.epoch
                  + "): are the two directories the wrong way round?";
        }
        // Count the rest of the former's records: all of them only the former holds.
        try {
          while (next(formerReader, f)) {
            formerLast = f.sequence;
          }
        } catch (JournalCorruptedException e) {
          formerDamage = e.getMessage();
        }
      }
      if (p.present) {
        while (next(promotedReader, p)) {
          promotedLast = p.sequence;
        }
      }
      if (formerDamage != null && problem == null) {
        problem =
            "the former primary's journal cannot be read after sequence "
                + formerLast
                + " ("
                + formerDamage
                + "): the lost range ends where it could be read";
      }
    }
    long lostTo = lostFrom == 0 ? 0 : formerLast;
    JournalReconciliation result =
        new JournalReconciliation(
            common, formerLast, promotedLast, lostFrom, lostTo, Optional.ofNullable(problem));
    report(result, former, promoted, events);
    return result;
  }

  private static boolean next(JournalReader reader, Held into) {
    into.present = false;
    reader.poll(
        (sequence, epoch, timestamp, payload) -> {
          into.sequence = sequence;
          into.epoch = epoch;
          into.timestamp = timestamp;
          into.length = payload.remaining();
          if (into.payload.length < into.length) {
            into.payload = new byte[Math.max(into.length, into.payload.length * 2)];
          }
          ByteBuffer copy = payload.duplicate();
          copy.get(into.payload, 0, into.length);
          into.present = true;
        },
        1);
    return into.present;
  }

  private static long firstSequence(Path directory) {
    List<Long> segments;
    try {
      segments = Segments.list(directory.toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException("journal " + directory + " cannot be listed: " + e, e);
    }
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("no journal in " + directory);
    }
    return segments.get(0);
  }

  private static void report(
      JournalReconciliation result, Path former, Path promoted, Events events) {
    Level level = !result.consistent() ? Level.ERROR : result.lost() > 0 ? Level.WARN : Level.INFO;
    String what =
        result.lost() == 0
            ? "nothing was lost"
            : result.lost()
                + " record(s) only the former primary holds, sequences "
                + result.lostFrom()
                + ".."
                + result.lostTo()
                + " (durable there, never taken over)";
    events.publish(
        LogRecord.builder(StabilityEventCode.JOURNAL_RECONCILED)
            .level(level)
            .message(
                "former primary's journal "
                    + former
                    + " against "
                    + promoted
                    + ": common through "
                    + result.commonThrough()
                    + "; "
                    + what
                    + result.problem().map(p -> "; " + p).orElse(""))
            .journalSeq(result.commonThrough())
            .attr("common_through", result.commonThrough())
            .attr("former_last", result.formerLast())
            .attr("promoted_last", result.promotedLast())
            .attr("lost_from", result.lostFrom())
            .attr("lost_to", result.lostTo())
            .attr("lost", result.lost()));
  }
}
