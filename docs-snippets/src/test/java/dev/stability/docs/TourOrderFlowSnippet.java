package dev.stability.docs;

// tag::tour-order-flow[]
import java.nio.ByteBuffer;

// end::tour-order-flow[]

class TourOrderFlowSnippet {
  void snippet(
      dev.stability.core.StabilityRuntime runtime,
      dev.stability.api.journal.Journal journal,
      long epoch,
      byte[] payload,
      dev.stability.api.standby.StateMachine primary,
      dev.stability.core.capacity.CapacityIndicator orders,
      java.util.concurrent.atomic.AtomicLong acknowledged)
      throws Exception {
    // tag::tour-order-flow[]
    long sequence = journal.append(epoch, payload);
    primary.apply(sequence, epoch, ByteBuffer.wrap(payload));
    orders.record(); // ~3 ns, no allocation
    if (sequence % 1_000 == 0) {
      // copied into a reserved slot; made, paired and compared on the auditor's thread
      runtime.consistency().auditor().capturePrimary("primary", sequence, epoch, primary.digest());
    }
    acknowledged.set(journal.durableSequence());
    // end::tour-order-flow[]
  }
}
