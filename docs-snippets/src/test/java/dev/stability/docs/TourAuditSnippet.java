package dev.stability.docs;

// tag::tour-audit[]
import dev.stability.api.consistency.Checkpoint;
import dev.stability.core.consistency.AuditResult;
import dev.stability.core.consistency.ConsistencyDiff;

// end::tour-audit[]

class TourAuditSnippet {
  void snippet(
      dev.stability.core.StabilityRuntime runtime,
      long seq,
      long epoch,
      Domain.Core primary,
      Domain.Core standby)
      throws Exception {
    // tag::tour-audit[]
    AuditResult result =
        runtime
            .consistency()
            .auditor()
            .compare(
                Checkpoint.of("primary", seq, epoch, primary.digest()),
                Checkpoint.of("standby", seq, epoch, standby.digest()));
    ConsistencyDiff diff = runtime.consistency().auditor().localise(result, primary, standby);
    // differs: position {account=10000005, instrument=IF2612} [field=long, primary=8, standby=15]
    standby.restore(primary.snapshot());
    // end::tour-audit[]
  }
}
