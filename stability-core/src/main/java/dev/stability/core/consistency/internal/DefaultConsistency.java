package dev.stability.core.consistency.internal;

import dev.stability.api.ConfigurationException;
import dev.stability.api.consistency.StateDigest;
import dev.stability.api.event.LogRecord;
import dev.stability.api.event.StabilityEventCode;
import dev.stability.core.consistency.CheckpointAuditor;
import dev.stability.core.consistency.Consistency;
import dev.stability.core.consistency.Replay;
import dev.stability.core.consistency.ReplayReport;
import dev.stability.core.consistency.Shadow;
import dev.stability.core.consistency.ShadowSettings;
import dev.stability.core.consistency.StateDigests;
import dev.stability.core.event.Events;
import dev.stability.core.internal.RuntimeContext;
import dev.stability.core.internal.SdkMeters;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The runtime's consistency subsystem. Internal: reached through {@link Consistency}. */
public final class DefaultConsistency implements Consistency, AutoCloseable {

  private final Events events;
  private final SdkMeters meters;
  private final DefaultAuditor auditor;
  private final Map<String, DefaultShadow<?, ?>> shadows = new ConcurrentHashMap<>();

  /** Creates the subsystem. */
  public DefaultConsistency(RuntimeContext context) {
    this.events = context.events();
    this.meters = context.meters();
    this.auditor = new DefaultAuditor(events, meters, context.ticker());
  }

  @Override
  public StateDigest newDigest(int buckets) {
    return StateDigests.create(buckets);
  }

  @Override
  public CheckpointAuditor auditor() {
    return auditor;
  }

  @Override
  public <I, O> Shadow<I, O> shadow(ShadowSettings<I, O> spec) {
    DefaultShadow<I, O> shadow = new DefaultShadow<>(spec, events, meters);
    if (shadows.putIfAbsent(spec.name(), shadow) != null) {
      shadow.close();
      throw new ConfigurationException("shadow.name", spec.name(), "must be unique in a runtime");
    }
    return shadow;
  }

  @Override
  public <I, O> ReplayReport replay(Replay<I, O> replay, Iterator<? extends I> inputs) {
    ReplayReport report = replay.run(inputs);
    String rate = String.format(Locale.ROOT, "%.0f", report.throughput());
    if (report.matched()) {
      events.publish(
          LogRecord.builder(StabilityEventCode.REPLAY_MATCHED)
              .message(
                  "replay "
                      + report.name()
                      + ": "
                      + report.inputs()
                      + " inputs, outputs and "
                      + report.checkpoints()
                      + " digest checkpoints equal ("
                      + rate
                      + " inputs/s)")
              .attr("replay", report.name())
              .attr("inputs", report.inputs()));
    } else {
      LogRecord.Builder event =
          LogRecord.builder(StabilityEventCode.REPLAY_DIVERGED)
              .attr("replay", report.name())
              .attr("inputs", report.inputs())
              .attr("divergences", report.divergences());
      StringBuilder message =
          new StringBuilder("replay ")
              .append(report.name())
              .append(": ")
              .append(report.divergences())
              .append(" of ")
              .append(report.inputs())
              .append(" inputs diverged");
      report
          .firstDivergence()
          .ifPresent(
              d -> {
                message
                    .append("; first at sequence ")
                    .append(d.sequence())
                    .append(", input ")
                    .append(d.input())
                    .append(": ")
                    .append(d.first())
                    .append(" vs ")
                    .append(d.second());
                event.journalSeq(d.sequence());
              });
      report
          .firstDigestDivergence()
          .ifPresent(
              seq -> {
                message.append("; digests first differ at sequence ").append(seq);
                event.attr("digest_divergence", seq);
              });
      events.publish(event.message(message.toString()));
    }
    return report;
  }

  /** Stops every shadow and submits the checkpoints still captured. */
  @Override
  public void close() {
    shadows.values().forEach(DefaultShadow::close);
    auditor.close();
  }
}
