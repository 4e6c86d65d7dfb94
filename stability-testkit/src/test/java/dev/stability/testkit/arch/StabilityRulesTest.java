package dev.stability.testkit.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

class StabilityRulesTest {

  private static EvaluationResult evaluate(ArchRule rule, Class<?>... classes) {
    JavaClasses imported = new ClassFileImporter().importClasses(classes);
    return rule.evaluate(imported);
  }

  private static String violations(EvaluationResult result) {
    return String.join("\n", result.getFailureReport().getDetails());
  }

  @Test
  void rulesOnAnnotatedCodePassAnApplicationThatMarkedNothingYet() {
    JavaClasses nothingMarked =
        new ClassFileImporter().importClasses(StabilityRulesTest.class, Samples.class);
    for (ArchRule rule :
        java.util.List.of(
            StabilityRules.CRITICAL_PATH_DOES_NOT_BLOCK,
            StabilityRules.CRITICAL_PATH_CALLS_CLIENTS_ONLY_THROUGH_GUARDS,
            StabilityRules.RETRY_ONLY_ON_IDEMPOTENT_OPERATIONS,
            StabilityRules.DETERMINISTIC_CODE_READS_NO_CLOCK_OR_RANDOMNESS)) {
      org.assertj.core.api.Assertions.assertThatCode(() -> rule.check(nothingMarked))
          .as(rule.getDescription())
          .doesNotThrowAnyException();
    }
  }

  @Test
  void sleepingOnACriticalPathIsAViolationThatSaysWhy() {
    EvaluationResult result =
        evaluate(StabilityRules.CRITICAL_PATH_DOES_NOT_BLOCK, Samples.SleepsOnCriticalPath.class);

    assertThat(result.hasViolation()).isTrue();
    assertThat(violations(result))
        .contains("Thread.sleep(long)")
        .contains("blocks on a critical path");
    assertThat(result.getFailureReport().toString()).contains("R14");
  }

  @Test
  void synchronizedMethodsAndFileIoOnCriticalClassesAreViolations() {
    assertThat(
            violations(
                evaluate(
                    StabilityRules.CRITICAL_PATH_DOES_NOT_BLOCK,
                    Samples.SynchronizedOnCriticalPath.class)))
        .contains("is synchronized on a critical path");
    assertThat(
            violations(
                evaluate(
                    StabilityRules.CRITICAL_PATH_DOES_NOT_BLOCK,
                    Samples.ReadsFilesOnCriticalPath.class)))
        .contains("Files.readAllBytes");
  }

  @Test
  void nonBlockingCriticalPathAndBlockingHousekeepingComply() {
    assertThat(
            evaluate(
                    StabilityRules.CRITICAL_PATH_DOES_NOT_BLOCK,
                    Samples.NonBlockingCriticalPath.class)
                .hasViolation())
        .isFalse();
  }

  @Test
  void consoleOutputIsAViolationAndSlf4jComplies() {
    assertThat(
            evaluate(StabilityRules.NO_CONSOLE_OUTPUT, Samples.WritesToConsole.class)
                .hasViolation())
        .isTrue();
    assertThat(evaluate(StabilityRules.NO_CONSOLE_OUTPUT, Samples.UsesSlf4j.class).hasViolation())
        .isFalse();
  }

  @Test
  void loggingThroughAnotherFacadeIsAViolation() {
    EvaluationResult jul =
        evaluate(StabilityRules.LOGGING_ONLY_THROUGH_SLF4J, Samples.UsesJavaUtilLogging.class);

    assertThat(jul.hasViolation()).isTrue();
    assertThat(violations(jul)).contains("java.util.logging.Logger");
    assertThat(
            evaluate(StabilityRules.LOGGING_ONLY_THROUGH_SLF4J, Samples.UsesSlf4j.class)
                .hasViolation())
        .isFalse();
  }

  @Test
  void applicationsUsingSdkInternalsViolateAndPublicApiComplies() throws Exception {
    Class<?> internals = Class.forName("com.example.app.UsesSdkInternals");
    Class<?> api = Class.forName("com.example.app.UsesSdkApi");

    EvaluationResult violating = evaluate(StabilityRules.NO_SDK_INTERNALS, internals);

    assertThat(violating.hasViolation()).isTrue();
    assertThat(violations(violating)).contains("dev.stability.core.internal.SdkMeters");
    assertThat(evaluate(StabilityRules.NO_SDK_INTERNALS, api).hasViolation()).isFalse();
  }
}
