package dev.stability.docs;

// tag::zookeeper[]
import dev.stability.api.journal.Journal;
import dev.stability.api.switchover.EndpointRegistry;
import dev.stability.api.switchover.RoleLease;
import dev.stability.api.switchover.RoleNotHeldException;
import dev.stability.core.journal.LeasedJournal;
import dev.stability.zookeeper.RoleLeaseSettings;
import dev.stability.zookeeper.ZooKeeperConnection;
import dev.stability.zookeeper.ZooKeeperEndpointRegistry;
import dev.stability.zookeeper.ZooKeeperRoleLease;
import dev.stability.zookeeper.ZooKeeperSettings;
import java.time.Duration;

// end::zookeeper[]

class ZooKeeperSnippet {
  void snippet(
      dev.stability.core.StabilityRuntime runtime,
      Journal journal,
      byte[] order,
      java.util.function.Consumer<byte[]> refuse,
      java.util.function.LongConsumer acknowledge)
      throws Exception {
    // tag::zookeeper[]
    ZooKeeperConnection zk =
        ZooKeeperConnection.start(
            ZooKeeperSettings.builder("zk1:2181,zk2:2181,zk3:2181")
                .sessionTimeout(Duration.ofSeconds(10)) // what the lease's timing rests on
                .authorization("digest", "oms:secret") // optional: creator-only ACL on SDK nodes
                .build());
    RoleLease lease = ZooKeeperRoleLease.open(runtime, zk, RoleLeaseSettings.of("OMS", "oms-a1"));

    // waits while another holds it
    long epoch = lease.acquire(journal.epoch(), Duration.ofSeconds(30)).orElseThrow();
    journal.fence(epoch); // the fencing token: older writers are refused

    Journal input = LeasedJournal.of(journal, lease); // appends only while the lease is held

    // on the order path: append (refused once the lease may be lost), acknowledge if still held
    long seq;
    try {
      seq = input.append(epoch, order); // held(): volatile reads and nanoTime, no I/O
    } catch (RoleNotHeldException e) {
      refuse.accept(order); // this primary stops taking input
      return;
    }
    // ... once journal.durableSequence() >= seq:
    if (lease.held()) {
      acknowledge.accept(seq);
    }

    // for SwitchParticipants.registry(...) and FailoverEndpoints.registry(...)
    EndpointRegistry registry = ZooKeeperEndpointRegistry.open(zk);
    // end::zookeeper[]
  }
}
