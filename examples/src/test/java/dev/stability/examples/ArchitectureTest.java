package dev.stability.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.stability.api.annotation.CriticalPath;
import dev.stability.api.annotation.Deterministic;
import dev.stability.api.annotation.OutboundClient;
import dev.stability.examples.trading.TradingSystem;
import dev.stability.testkit.arch.StabilityRules;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The testkit's architecture rules (R14) applied to the example's own classes. */
class ArchitectureTest {

  private static JavaClasses examples;
  private static JavaClasses tradingSystem;

  @BeforeAll
  static void importClasses() {
    ClassFileImporter importer =
        new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS);
    examples = importer.importPackages("dev.stability.examples");
    tradingSystem = importer.importPackages("dev.stability.examples.trading");
  }

  private static String violations(EvaluationResult result) {
    return String.join("\n", result.getFailureReport().getDetails());
  }

  @Test
  void theClassesAreImported() {
    assertThat(examples.containPackage("dev.stability.examples.trading")).isTrue();
    assertThat(tradingSystem.contain(TradingSystem.class)).isTrue();
  }

  @Test
  void loggingGoesOnlyThroughSlf4j() {
    EvaluationResult result = StabilityRules.LOGGING_ONLY_THROUGH_SLF4J.evaluate(examples);
    assertThat(result.hasViolation()).as(violations(result)).isFalse();
  }

  @Test
  void retryIsConfiguredOnlyInIdempotentCode() {
    // The clearing link's guard has a circuit breaker and no retry: a resent trade batch would
    // clear twice. This rule keeps it that way.
    EvaluationResult result = StabilityRules.RETRY_ONLY_ON_IDEMPOTENT_OPERATIONS.evaluate(examples);
    assertThat(result.hasViolation()).as(violations(result)).isFalse();
  }

  @Test
  void theTradingSystemWritesNothingToTheConsole() {
    EvaluationResult result = StabilityRules.NO_CONSOLE_OUTPUT.evaluate(tradingSystem);
    assertThat(result.hasViolation()).as(violations(result)).isFalse();
  }

  /**
   * NO_CONSOLE_OUTPUT fails on the package as a whole, and stays failing: the two demos are console
   * programs whose {@code main} narrates to {@code System.out} (and TradingDemo reports a bad flag
   * on {@code System.err}). This pins that the demos' entry points are the only violations, so any
   * new console output anywhere else fails here.
   */
  @Test
  void onlyTheDemoProgramsWriteToTheConsole() {
    EvaluationResult result = StabilityRules.NO_CONSOLE_OUTPUT.evaluate(examples);

    assertThat(result.hasViolation()).isTrue();
    List<String> details = result.getFailureReport().getDetails();
    assertThat(details)
        .isNotEmpty()
        .allSatisfy(
            line ->
                assertThat(line)
                    .containsAnyOf(
                        "Method <dev.stability.examples.FoundationDemo.",
                        "Method <dev.stability.examples.TradingDemo.",
                        "Method <dev.stability.examples.replication.ReplicationExample.main",
                        // the standby's JVM speaks to the demo that started it on its stdout
                        "Method <dev.stability.examples.replication.RemoteStandby.main"));
  }

  /**
   * NO_SDK_INTERNALS is written for applications outside {@code dev.stability..}; the example lives
   * inside it, so the rule selects none of its classes (and ArchUnit fails a rule that checks
   * nothing). The same intent, scoped to the example's package, does apply.
   */
  @Test
  void theExampleUsesNoSdkInternals() {
    assertThatThrownBy(() -> StabilityRules.NO_SDK_INTERNALS.evaluate(examples))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("failed to check any classes");

    EvaluationResult scoped =
        noClasses()
            .that()
            .resideInAPackage("dev.stability.examples..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.stability..internal..")
            .because("the SDK's internal packages are not API (docs/api-conventions.md)")
            .evaluate(examples);
    assertThat(scoped.hasViolation()).as(violations(scoped)).isFalse();
  }

  /**
   * The cores' {@code execute} (validation, risk, matching) is marked {@code @CriticalPath}, the
   * cores {@code @Deterministic} (the standby rebuilds from the journal), the clearing link
   * {@code @OutboundClient}; the rules that act on those marks must find them and pass.
   */
  @Test
  void theMarkedCriticalPathDoesNotBlockOrCallClientsAndTheCoresAreDeterministic() {
    assertThat(examples.stream())
        .as("classes marked @Deterministic")
        .anyMatch(c -> c.isAnnotatedWith(Deterministic.class))
        .as("methods marked @CriticalPath")
        .anyMatch(c -> c.getMethods().stream().anyMatch(m -> m.isAnnotatedWith(CriticalPath.class)))
        .as("classes marked @OutboundClient")
        .anyMatch(c -> c.isAnnotatedWith(OutboundClient.class));
    for (ArchRule rule :
        List.of(
            StabilityRules.CRITICAL_PATH_DOES_NOT_BLOCK,
            StabilityRules.CRITICAL_PATH_CALLS_CLIENTS_ONLY_THROUGH_GUARDS,
            StabilityRules.DETERMINISTIC_CODE_READS_NO_CLOCK_OR_RANDOMNESS)) {
      EvaluationResult result = rule.evaluate(examples);
      assertThat(result.hasViolation()).as(violations(result)).isFalse();
    }
  }
}
