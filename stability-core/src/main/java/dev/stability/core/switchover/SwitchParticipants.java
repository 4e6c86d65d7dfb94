package dev.stability.core.switchover;

import dev.stability.api.consistency.DigestValue;
import dev.stability.api.health.HealthStatus;
import dev.stability.api.journal.Journal;
import dev.stability.api.switchover.EndpointRegistry;
import dev.stability.api.switchover.RoleLease;
import dev.stability.core.standby.Follower;
import java.util.function.Supplier;

/**
 * The application's side of a switch: what the controller tells to stop and start, and where it
 * reads state. In this release the primary and the standby run in one process (or share the
 * journal's files on one host); a cross-host version replaces these with remote calls.
 *
 * @param journal the primary's journal, which the new primary continues with the new epoch
 * @param standby the follower applying the journal to the standby's state machine
 * @param stopPrimary stops the old primary accepting input (a planned switch; failover skips it if
 *     it throws, the primary being gone)
 * @param primaryDigest the old primary's state digest (planned: compared at the switch sequence)
 * @param standbyDigest the standby's state digest
 * @param standbyHealth the standby's health
 * @param promote makes the standby the primary: it starts accepting input and appends to the
 *     journal with the given epoch
 * @param registry where clients find the primary
 * @param afterSwitch run once the new primary accepts input (open with a call auction, check that
 *     every member logged in again: R11); its failure is reported, the switch stands
 * @param primaryLastSequence the old primary's last sequence as this side last heard it, for a
 *     primary in another process whose records reach {@code journal} by replication (a failover
 *     reports the records beyond {@code journal}'s last as possibly lost); by default the journal's
 *     own last sequence: primary and standby share it
 * @param remotePrimary the primary in another process, for a planned switchover run by the
 *     standby's controller (null: primary and standby share {@code journal}); with it, {@code
 *     journal} is the standby's replica, {@code stopPrimary} stops listening to the old primary,
 *     and {@code primaryDigest} defaults to the digest the primary sends when it hands over
 * @param lease the standby's lease of the primary role in a coordination service (null: none, the
 *     epoch is the journal's plus one): with it, a failover is refused while another participant
 *     still holds the role (the old primary may be alive), and every switch takes the lease at the
 *     fence step and fences the journal with the epoch the service issued
 */
public record SwitchParticipants(
    Journal journal,
    Follower standby,
    Runnable stopPrimary,
    Supplier<DigestValue> primaryDigest,
    Supplier<DigestValue> standbyDigest,
    Supplier<HealthStatus> standbyHealth,
    java.util.function.LongConsumer promote,
    EndpointRegistry registry,
    Runnable afterSwitch,
    java.util.function.LongSupplier primaryLastSequence,
    RemotePrimary remotePrimary,
    RoleLease lease) {

  /**
   * Checks every part is there.
   *
   * @throws dev.stability.api.ConfigurationException naming the missing part
   */
  public SwitchParticipants {
    require("journal", journal);
    require("standby", standby);
    require("stop-primary", stopPrimary);
    if (remotePrimary == null) {
      require("primary-digest", primaryDigest);
    } else if (primaryDigest == null) {
      primaryDigest =
          () -> {
            throw new IllegalStateException(
                "the remote primary's digest comes with its handover (a planned switchover)");
          };
    }
    require("standby-digest", standbyDigest);
    require("standby-health", standbyHealth);
    require("promote", promote);
    require("registry", registry);
    afterSwitch = afterSwitch == null ? () -> {} : afterSwitch;
    primaryLastSequence = primaryLastSequence == null ? journal::lastSequence : primaryLastSequence;
  }

  private static void require(String part, Object value) {
    if (value == null) {
      throw new dev.stability.api.ConfigurationException(
          "switch.participants." + part, null, "must be set");
    }
  }

  /** Names every part, so two of the same type cannot be swapped by position. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link SwitchParticipants}. */
  public static final class Builder {
    private Journal journal;
    private Follower standby;
    private Runnable stopPrimary;
    private Supplier<DigestValue> primaryDigest;
    private Supplier<DigestValue> standbyDigest;
    private Supplier<HealthStatus> standbyHealth;
    private java.util.function.LongConsumer promote;
    private EndpointRegistry registry;
    private Runnable afterSwitch;
    private java.util.function.LongSupplier primaryLastSequence;
    private RemotePrimary remotePrimary;
    private RoleLease lease;

    private Builder() {}

    /** The primary's journal. */
    public Builder journal(Journal value) {
      this.journal = value;
      return this;
    }

    /** The standby's follower. */
    public Builder standby(Follower value) {
      this.standby = value;
      return this;
    }

    /** Stops the old primary accepting input. */
    public Builder stopPrimary(Runnable value) {
      this.stopPrimary = value;
      return this;
    }

    /** The old primary's digest. */
    public Builder primaryDigest(Supplier<DigestValue> value) {
      this.primaryDigest = value;
      return this;
    }

    /** The standby's digest. */
    public Builder standbyDigest(Supplier<DigestValue> value) {
      this.standbyDigest = value;
      return this;
    }

    /** The standby's health. */
    public Builder standbyHealth(Supplier<HealthStatus> value) {
      this.standbyHealth = value;
      return this;
    }

    /** Makes the standby the primary at the given epoch. */
    public Builder promote(java.util.function.LongConsumer value) {
      this.promote = value;
      return this;
    }

    /** Where clients find the primary. */
    public Builder registry(EndpointRegistry value) {
      this.registry = value;
      return this;
    }

    /** Runs once the new primary accepts input (optional). */
    public Builder afterSwitch(Runnable value) {
      this.afterSwitch = value;
      return this;
    }

    /**
     * The old primary's last sequence as last heard, when it runs in another process and the
     * journal is the standby's replica (optional; e.g. {@code AeronJournalSource::lastSequence}).
     */
    public Builder primaryLastSequence(java.util.function.LongSupplier value) {
      this.primaryLastSequence = value;
      return this;
    }

    /**
     * The primary in another process (optional): a planned switchover asks it to hand over, then
     * drains the standby to where it stopped.
     */
    public Builder remotePrimary(RemotePrimary value) {
      this.remotePrimary = value;
      return this;
    }

    /**
     * The standby's lease of the primary role (optional; e.g. {@code ZooKeeperRoleLease} from
     * {@code stability-zookeeper}): one more readiness gate, taken at the fence step.
     */
    public Builder lease(RoleLease value) {
      this.lease = value;
      return this;
    }

    /**
     * Builds the participants.
     *
     * @throws dev.stability.api.ConfigurationException naming the first missing part
     */
    public SwitchParticipants build() {
      return new SwitchParticipants(
          journal,
          standby,
          stopPrimary,
          primaryDigest,
          standbyDigest,
          standbyHealth,
          promote,
          registry,
          afterSwitch,
          primaryLastSequence,
          remotePrimary,
          lease);
    }
  }
}
