package dev.stability.docs;

// tag::warm-standby[]
import dev.stability.aeron.AeronMedia;
import dev.stability.aeron.AeronWarmLink;
import dev.stability.aeron.ReplicationSettings;
import dev.stability.api.journal.Journal;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.guard.GuardSettings;
import dev.stability.core.standby.WarmLink;
import java.time.Duration;

// end::warm-standby[]

class WarmStandbySnippet {
  void snippet(
      StabilityRuntime primary,
      StabilityRuntime standby,
      Journal journal,
      AeronMedia media,
      ReplicationSettings settings) {
    // tag::warm-standby[]
    // a dependency that is per site (the standby's data centre reaches another clearing link)
    GuardSettings clearing = GuardSettings.builder("clearing-link").siteLocal(true).build();

    // two runtimes in one JVM: state carried every 200 ms on a thread of the link's own
    WarmLink link = WarmLink.start(primary, standby, journal::epoch, Duration.ofMillis(200));

    // across hosts, beside the journal's replication (same channels, streams 1004/1005)
    AeronWarmLink.primary(primary, journal::epoch, media, settings, Duration.ofMillis(200));
    AeronWarmLink.standby(standby, media, settings, Duration.ofMillis(200)); // on the standby host

    // what the standby holds now (the readiness view shows it); its switch controller inherits it
    standby
        .warmStandby()
        .latest()
        .ifPresent(r -> System.out.println("state of " + r.from() + ", " + r.age() + " old"));
    // end::warm-standby[]
  }
}
