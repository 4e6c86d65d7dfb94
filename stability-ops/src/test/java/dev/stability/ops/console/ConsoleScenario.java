package dev.stability.ops.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.stability.api.event.LogField;
import dev.stability.api.event.LogRecord;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * The operators' scenario, the same in every browser: two operators sign in; operator A requests a
 * switchover with a reason, tries to approve it himself (refused on the page as in the API),
 * operator B approves, A performs and the page shows the outcome; then B forces the clearing-link
 * guard open and A resets it. Everything is checked on the page and in the runtime.
 */
public final class ConsoleScenario {

  /** Operator A's token (zhang.san): give it to the endpoint under test. */
  public static final String ZHANG_TOKEN = "zhang-0123456789abcdef0123456789abcdef";

  /** Operator B's token (li.si): give it to the endpoint under test. */
  public static final String LI_TOKEN = "li-fedcba9876543210fedcba9876543210fe";

  private static final Duration WAIT = Duration.ofSeconds(15);

  /**
   * The system the console runs on.
   *
   * @param uri the endpoint's base URI
   * @param runtime its runtime
   * @param journal the primary's journal (its epoch is bumped by the switch)
   * @param readyToSwitch true once primary and standby matched at a checkpoint
   * @param identity how the console's identity line starts, e.g. {@code FUT / core / fut-a1}
   * @param readinessCheck a readiness check the page lists
   * @param tradingCheck a trading-readiness check the page lists
   * @param indicator a capacity indicator
   * @param guard a guard to force open and reset (its circuit must be closed)
   * @param switchTarget what the switchover request names as its target
   */
  public record Target(
      java.net.URI uri,
      dev.stability.core.StabilityRuntime runtime,
      dev.stability.api.journal.Journal journal,
      java.util.function.BooleanSupplier readyToSwitch,
      String identity,
      String readinessCheck,
      String tradingCheck,
      String indicator,
      String guard,
      String switchTarget) {}

  private final ConsoleBrowser browser;
  private final Target system;

  /** The scenario for this browser on this system. */
  public ConsoleScenario(ConsoleBrowser browser, Target system) {
    this.browser = browser;
    this.system = system;
  }

