package dev.stability.examples.trading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stability.core.consistency.AuditResult;
import dev.stability.core.operations.Approval;
import dev.stability.core.operations.Operation;
import dev.stability.core.operations.OperationRequest;
import dev.stability.core.operations.Risk;
import dev.stability.core.switchover.SwitchRefusedException;
import dev.stability.core.switchover.SwitchReport;
import dev.stability.examples.trading.StateRows.PositionRow;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assembled trading system: audits, a damaged standby, switchovers and bad inputs. */
class TradingSystemTest {

  /** Saturday 2026-11-28 20:00 in Shanghai: no trading session, risky changes are allowed. */
  static final Instant WEEKEND = Instant.parse("2026-11-28T12:00:00Z");

  /** Monday 2026-11-30 10:00 in Shanghai: the continuous morning session is open. */
  private static final Instant IN_SESSION = Instant.parse("2026-11-30T02:00:00Z");

  @TempDir Path dir;

  static Clock runningFrom(Instant start) {
    return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), start));
  }

  private TradingSystem start(Instant at) {
    return TradingSystem.builder(dir).rate(2_000).members(12).clock(runningFrom(at)).build();
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after 10 s waiting until " + what);
      }
      Thread.sleep(5);
    }
  }

  static Approval approvedSwitchover(TradingSystem system) {
    OperationRequest request =
        system
            .runtime()
            .operations()
            .request(
                Operation.builder("switchover", Risk.HIGH)
                    .target(TradingSystem.SERVICE)
                    .operator("zhang.san")
                    .reason("planned move of the core to the standby site")
                    .build());
    return system.runtime().operations().approve(request.id(), "li.si");
  }

  @Test
  void aDamagedStandbyPositionIsFoundLocalisedToItsFieldAndRepaired() throws Exception {
    try (TradingSystem system = start(WEEKEND)) {
      system.startFlow();
      await("3000 orders are journaled", () -> system.journal().lastSequence() >= 3_000);

      AuditResult healthy = system.auditNow();
      assertThat(healthy.matched()).as("both cores agree while running").isTrue();
      assertThat(healthy.sequence()).isGreaterThanOrEqualTo(3_000);

      system.pause();
      PositionRow held =
          system.primary().image().positions().stream()
              .filter(p -> p.instrument() == 0 && p.longQty() > 0)
              .findFirst()
              .orElseThrow();
      long account = held.account();
      system.damageStandbyPosition(account, 0, 7);

      AuditResult damaged = system.compareHeld();
      assertThat(damaged.matched()).isFalse();
      assertThat(damaged.differingBuckets()).hasSize(1);
      String json = system.localise(damaged).toJson();
      JsonNode diff = new ObjectMapper().readTree(json);
      assertThat(diff.get("only_in_primary")).as(json).isEmpty();
      assertThat(diff.get("only_in_standby")).as(json).isEmpty();
      assertThat(diff.get("differing")).as(json).hasSize(1);
      JsonNode record = diff.get("differing").get(0);
      assertThat(record.get("type").asText()).isEqualTo("position");
      assertThat(record.get("key").get("account").asText()).isEqualTo(Long.toString(account));
      assertThat(record.get("key").get("instrument").asText()).isEqualTo("IF2612");
      assertThat(record.get("fields")).hasSize(1);
      JsonNode field = record.get("fields").get(0);
      assertThat(field.get("field").asText()).isEqualTo("long");
      assertThat(field.get("primary").asText()).isEqualTo(Long.toString(held.longQty()));
      assertThat(field.get("standby").asText()).isEqualTo(Long.toString(held.longQty() + 7));

      system.repairStandby();
      assertThat(system.compareHeld().matched()).isTrue();
      assertThat(system.standby().image()).isEqualTo(system.primary().image());
      system.resume();

      long after = system.journal().lastSequence() + 2_000;
      await("2000 more orders are journaled", () -> system.journal().lastSequence() >= after);
      assertThat(system.auditNow().matched()).as("the repaired standby keeps up").isTrue();
      assertThat(system.follower().failure()).isEmpty();
    }
  }

  @Test
  void aPlannedSwitchoverWithTwoOperatorsMovesTradingAndMembersToTheStandby() throws Exception {
    try (TradingSystem system = start(WEEKEND)) {
      system.startFlow();
      await(
          "a checkpoint has been compared",
          () -> system.runtime().consistency().auditor().lastMatchedSequence().orElse(0) >= 1_000);
      assertThat(system.membersConnected()).isEqualTo(12);

      SwitchReport report = system.switchController().switchover(approvedSwitchover(system));

      assertThat(report.kind()).isEqualTo("planned");
      assertThat(report.digestsEqual()).isTrue();
      assertThat(report.possiblyLost()).isZero();
      assertThat(report.switchSequence()).isEqualTo(system.journal().lastSequence());
      assertThat(system.registry().primary(TradingSystem.SERVICE).orElseThrow().address())
          .isEqualTo(TradingSystem.STANDBY_ADDRESS);
      assertThat(system.membersConnected()).isEqualTo(system.members()).isEqualTo(12);
      assertThat(system.active()).isSameAs(system.standby());
      assertThat(system.standby().lastApplied()).isEqualTo(report.switchSequence());
      assertThat(system.standby().image()).isEqualTo(system.primary().image());

      // The new primary takes orders at the new epoch, continuing the journal's sequence.
      long tradesBefore = system.trades().total();
      Market market = system.market();
      long seller = market.account(0);
      long buyer = market.account(1);
      long settle = market.instrument(0).settleTicks();
      system.submit(OrderInput.limit(900_000_001L, seller, 0, OrderInput.SELL, settle, 1));
      system.submit(
          OrderInput.limit(
              900_000_002L, buyer, 0, OrderInput.BUY, market.instrument(0).upperLimit(), 1));
      assertThat(system.journal().lastSequence()).isEqualTo(report.switchSequence() + 2);
      assertThat(system.journal().epoch()).isEqualTo(report.epoch());
      assertThat(system.standby().lastApplied()).isEqualTo(report.switchSequence() + 2);
      assertThat(system.primary().lastApplied())
          .as("the old primary's core takes no more input")
          .isEqualTo(report.switchSequence());
      assertThat(system.trades().total())
          .as("trades on the new primary are counted")
          .isGreaterThan(tradesBefore);
      await(
          "the new primary's trades reach clearing",
          () ->
              system.pendingClearing() == 0
                  && system.clearing().cleared() == system.trades().total());
    }
  }

  @Test
  void aSwitchoverDuringATradingSessionIsRefusedNamingTheSession() throws Exception {
    try (TradingSystem system = start(IN_SESSION)) {
      system.startFlow();
      await(
          "a checkpoint has been compared",
          () -> system.runtime().consistency().auditor().lastMatchedSequence().isPresent());
      Approval approval = approvedSwitchover(system);

      assertThatThrownBy(() -> system.switchController().switchover(approval))
          .isInstanceOf(SwitchRefusedException.class)
          .hasMessageContaining("change-window")
          .hasMessageContaining("trading session continuous-morning is open from 09:30 until 11:30")
          .hasMessageContaining("2026-11-30");

      // Nothing moved: the primary keeps trading and members stay with it.
      assertThat(system.active()).isSameAs(system.primary());
      assertThat(system.registry().primary(TradingSystem.SERVICE).orElseThrow().address())
          .isEqualTo(TradingSystem.PRIMARY_ADDRESS);
      assertThat(system.membersConnected()).isEqualTo(12);
      long acknowledged = system.acknowledged();
      await("more orders are acknowledged", () -> system.acknowledged() > acknowledged + 100);
    }
  }

  @Test
  void anOrderInputOfTheWrongLengthOrAnUnknownTypeIsRefused() {
    byte[] good = OrderInput.limit(1, 10_000_001L, 0, OrderInput.BUY, 19_500, 1).encode();
    assertThat(OrderInput.decode(ByteBuffer.wrap(good)))
        .isEqualTo(OrderInput.limit(1, 10_000_001L, 0, OrderInput.BUY, 19_500, 1));

    assertThatThrownBy(() -> OrderInput.decode(ByteBuffer.wrap(new byte[33])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an order input is 34 bytes, got 33");
    assertThatThrownBy(() -> OrderInput.decode(ByteBuffer.allocate(35)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an order input is 34 bytes, got 35");
    byte[] unknown = good.clone();
    unknown[0] = 9;
    assertThatThrownBy(() -> OrderInput.decode(ByteBuffer.wrap(unknown)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown order input type 9");
  }

  @Test
  void aSnapshotThatIsNotAWholeImageIsRefused() {
    MapTradingCore core = new MapTradingCore(Market.demo(10));
    OrderFlow flow = new OrderFlow(core.market(), 3L);
    for (int i = 0; i < 500; i++) {
      core.process(flow.next());
    }
    byte[] snapshot = core.snapshot();
    assertThat(StateImage.fromBytes(snapshot)).isEqualTo(core.image());

    assertThatThrownBy(() -> StateImage.fromBytes("not a snapshot at all".getBytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a trading core snapshot (magic ");
    assertThatThrownBy(() -> StateImage.fromBytes(java.util.Arrays.copyOf(snapshot, 40)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a trading core snapshot is cut short");
    assertThatThrownBy(
            () -> StateImage.fromBytes(java.util.Arrays.copyOf(snapshot, snapshot.length + 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a trading core snapshot has 3 bytes after its end");
    // Corrupted row counts must not pass as an empty book (restoring it would wipe every account).
    byte[] negativeCounts =
        ByteBuffer.allocate(24)
            .put(snapshot, 0, 4) // the magic
            .putLong(500)
            .putInt(-1)
            .putInt(-1)
            .putInt(-1)
            .array();
    assertThatThrownBy(() -> StateImage.fromBytes(negativeCounts))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a trading core snapshot has a negative count of funds rows: -1");
    ArrayTradingCore standby = new ArrayTradingCore(core.market());
    assertThatThrownBy(() -> standby.restore(new byte[] {1, 2, 3}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSnapshotFromAnotherMarketIsRefusedBeforeAnythingChanges() {
    Market big = Market.demo(20);
    MapTradingCore primary = new MapTradingCore(big);
    OrderFlow flow = new OrderFlow(big, 5L);
    for (int i = 0; i < 2_000; i++) {
      primary.process(flow.next());
    }
    // A standby of a smaller market: accounts 10000011.. are unknown to it.
    ArrayTradingCore standby = new ArrayTradingCore(Market.demo(10));
    OrderFlow small = new OrderFlow(standby.market(), 6L);
    for (int i = 0; i < 500; i++) {
      standby.process(small.next());
    }
    StateImage before = standby.image();
    var digestBefore = standby.digest().value();

    assertThatThrownBy(() -> standby.restore(primary.snapshot()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not in the market");
    assertThat(standby.image()).as("nothing was wiped or half-loaded").isEqualTo(before);
    assertThat(standby.digest().value()).isEqualTo(digestBefore);
  }

  @Test
  void badReferenceDataAndSettingsAreRefusedWithTheReason() {
    assertThatThrownBy(
            () ->
                new Market.Instrument(
                    "X1", new java.math.BigDecimal("0.001"), 1, 100, 1_000, 1_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("X1: a tick must be worth whole cents, got 0.100 cents");
    assertThatThrownBy(
            () -> new Market.Instrument("X2", java.math.BigDecimal.ONE, 1, 100, 10_000, 1_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("X2: settlement, limit and margin must be positive");
    assertThatThrownBy(() -> Market.demo(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("accounts must be >= 1, got 0");
    assertThatThrownBy(() -> TradingSystem.builder(java.nio.file.Path.of("x")).rate(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rate must be 1..1000000 inputs/s, got 0");
    assertThatThrownBy(() -> TradingSystem.builder(java.nio.file.Path.of("x")).checkpointEvery(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("checkpointEvery must be >= 1, got 0");
    assertThatThrownBy(() -> TradingSystem.builder(java.nio.file.Path.of("x")).members(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("members must be >= 0, got -1");
  }
}
