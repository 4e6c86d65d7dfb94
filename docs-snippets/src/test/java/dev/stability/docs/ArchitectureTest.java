package dev.stability.docs;

// tag::architecture-test[]
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.stability.testkit.arch.StabilityRules;

@AnalyzeClasses(packages = "com.example.oms")
class ArchitectureTest {
  @ArchTest static final ArchRule noBlocking = StabilityRules.CRITICAL_PATH_DOES_NOT_BLOCK;

  @ArchTest
  static final ArchRule guarded = StabilityRules.CRITICAL_PATH_CALLS_CLIENTS_ONLY_THROUGH_GUARDS;

  @ArchTest
  static final ArchRule replayable = StabilityRules.DETERMINISTIC_CODE_READS_NO_CLOCK_OR_RANDOMNESS;
}
// end::architecture-test[]
