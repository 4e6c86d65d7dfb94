package dev.stability.examples.trading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stability.api.health.HealthStatus;
import dev.stability.core.consistency.AuditResult;
import dev.stability.core.consistency.ConsistencyDiff;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trading system with its standby in a JVM of its own (the demo's mode): it follows over Aeron,
 * is audited, damaged, localised and repaired through its JVM, is seen DOWN when killed, and its
 * JVM ends with the system. (The demo test runs the switchover across the two JVMs.)
 */
class RemoteStandbyModeTest {

  @TempDir Path dir;

  @Test
  void theStandbyInItsOwnJvmIsAuditedLocalisedRepairedAndEndsWithTheSystem() throws Exception {
    StandbyProcess child;
    try (TradingSystem system =
        TradingSystem.builder(dir)
            .standbyInOwnJvm(true)
            .members(2)
            .rate(2_000)
            .clock(TradingSystemTest.runningFrom(TradingSystemTest.WEEKEND))
            .build()) {
      child = system.standbyProcess();
      assertThat(child.pid()).isNotEqualTo(ProcessHandle.current().pid());
      assertThat(child.alive()).isTrue();
      assertThatThrownBy(system::follower).hasMessageContaining("in its own JVM");
      assertThatThrownBy(system::switchController).hasMessageContaining("its own JVM");

      system.startFlow();
      TradingSystemTest.await(
          "1000 orders journaled", () -> system.journal().lastSequence() > 1_000);
      system.pause();
      long last = system.journal().lastSequence();
      assertThat(system.standbyApplied()).isEqualTo(last);
      assertThat(system.compareHeld().matched()).isTrue();

      long account = system.market().account(0);
      long before = system.standbyPosition(account, 1).longQty();
      system.damageStandbyPosition(account, 1, 3);
      assertThat(system.standbyPosition(account, 1).longQty()).isEqualTo(before + 3);
      AuditResult mismatch = system.compareHeld();
      assertThat(mismatch.matched()).isFalse();
      ConsistencyDiff diff = system.localise(mismatch);
      assertThat(diff.differing())
          .singleElement()
          .satisfies(
              record -> {
                assertThat(record.type()).isEqualTo("position");
                assertThat(record.fields().toString())
                    .contains("field=long")
                    .contains("primary=" + before)
                    .contains("standby=" + (before + 3));
              });
      assertThat(diff.onlyInPrimary()).isEmpty();
      assertThat(diff.onlyInStandby()).isEmpty();
      system.repairStandby();
      assertThat(system.compareHeld().matched()).isTrue();
      system.resume();

      system.killStandby();
      // A check's answer is cached while fresh, and an earlier DOWN ("has not reported what it
      // applied yet", while the child starts) may still be the cached one: wait for the kill's.
      TradingSystemTest.await(
          "the standby check is DOWN because its JVM is not running",
          () -> {
            var standby = system.runtime().health().check("standby");
            return standby.status() == HealthStatus.DOWN
                && standby.reason().contains("not running");
          });
      child = system.standbyProcess();
    }
    assertThat(child.alive()).isFalse();
  }
}
