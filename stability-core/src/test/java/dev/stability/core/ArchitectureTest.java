package dev.stability.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.GeneralCodingRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency and failure rules the SDK's own code must keep. */
class ArchitectureTest {

  private static JavaClasses sdk;

  @BeforeAll
  static void importSdk() {
    sdk =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.stability.api", "dev.stability.core");
  }

  @Test
  void apiDependsOnNothingButTheJdkAndNullnessAnnotations() {
    classes()
        .that()
        .resideInAPackage("dev.stability.api..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "dev.stability.api..", "org.jspecify.annotations..")
        .because("stability-api has no runtime dependency but JSpecify's annotations")
        .check(sdk);
  }

  @Test
  void sdkNeverWritesToStandardStreams() {
    GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS
        .because("the SDK never writes to stdout/stderr")
        .check(sdk);
  }

  @Test
  void sdkNeverExitsTheJvm() {
    noClasses()
        .should()
        .callMethod(System.class, "exit", int.class)
        .orShould()
        .callMethod(Runtime.class, "halt", int.class)
        .because("the SDK never calls System.exit")
        .check(sdk);
  }

  @Test
  void publicApiOfCoreExposesNoResilience4jOrJacksonTypes() {
    methods()
        .that()
        .areDeclaredInClassesThat(publicApiOfCore())
        .and()
        .arePublic()
        .should(notMentionTypesFrom("io.github.resilience4j", "com.fasterxml.jackson"))
        .because("users must not need third-party types to call the SDK")
        .allowEmptyShould(true)
        .check(sdk);
  }

  /** A public type that leaks Jackson, to prove the rule above can fail. */
  public static final class LeakySample {
    public com.fasterxml.jackson.core.JsonFactory factory() {
      return null;
    }
  }

  @Test
  void thirdPartyTypeRuleReportsALeakingMethod() {
    JavaClasses leaky = new ClassFileImporter().importClasses(LeakySample.class);

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                methods()
                    .that()
                    .areDeclaredInClassesThat(publicApiOfCore())
                    .and()
                    .arePublic()
                    .should(notMentionTypesFrom("com.fasterxml.jackson"))
                    .check(leaky))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "LeakySample.factory() mentions com.fasterxml.jackson.core.JsonFactory");
  }

  @Test
  void apiDoesNotDependOnCore() {
    noClasses()
        .that()
        .resideInAPackage("dev.stability.api..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.stability.core..")
        .check(sdk);
  }

  @Test
  void coreHoldsNoHttpServer() {
    noClasses()
        .that()
        .resideInAPackage("dev.stability.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "com.sun.net.httpserver..", "org.eclipse.jetty..", "dev.stability.ops..")
        .because(
            "the ops endpoint lives in stability-ops, above the runtime; core keeps its four"
                + " dependencies")
        .check(sdk);
  }

  private static DescribedPredicate<JavaClass> publicApiOfCore() {
    return DescribedPredicate.describe(
        "public classes of core outside internal packages",
        c ->
            c.getPackageName().startsWith("dev.stability.core")
                && !c.getPackageName().contains(".internal")
                && c.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.PUBLIC));
  }

  private static ArchCondition<JavaMethod> notMentionTypesFrom(String... prefixes) {
    return new ArchCondition<>("not mention types from " + String.join(", ", prefixes)) {
      @Override
      public void check(JavaMethod method, ConditionEvents events) {
        for (JavaClass type : method.getAllInvolvedRawTypes()) {
          for (String prefix : prefixes) {
            if (type.getName().startsWith(prefix)) {
              events.add(
                  SimpleConditionEvent.violated(
                      method, method.getFullName() + " mentions " + type.getName()));
            }
          }
        }
      }
    };
  }
}
