package dev.stability.core.consistency.internal;

import dev.stability.api.consistency.Checkpoint;
import dev.stability.api.consistency.RecordEncoder;
import dev.stability.api.consistency.RecordSource;
import dev.stability.api.consistency.StateDigest;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.api.metric.StabilityMetric;
import dev.stability.core.consistency.AuditResult;
import dev.stability.core.consistency.CheckpointAuditor;
import dev.stability.core.consistency.ConsistencyDiff;
import dev.stability.core.consistency.ConsistencyDiff.FieldDiff;
import dev.stability.core.consistency.ConsistencyDiff.RecordDiff;
import dev.stability.core.consistency.ConsistencyDiff.RecordView;
import dev.stability.core.consistency.StateDigests;
import dev.stability.core.event.Events;
import dev.stability.core.internal.SdkMeters;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Pairs checkpoints by sequence and compares them; all state under this object's lock (a comparison
 * is a few dozen long comparisons, done at checkpoint rate, not per record). Internal: reached
 * through {@link CheckpointAuditor}.
 */
public final class DefaultAuditor implements CheckpointAuditor, AutoCloseable {

  private static final int MAX_WAITING = 4096;
  private static final long MATCH_EVENT_INTERVAL_NANOS = 60_000_000_000L;

  private final Events events;
  private final LongSupplier ticker;
  private final Counter checks;
  private final Counter mismatches;

  /** Captures submitted on the caller's thread (slots full, or not the SDK's digest). */
  private final Counter direct;

  private final TreeMap<Long, Checkpoint> waitingPrimary = new TreeMap<>();
  private final TreeMap<Long, Checkpoint> waitingStandby = new TreeMap<>();
  private volatile long lastMatched = -1;
  private long firstMismatch = -1;
  private long lastMatchEvent = Long.MIN_VALUE;
  private long matchesSinceEvent;
  private final CheckpointCaptures captures =
      new CheckpointCaptures(this::submitCaptured, "stability-checkpoints");

  /** Creates the auditor and its meters. */
  public DefaultAuditor(Events events, SdkMeters meters, LongSupplier ticker) {
    this.events = events;
    this.ticker = ticker;
    this.checks = meters.counter(StabilityMetric.CONSISTENCY_CHECKS);
    this.mismatches = meters.counter(StabilityMetric.CONSISTENCY_MISMATCHES);
    this.direct = meters.counter(StabilityMetric.CONSISTENCY_CAPTURES_DIRECT);
    meters.gauge(StabilityMetric.CONSISTENCY_LAST_MATCHED_SEQUENCE, this, a -> a.lastMatched);
  }

  @Override
  public synchronized Optional<AuditResult> primary(Checkpoint checkpoint) {
    return pair(checkpoint, waitingStandby, waitingPrimary, true);
  }

