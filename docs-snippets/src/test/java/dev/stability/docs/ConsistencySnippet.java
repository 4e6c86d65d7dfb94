package dev.stability.docs;

// tag::consistency[]
import dev.stability.api.consistency.CanonicalWriter;
import dev.stability.api.consistency.Checkpoint;
import dev.stability.api.consistency.RecordEncoder;
import dev.stability.api.consistency.StateDigest;
import dev.stability.core.consistency.AuditResult;
import dev.stability.core.consistency.CheckpointAuditor;
import dev.stability.core.consistency.ConsistencyDiff;
import java.util.Optional;

// end::consistency[]

class ConsistencySnippet {
  // tag::consistency[]
  static final RecordEncoder<Position> POSITION =
      new RecordEncoder<>() {
        public String type() {
          return "position";
        }

        public void encodeKey(Position p, CanonicalWriter out) {
          out.putString("account", p.account());
          out.putString("instrument", p.instrument());
        }

        public void encodeValue(Position p, CanonicalWriter out) {
          out.putLong("long_qty", p.longQty());
          out.putDecimal("avg_price", p.avgPriceUnscaled(), 4);
        }
      };

  // end::consistency[]

  void snippet(
      dev.stability.core.StabilityRuntime runtime,
      long seq,
      long epoch,
      Position before,
      Position after,
      Checkpoint standbyCheckpoint,
      dev.stability.api.consistency.RecordSource primaryRecords,
      dev.stability.api.consistency.RecordSource standbyRecords)
      throws Exception {
    // tag::consistency[]
    StateDigest digest = runtime.consistency().newDigest(256); // both sides: same bucket count
    digest.replace(POSITION, before, after); // on every mutation: O(1), 0 B
    CheckpointAuditor auditor = runtime.consistency().auditor();
    auditor.capturePrimary("oms-a1", seq, epoch, digest); // order path: copied, compared later
    Optional<AuditResult> result = auditor.standby(standbyCheckpoint);
    ConsistencyDiff diff = auditor.localise(result.get(), primaryRecords, standbyRecords);
    // end::consistency[]
  }
}
