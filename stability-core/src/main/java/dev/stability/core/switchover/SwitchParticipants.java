package dev.stability.core.switchover;

import dev.stability.api.consistency.DigestValue;
import dev.stability.api.health.HealthStatus;
import dev.stability.api.journal.Journal;
import dev.stability.api.switchover.EndpointRegistry;
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
    Runnable afterSwitch) {}
