package dev.stability.examples.trading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TradingSystem lifecycle problems found in review, each shown with real threads (each test failed
 * before its fix): the standby-only tools touching the live core after a switch, a failed pause
 * leaving the flow stopped, a repair while the follower was behind, a restart right after a stop
 * doing nothing, and "nothing pending" read while a batch was still on its way to clearing.
 */
class TradingSystemRaceTest {

  @TempDir Path dir;

  private TradingSystem start() {
    return TradingSystem.builder(dir)
        .rate(2_000)
        .members(2)
        .clock(TradingSystemTest.runningFrom(TradingSystemTest.WEEKEND))
        .build();
  }

  /**
   * After a switchover the standby core is the live primary: repairing or damaging it is refused.
   */
  @Test
  void afterASwitchoverTheStandbyToolsRefuseToTouchTheLiveCore() throws Exception {
    try (TradingSystem system = start()) {
      system.startFlow();
      TradingSystemTest.await(
          "a checkpoint matched",
          () -> system.runtime().consistency().auditor().lastMatchedSequence().orElse(0) >= 1_000);
      system.switchController().switchover(TradingSystemTest.approvedSwitchover(system));
      assertThat(system.active()).isSameAs(system.standby());
      Market market = system.market();
      long settle = market.instrument(0).settleTicks();
      system.submit(
          OrderInput.limit(900_000_001L, market.account(0), 0, OrderInput.SELL, settle, 1));
      system.submit(
          OrderInput.limit(
              900_000_002L,
              market.account(1),
              0,
              OrderInput.BUY,
              market.instrument(0).upperLimit(),
              1));
      StateImage live = system.active().image();
      long liveApplied = system.active().lastApplied();

      system.pause(); // returns at once: the gateway was stopped by the switch
      assertThatThrownBy(system::repairStandby)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is the primary since the switch");
      assertThatThrownBy(() -> system.damageStandbyPosition(market.account(0), 0, 5))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is the primary since the switch");
      assertThat(system.active().image()).as("the live core is untouched").isEqualTo(live);
      assertThat(system.active().lastApplied()).isEqualTo(liveApplied);
    }
  }

  /** An audit whose pause fails (the standby cannot catch up in 10 s) resumes the flow. ~11 s. */
  @Test
  void aFailedAuditNowLeavesTheFlowRunning() throws Exception {
    try (TradingSystem system = start()) {
      system.startFlow();
      TradingSystemTest.await("200 orders", () -> system.journal().lastSequence() >= 200);
      system.slowStandby(1_000_000); // 1 s per record: cannot catch up in 10 s
      TradingSystemTest.await("the standby is 20 behind", () -> system.follower().lag() >= 20);
      assertThatThrownBy(system::auditNow)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("did not catch up");
      system.slowStandby(0);
      long seq = system.journal().lastSequence();
      TradingSystemTest.await(
          "the order flow goes on after a failed audit (was " + seq + ")",
          () -> system.journal().lastSequence() > seq);
    }
  }

  /**
   * A repair while the follower is still behind is refused: restoring the primary's state there
   * would make the follower apply its remaining records a second time. About 11 s.
   */
  @Test
  void repairStandbyIsRefusedWhileTheFollowerIsBehind() throws Exception {
    try (TradingSystem system = start()) {
      system.startFlow();
      TradingSystemTest.await("500 orders", () -> system.journal().lastSequence() >= 500);
      system.slowStandby(1_000_000);
      TradingSystemTest.await("the standby is 20 behind", () -> system.follower().lag() >= 20);
      assertThatThrownBy(system::pause).hasMessageContaining("did not catch up");
      long last = system.journal().lastSequence();
      assertThatThrownBy(system::repairStandby)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("the standby has applied");
      system.slowStandby(0);
      TradingSystemTest.await(
          "the follower reaches " + last, () -> system.follower().appliedSequence() >= last);
      assertThat(system.follower().failure()).isEmpty();
      assertThat(system.standby().image())
          .as("nothing was applied twice")
          .isEqualTo(system.primary().image());
      assertThat(system.standby().digest().value()).isEqualTo(system.primary().digest().value());
      system.resume();
    }
  }

  /**
   * startFlow() right after crashPrimary(), while the old gateway is still parked, starts a new
   * one.
   */
  @Test
  void startFlowRightAfterAStopStartsTheFlowAgain() throws Exception {
    try (TradingSystem system = start()) {
      system.rate(1); // the gateway parks up to a second between inputs
      system.startFlow();
      Thread.sleep(50);
      system.crashPrimary();
      system.startFlow();
      system.rate(2_000);
      long seq = system.journal().lastSequence();
      // The new gateway may have read rate 1 and park its first second: wait, do not sleep.
      TradingSystemTest.await(
          "inputs journaled after startFlow() (was " + seq + ")",
          () -> system.journal().lastSequence() > seq + 100);
    }
  }

  /**
   * pendingClearing() == 0 means every trade reached clearing, also while a batch is on its way
   * over a slow link (the demo's step 4 relies on it).
   */
  @Test
  void nothingPendingMeansEverythingWasCleared() throws Exception {
    try (TradingSystem system = start()) {
      system.clearing().delay(300);
      Market market = system.market();
      long settle = market.instrument(0).settleTicks();
      system.submit(OrderInput.limit(1, market.account(0), 0, OrderInput.SELL, settle, 1));
      system.submit(OrderInput.limit(2, market.account(1), 0, OrderInput.BUY, settle, 1));
      assertThat(system.trades().total()).isEqualTo(1);
      TradingSystemTest.await("pending is 0", () -> system.pendingClearing() == 0);
      assertThat(system.clearing().cleared())
          .as("cleared when pendingClearing() first reads 0 (made %d)", system.trades().total())
          .isEqualTo(system.trades().total());
    }
  }
}
