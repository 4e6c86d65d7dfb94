package ${package};

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.stability.testkit.arch.StabilityRules;

/**
 * The SDK's architecture rules on this service's main code. Mark code with {@code @CriticalPath},
 * {@code @OutboundClient}, {@code @Idempotent} and {@code @Deterministic} for the rules to find it;
 * the rules that select marked code pass while nothing is marked. The rules that check every class
 * fail when the package holds none, so a wrong package name does not pass unnoticed.
 */
@AnalyzeClasses(
    packages = "${package}",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest static final ArchRule noBlocking = StabilityRules.CRITICAL_PATH_DOES_NOT_BLOCK;

  @ArchTest
  static final ArchRule guarded = StabilityRules.CRITICAL_PATH_CALLS_CLIENTS_ONLY_THROUGH_GUARDS;

  @ArchTest static final ArchRule retries = StabilityRules.RETRY_ONLY_ON_IDEMPOTENT_OPERATIONS;

  @ArchTest
  static final ArchRule replayable = StabilityRules.DETERMINISTIC_CODE_READS_NO_CLOCK_OR_RANDOMNESS;

  @ArchTest static final ArchRule noConsole = StabilityRules.NO_CONSOLE_OUTPUT;

  @ArchTest static final ArchRule slf4jOnly = StabilityRules.LOGGING_ONLY_THROUGH_SLF4J;

  @ArchTest static final ArchRule publicApiOnly = StabilityRules.NO_SDK_INTERNALS;
}