  private void await(String what, String id, Predicate<String> condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      last = browser.text(id);
      if (last != null && condition.test(last)) {
        return;
      }
      browser.pause(50);
    }
    fail("waited " + WAIT.toSeconds() + " s for " + what + "; #" + id + " shows: " + last);
  }

  private String awaitId(String what, String prefix) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      List<String> ids = browser.ids(prefix);
      if (!ids.isEmpty()) {
        return ids.get(0);
      }
      browser.pause(50);
    }
    fail(
        "waited "
            + WAIT.toSeconds()
            + " s for "
            + what
            + " (an element id starting "
            + prefix
            + "); #requests shows: "
            + browser.text("requests")
            + "; #message shows: "
            + browser.text("message"));
    return null;
  }

  /** Runs the scenario; fails with what the page showed when a step does not happen in time. */
  public void run() throws Exception {
    long epochBefore = system.journal().epoch();
    String guard = system.guard();
    browser.open(system.uri().toString());
    await("the identity", "identity", t -> t.startsWith(system.identity()));
    await("the read-only mode on loopback", "mode", t -> t.contains("read-only view"));
    await("the liveness checks", "liveness", t -> t.contains("jvm"));
    await("the readiness checks", "readiness", t -> t.contains(system.readinessCheck()));
    await("capacity", "capacity", t -> t.contains(system.indicator()));
    await("the verified chain", "verify", t -> t.startsWith("chain intact"));
    browser.click("run-trading");
    await("the trading readiness run", "trading", t -> t.contains(system.tradingCheck()));

    browser.type("token-a", ZHANG_TOKEN);
    browser.click("use-a");
    await("operator A signed in", "who-a", t -> t.equals("signed in as zhang.san"));
    browser.type("token-b", LI_TOKEN);
    browser.click("use-b");
    await("operator B signed in", "who-b", t -> t.equals("signed in as li.si"));
    assertThat(browser.script("document.getElementById('token-a').value")).isEmpty();
    assertThat(browser.script("document.cookie")).isEmpty();
    assertThat(browser.script("String(window.localStorage.length + window.sessionStorage.length)"))
        .as("tokens are kept in memory only")
        .isEqualTo("0");

    // Switch readiness before anyone asked: the approval gate fails.
    await("the gates", "gates", t -> t.contains("approval") && t.contains("failed"));
    long matchBy = System.nanoTime() + WAIT.toNanos();
    while (!system.readyToSwitch().getAsBoolean()) {
      if (System.nanoTime() > matchBy) {
        fail("primary and standby never matched at a checkpoint within " + WAIT);
      }
      browser.pause(50);
    }

    // A requests, with a reason that would be markup if it were not escaped.
    String reason = "weekend drill <img src=x id=injected> & \"quotes\"";
    browser.type("switch-target", system.switchTarget());
    browser.type("switch-reason", reason);
    browser.click("switch-request");
    await("the request", "message", t -> t.contains("requested switchover"));
    String approveAsA = awaitId("the request's approve buttons", "approve-a-");
    String id = approveAsA.substring("approve-a-".length());
    await("the reason shown as text", "requests", t -> t.contains(reason));
    assertThat(browser.ids("injected")).as("the reason was not rendered as markup").isEmpty();

    // A approves his own request: refused, on the page as in the API.
    browser.click(approveAsA);
    await(
        "the self-approval refusal",
        "message",
        t -> t.contains("403") && t.contains("zhang.san cannot approve their own request"));
    assertThat(browser.ids("perform-")).isEmpty();

    browser.click("approve-b-" + id);
    await("B's approval", "message", t -> t.contains("li.si approved " + id));
    await("the approval gate", "gates", t -> t.contains("approved"));
    String perform = awaitId("the perform buttons", "perform-a-" + id);
    browser.click(perform);
    await(
        "the switchover outcome",
        "switch-outcome",
        t ->
            t.contains("switchover done")
                && t.contains("takeover")
                && t.contains("new epoch " + (epochBefore + 1)));
    assertThat(browser.text("switch-outcome"))
        .contains("approved by li.si")
        .contains("digests equal true");
    assertThat(system.journal().epoch()).isEqualTo(epochBefore + 1);
    await("the new epoch", "identity", t -> t.contains("epoch " + (epochBefore + 1)));

    LogRecord executed = executed("switchover");
    assertThat(executed.get(LogField.OPERATOR)).isEqualTo("zhang.san");
    assertThat(executed.get(LogField.REVIEWER)).isEqualTo("li.si");
    assertThat(executed.attrs()).containsEntry("reason", reason);

    // B forces the clearing link open, A resets it.
    await("the guard row", "guard-" + guard, t -> t.contains("CLOSED"));
    // A call through the guard just before it is looked for (the window keeps about a minute).
    system
        .runtime()
        .guards()
        .guard(guard)
        .call(
            () -> {
              Thread.sleep(3);
              return "cleared";
            });
    await(
        "the guard's latency (one call of 3 ms or more)",
        "guard-" + guard,
        t -> t.matches("(?s).*\\d+\\.\\d\\d / \\d+\\.\\d\\d / \\d+\\.\\d\\d ms.*"));
    browser.type("guard-reason", "clearing house maintenance");
    browser.select("guard-operator", "b");
    browser.click("force-open-" + guard);
    await("the forced-open guard", "guard-" + guard, t -> t.contains("FORCED_OPEN"));
    assertThat(system.runtime().guards().guard(guard).circuitState().name())
        .isEqualTo("FORCED_OPEN");
    browser.select("guard-operator", "a");
    browser.click("reset-" + guard);
    await("the reset guard", "guard-" + guard, t -> t.contains("CLOSED"));
    assertThat(system.runtime().guards().guard(guard).circuitState().name()).isEqualTo("CLOSED");
    assertThat(executed("guard.force-open").get(LogField.OPERATOR)).isEqualTo("li.si");
    assertThat(executed("guard.reset").get(LogField.OPERATOR)).isEqualTo("zhang.san");

    await("the log tail", "oplog", t -> t.contains("guard.reset") && t.contains("switchover"));
    browser.click("verify-button");
    long records = system.runtime().operations().log().verify().records();
    assertThat(records)
        .as("request, refusal, approval, switch, force-open, reset")
        .isGreaterThan(8);
    await(
        "the chain verified after the changes",
        "verify",
        t -> t.startsWith("chain intact: " + records + " records"));

    assertThat(browser.errors()).as("JavaScript and console errors").isEmpty();
  }

  private LogRecord executed(String action) {
    List<LogRecord> tail = system.runtime().operations().log().tail(100);
    for (int i = tail.size() - 1; i >= 0; i--) {
      LogRecord record = tail.get(i);
      if (record.code().equals("OPERATION_EXECUTED")
          && action.equals(record.attrs().get("action"))) {
        return record;
      }
    }
    fail("no OPERATION_EXECUTED for " + action + " in " + tail);
    return null;
  }
}
