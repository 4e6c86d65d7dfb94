package dev.stability.testkit.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

class MoreRulesTest {

  private static EvaluationResult evaluate(ArchRule rule, Class<?>... classes) {
    return rule.evaluate(new ClassFileImporter().importClasses(classes));
  }

  private static String details(EvaluationResult result) {
    return String.join("\n", result.getFailureReport().getDetails());
  }

  @Test
  void deterministicCodeReadingTheClockOrRandomnessViolatesAndInputsComply() {
    ArchRule rule = StabilityRules.DETERMINISTIC_CODE_READS_NO_CLOCK_OR_RANDOMNESS;

    EvaluationResult clock = evaluate(rule, MoreSamples.ReadsTheWallClock.class);
    EvaluationResult random = evaluate(rule, MoreSamples.DrawsItsOwnRandomness.class);

    assertThat(details(clock)).contains("Instant.now()");
    assertThat(details(random)).contains("Random.<init>()");
    assertThat(clock.getFailureReport().toString()).contains("R10");
    assertThat(evaluate(rule, MoreSamples.TakesTimeAndSeedAsInputs.class).hasViolation()).isFalse();
  }

  @Test
  void retryOutsideIdempotentCodeViolatesAndIdempotentRetryComplies() {
    ArchRule rule = StabilityRules.RETRY_ONLY_ON_IDEMPOTENT_OPERATIONS;

    EvaluationResult order = evaluate(rule, MoreSamples.RetriesAnOrder.class);

    assertThat(order.hasViolation()).isTrue();
    assertThat(details(order)).contains("configures retry outside @Idempotent code");
    assertThat(evaluate(rule, MoreSamples.RetriesQuotes.class).hasViolation()).isFalse();
  }

  @Test
  void callingAnOutboundClientDirectlyOnTheCriticalPathViolatesAndThroughAGuardComplies() {
    ArchRule rule = StabilityRules.CRITICAL_PATH_CALLS_CLIENTS_ONLY_THROUGH_GUARDS;

    EvaluationResult direct =
        evaluate(rule, MoreSamples.CallsTheExchangeDirectly.class, MoreSamples.ExchangeLink.class);

    assertThat(direct.hasViolation()).isTrue();
    assertThat(details(direct)).contains("ExchangeLink.send").contains("without a guard");
    assertThat(
            evaluate(
                    rule,
                    MoreSamples.CallsTheExchangeThroughAGuard.class,
                    MoreSamples.ExchangeLink.class)
                .hasViolation())
        .isFalse();
  }
}