  @Override
  public void capturePrimary(String source, long sequence, long epoch, StateDigest digest) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(digest, "digest");
    if (sequence < 0) {
      throw new IllegalArgumentException("checkpoint sequence must be >= 0, got " + sequence);
    }
    if (!captures.capture(source, sequence, epoch, digest)) {
      direct.increment();
      primary(Checkpoint.of(source, sequence, epoch, digest));
    }
  }

  private void submitCaptured(Checkpoint checkpoint) {
    try {
      primary(checkpoint);
    } catch (RuntimeException e) {
      events.publish(
          LogRecord.builder(StabilityEventCode.CONSISTENCY_CHECK_FAILED)
              .journalSeq(checkpoint.sequence())
              .epoch(checkpoint.epoch())
              .message(
                  "the checkpoint "
                      + checkpoint.source()
                      + " captured at sequence "
                      + checkpoint.sequence()
                      + " could not be compared: "
                      + e.getMessage())
              .error(e));
    }
  }

  @Override
  public boolean awaitCaptured(Duration timeout) {
    return captures.awaitSubmitted(timeout.toNanos());
  }

  /** Submits the checkpoints still captured and stops the auditor's thread. */
  @Override
  public void close() {
    captures.close();
  }

  @Override
  public synchronized Optional<AuditResult> standby(Checkpoint checkpoint) {
    return pair(checkpoint, waitingPrimary, waitingStandby, false);
  }

  private Optional<AuditResult> pair(
      Checkpoint checkpoint,
      TreeMap<Long, Checkpoint> other,
      TreeMap<Long, Checkpoint> mine,
      boolean isPrimary) {
    Checkpoint counterpart = other.remove(checkpoint.sequence());
    if (counterpart == null) {
      mine.put(checkpoint.sequence(), checkpoint);
      while (mine.size() > MAX_WAITING) {
        mine.pollFirstEntry();
      }
      return Optional.empty();
    }
    return Optional.of(
        isPrimary ? compare(checkpoint, counterpart) : compare(counterpart, checkpoint));
  }

  @Override
  public synchronized AuditResult compare(Checkpoint primary, Checkpoint standby) {
    if (primary.sequence() != standby.sequence()) {
      throw new IllegalArgumentException(
          "checkpoints of different sequences cannot be compared: primary "
              + primary.sequence()
              + ", standby "
              + standby.sequence());
    }
    if (primary.buckets().size() != standby.buckets().size()) {
      throw new IllegalArgumentException(
          "checkpoints at "
              + primary.sequence()
              + " have different bucket counts: primary "
              + primary.buckets().size()
              + ", standby "
              + standby.buckets().size()
              + "; both sides must create their digest with the same number of buckets");
    }
    List<Integer> differing = new ArrayList<>();
    for (int b = 0; b < primary.buckets().size(); b++) {
      if (!primary.buckets().get(b).equals(standby.buckets().get(b))) {
        differing.add(b);
      }
    }
    long sequence = primary.sequence();
    boolean matched = primary.digest().equals(standby.digest());
    AuditResult result = new AuditResult(sequence, matched, primary, standby, differing);
    checks.increment();
    if (matched) {
      matched(result);
    } else {
      mismatched(result);
    }
    return result;
  }

  private void matched(AuditResult result) {
    long sequence = result.sequence();
    long now = ticker.getAsLong();
    lastMatched = Math.max(lastMatched, sequence);
    matchesSinceEvent++;
    boolean recovered = firstMismatch >= 0 && sequence >= firstMismatch;
    if (recovered
        || lastMatchEvent == Long.MIN_VALUE
        || now - lastMatchEvent >= MATCH_EVENT_INTERVAL_NANOS) {
      events.publish(
          LogRecord.builder(StabilityEventCode.CONSISTENCY_MATCHED)
              .journalSeq(sequence)
              .epoch(result.primary().epoch())
              .message(
                  recovered
                      ? "primary and standby match again at sequence "
                          + sequence
                          + " (they differed from "
                          + firstMismatch
                          + ")"
                      : "primary and standby match at sequence "
                          + sequence
                          + " ("
                          + matchesSinceEvent
                          + " checkpoints matched since the last report)")
              .attr("digest", result.primary().digest().toString())
              .attr("checkpoints", matchesSinceEvent));
      lastMatchEvent = now;
      matchesSinceEvent = 0;
    }
    if (firstMismatch >= 0 && sequence >= firstMismatch) {
      // A match at or after the first mismatch (e.g. the same sequence compared again after a
      // repair, both sides held): the divergence is over. An older match does not end it.
      firstMismatch = -1;
    }
  }

  private void mismatched(AuditResult result) {
    mismatches.increment();
    if (firstMismatch >= 0) {
      return; // the same divergence: counted, already reported
    }
    long sequence = result.sequence();
    firstMismatch = sequence;
    List<Integer> buckets = result.differingBuckets();
    events.publish(
        LogRecord.builder(StabilityEventCode.CONSISTENCY_MISMATCH)
            .journalSeq(sequence)
            .epoch(result.primary().epoch())
            .message(
                "primary "
                    + result.primary().source()
                    + " and standby "
                    + result.standby().source()
                    + " differ at sequence "
                    + sequence
                    + (lastMatched >= 0 ? " (last match at " + lastMatched + ")" : "")
                    + " in "
                    + buckets.size()
                    + " of "
                    + result.primary().buckets().size()
                    + " buckets")
            .attr("last_matched", lastMatched)
            .attr("primary_digest", result.primary().digest().toString())
            .attr("standby_digest", result.standby().digest().toString())
            .attr(
                "buckets",
                buckets.stream().limit(32).map(String::valueOf).collect(Collectors.joining(","))));
  }

  @Override
  public OptionalLong lastMatchedSequence() {
    long value = lastMatched;
    return value < 0 ? OptionalLong.empty() : OptionalLong.of(value);
  }

  @Override
  public synchronized OptionalLong firstMismatchSequence() {
    return firstMismatch < 0 ? OptionalLong.empty() : OptionalLong.of(firstMismatch);
  }

  @Override
  public ConsistencyDiff localise(AuditResult result, RecordSource primary, RecordSource standby) {
    Set<Integer> buckets = new HashSet<>(result.differingBuckets());
    int bucketCount = result.primary().buckets().size();
    Map<String, RecordView> p = collect(primary, buckets, bucketCount);
    Map<String, RecordView> s = collect(standby, buckets, bucketCount);
    List<RecordView> onlyInPrimary = new ArrayList<>();
    List<RecordView> onlyInStandby = new ArrayList<>();
    List<RecordDiff> differing = new ArrayList<>();
    for (Map.Entry<String, RecordView> entry : p.entrySet()) {
      RecordView mine = entry.getValue();
      RecordView theirs = s.get(entry.getKey());
      if (theirs == null) {
        onlyInPrimary.add(mine);
        continue;
      }
      List<FieldDiff> fields = new ArrayList<>();
      Set<String> names = new LinkedHashSet<>(mine.fields().keySet());
      names.addAll(theirs.fields().keySet());
      for (String name : names) {
        String a = mine.fields().get(name);
        String b = theirs.fields().get(name);
        if (!Objects.equals(a, b)) {
          fields.add(new FieldDiff(name, a, b));
        }
      }
      if (!fields.isEmpty()) {
        differing.add(new RecordDiff(mine.type(), mine.key(), fields));
      }
    }
    for (Map.Entry<String, RecordView> entry : s.entrySet()) {
      if (!p.containsKey(entry.getKey())) {
        onlyInStandby.add(entry.getValue());
      }
    }
    ConsistencyDiff diff =
        new ConsistencyDiff(
            result.sequence(), result.differingBuckets(), onlyInPrimary, onlyInStandby, differing);
    events.publish(
        LogRecord.builder(StabilityEventCode.CONSISTENCY_DIFF_READY)
            .journalSeq(result.sequence())
            .message(summary(diff))
            .attr("differing", differing.size())
            .attr("only_in_primary", onlyInPrimary.size())
            .attr("only_in_standby", onlyInStandby.size()));
    return diff;
  }

  private static String summary(ConsistencyDiff diff) {
    StringBuilder text =
        new StringBuilder("mismatch at sequence ")
            .append(diff.sequence())
            .append(": ")
            .append(diff.differing().size())
            .append(" records differ, ")
            .append(diff.onlyInPrimary().size())
            .append(" only in primary, ")
            .append(diff.onlyInStandby().size())
            .append(" only in standby");
    for (RecordDiff record : diff.differing().stream().limit(5).toList()) {
      // The key with its names, so that masking finds sensitive ones (account=****0001, R16).
      text.append("; ").append(record.type()).append(' ').append(record.key());
      for (FieldDiff field : record.fields()) {
        text.append(' ')
            .append(field.field())
            .append(' ')
            .append(field.primary())
            .append(" vs ")
            .append(field.standby());
      }
    }
    return text.toString();
  }

  private static Map<String, RecordView> collect(
      RecordSource source, Set<Integer> buckets, int bucketCount) {
    StateDigest bucketing = StateDigests.create(bucketCount);
    Map<String, RecordView> records = new LinkedHashMap<>();
    source.forEachRecord(
        new RecordSource.RecordVisitor() {
          @Override
          public <R> void visit(RecordEncoder<R> encoder, R record) {
            if (!buckets.contains(bucketing.bucketOf(encoder, record))) {
              return;
            }
            FieldCapture capture = new FieldCapture();
            encoder.encodeKey(record, capture);
            capture.endKey();
            encoder.encodeValue(record, capture);
            RecordView view = new RecordView(encoder.type(), capture.key, capture.fields);
            records.put(encoder.type() + "\u0000" + capture.key, view);
          }
        });
    return records;
  }
}
