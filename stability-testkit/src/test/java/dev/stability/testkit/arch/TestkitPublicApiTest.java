package dev.stability.testkit.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The test kit is built on the SDK's public API only, as an application's own test helpers would
 * be: fault injection goes through {@code Guard.intercept}, not through the guard's internals.
 */
class TestkitPublicApiTest {

  @Test
  void theTestkitUsesNoInternalPackageOfTheSdk() {
    JavaClasses testkit =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.stability.testkit");
    noClasses()
        .that()
        .resideInAPackage("dev.stability.testkit..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.stability..internal..")
                .and(not(resideInAPackage("dev.stability.testkit.."))))
        .because("the test kit is an application of the public API (its own internals aside)")
        .check(testkit);
  }
}
