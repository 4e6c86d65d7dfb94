package dev.stability.testkit.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.GeneralCodingRules;
import dev.stability.api.annotation.CriticalPath;
import dev.stability.api.annotation.Deterministic;
import dev.stability.api.annotation.Idempotent;
import dev.stability.api.annotation.OutboundClient;
import java.util.List;

/**
 * ArchUnit rules that keep a trading application's critical paths guarded, non-blocking and
 * observable (R14). Use them from a test with {@code @AnalyzeClasses} and {@code @ArchTest}:
 *
 * <pre>{@code
 * @AnalyzeClasses(packages = "com.example.oms")
 * class ArchitectureTest {
 *   @ArchTest static final ArchRule criticalPathDoesNotBlock = StabilityRules.CRITICAL_PATH_DOES_NOT_BLOCK;
 *   @ArchTest static final ArchRule noConsole = StabilityRules.NO_CONSOLE_OUTPUT;
 * }
 * }</pre>
 *
 * <p>Each rule's {@code because} names the requirement it enforces, so a violation message says why
 * the code is wrong. The seven rules: critical paths do not block and call outbound clients only
 * through guards, retry only on idempotent operations, deterministic code reads no clock or
 * randomness, no console output, logging only through SLF4J, no SDK internals (docs/testing.md
 * lists what each checks). The rules that select annotated code pass on an empty selection.
 */
public final class StabilityRules {

  private StabilityRules() {}

  /** Blocking calls a critical path must not make, by owner class and method name prefix. */
  private static final List<String[]> BLOCKING =
      List.of(
          new String[] {"java.lang.Thread", "sleep"},
          new String[] {"java.lang.Thread", "join"},
          new String[] {"java.lang.Object", "wait"},
          new String[] {"java.util.concurrent.locks.LockSupport", "park"},
          new String[] {"java.util.concurrent.Future", "get"},
          new String[] {"java.util.concurrent.CompletableFuture", "get"},
          new String[] {"java.util.concurrent.CompletableFuture", "join"},
          new String[] {"java.util.concurrent.CountDownLatch", "await"},
          new String[] {"java.util.concurrent.BlockingQueue", "put"},
          new String[] {"java.util.concurrent.BlockingQueue", "take"},
          new String[] {"java.nio.file.Files", ""},
          new String[] {"java.io.InputStream", "read"},
          new String[] {"java.io.OutputStream", "write"},
          new String[] {"java.io.OutputStream", "flush"},
          new String[] {"java.io.Reader", "read"},
          new String[] {"java.io.Writer", "write"},
          new String[] {"java.net.Socket", ""},
          new String[] {"java.net.URLConnection", ""},
          new String[] {"java.net.http.HttpClient", "send"},
          new String[] {"java.nio.channels.FileChannel", ""});

  /**
   * Code marked {@code @CriticalPath} (the method, or every method of a marked class) makes no
   * blocking call: no sleeps, joins, waits, parks, blocking future gets, blocking queue puts and
   * takes, file, stream or socket I/O; and is not a {@code synchronized} method. Checked on the
   * marked code itself, not on what it calls; {@code synchronized} blocks inside a method are not
   * visible to ArchUnit and are not checked.
   */
  public static final ArchRule CRITICAL_PATH_DOES_NOT_BLOCK =
      noMethods()
          .that(criticalPath())
          .should(blockOrSynchronize())
          .because(
              "R14: the order path budgets ~100 us; a blocked critical path stalls every order"
                  + " behind it (docs/requirements.md)")
          .allowEmptyShould(true);

  /** No code writes to {@code System.out}/{@code System.err} or calls {@code printStackTrace}. */
  public static final ArchRule NO_CONSOLE_OUTPUT =
      GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.because(
          "R4/R12: console output escapes the log schema, categories and retention; operations"
              + " cannot see it");

  /** Logging goes through SLF4J only (no java.util.logging, Log4j API, commons-logging, JBoss). */
  public static final ArchRule LOGGING_ONLY_THROUGH_SLF4J =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "java.util.logging..",
              "org.apache.logging.log4j..",
              "org.apache.commons.logging..",
              "org.jboss.logging..")
          .orShould()
          .dependOnClassesThat()
          .areAssignableTo(System.Logger.class)
          .because(
              "R4: one logging facade, so every record can be rendered in the schema by one encoder"
                  + " and kept by category");

  /** Applications do not use the SDK's {@code internal} packages, which may change at any time. */
  public static final ArchRule NO_SDK_INTERNALS =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.stability..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.stability..internal..")
          .because(
              "the SDK's internal packages are not API: use StabilityRuntime and the public types"
                  + " (docs/api-conventions.md)");

  /**
   * Code marked {@code @Deterministic} (e.g. a state machine a standby replays) reads neither the
   * wall clock nor a random source directly.
   */
  public static final ArchRule DETERMINISTIC_CODE_READS_NO_CLOCK_OR_RANDOMNESS =
      noClasses()
          .that()
          .areAnnotatedWith(Deterministic.class)
          .should()
          .callMethod(System.class, "currentTimeMillis")
          .orShould()
          .callMethod(System.class, "nanoTime")
          .orShould()
          .callMethodWhere(named("now"))
          .orShould()
          .callMethod(java.time.Clock.class, "systemUTC")
          .orShould()
          .callMethod(java.time.Clock.class, "systemDefaultZone")
          .orShould()
          .callMethod(Math.class, "random")
          .orShould()
          .callMethod(java.util.concurrent.ThreadLocalRandom.class, "current")
          .orShould()
          .callMethod(java.util.UUID.class, "randomUUID")
          .orShould()
          .callConstructor(java.util.Random.class)
          .orShould()
          .callConstructor(java.security.SecureRandom.class)
          .because(
              "R10: primary and standby must reach the same state from the same journal; time and"
                  + " seeds come in as inputs (a Clock, a seed), never from the machine")
          // an application without @Deterministic classes (yet) passes, as with the other rules
          .allowEmptyShould(true);

  /**
   * Retry is configured only in code marked {@code @Idempotent}, and no other retry library is used
   * around the guards.
   */
  public static final ArchRule RETRY_ONLY_ON_IDEMPOTENT_OPERATIONS =
      noMethods()
          .that(DescribedPredicate.not(idempotent()))
          .should(configureRetry())
          .because(
              "R14: retrying a non-idempotent operation resends it; a resent order is a duplicate"
                  + " order")
          .allowEmptyShould(true);

  /**
   * {@code @CriticalPath} code calls {@code @OutboundClient} types only through a guard. ArchUnit
   * sees a lambda's calls as calls of the method declaring it, so the rule is a heuristic: a
   * critical method that calls a client must also call a {@code Guard} (whose lambda runs the
   * client call). It catches the missing guard, not a guard that is present but bypassed.
   */
  public static final ArchRule CRITICAL_PATH_CALLS_CLIENTS_ONLY_THROUGH_GUARDS =
      noMethods()
          .that(criticalPath())
          .should(callOutboundClientsDirectly())
          .because(
              "R14: every outbound call on the order path needs a deadline, a breaker and a"
                  + " bulkhead, or one slow dependency stalls all orders")
          .allowEmptyShould(true);

  private static DescribedPredicate<JavaMethodCall> named(String name) {
    return DescribedPredicate.describe(
        "a method named " + name + " on java.time or System",
        call ->
            call.getName().equals(name)
                && call.getTargetOwner().getPackageName().startsWith("java.time"));
  }

  private static DescribedPredicate<JavaMethod> idempotent() {
    return DescribedPredicate.describe(
        "are @Idempotent",
        method ->
            method.isAnnotatedWith(Idempotent.class)
                || method.getOwner().isAnnotatedWith(Idempotent.class));
  }

  private static ArchCondition<JavaMethod> configureRetry() {
    return new ArchCondition<>("configure retry") {
      @Override
      public void check(JavaMethod method, ConditionEvents events) {
        for (JavaAccess<?> access : method.getAccessesFromSelf()) {
          JavaClass owner = access.getTargetOwner();
          boolean sdkRetry =
              owner.getName().equals("dev.stability.core.guard.GuardSettings$Builder")
                  && access.getName().equals("retry");
          boolean otherRetry =
              owner.getPackageName().startsWith("io.github.resilience4j.retry")
                  || owner.getPackageName().startsWith("org.springframework.retry")
                  || owner.getName().equals("dev.failsafe.RetryPolicy");
          if (sdkRetry || otherRetry) {
            events.add(
                SimpleConditionEvent.satisfied(
                    method,
                    access.getDescription() + " configures retry outside @Idempotent code"));
          }
        }
      }
    };
  }

  private static ArchCondition<JavaMethod> callOutboundClientsDirectly() {
    return new ArchCondition<>("call outbound clients directly") {
      @Override
      public void check(JavaMethod method, ConditionEvents events) {
        // ArchUnit attributes a lambda's calls to the method that declares it, so "inside the
        // lambda given to the guard" cannot be seen; the rule asks that a method calling a client
        // also goes through a guard, which catches the common mistake of no guard at all.
        boolean usesGuard = false;
        JavaAccess<?> clientCall = null;
        for (JavaAccess<?> access : method.getCallsFromSelf()) {
          JavaClass owner = access.getTargetOwner();
          if (owner.isAssignableTo("dev.stability.core.guard.Guard")) {
            usesGuard = true;
          } else if (owner.isAnnotatedWith(OutboundClient.class) && clientCall == null) {
            clientCall = access;
          }
        }
        if (clientCall != null && !usesGuard) {
          events.add(
              SimpleConditionEvent.satisfied(
                  method,
                  clientCall.getDescription() + " calls an outbound client without a guard"));
        }
      }
    };
  }

  private static DescribedPredicate<JavaMethod> criticalPath() {
    return DescribedPredicate.describe(
        "are on a @CriticalPath",
        method ->
            method.isAnnotatedWith(CriticalPath.class)
                || method.getOwner().isAnnotatedWith(CriticalPath.class));
  }

  private static ArchCondition<JavaMethod> blockOrSynchronize() {
    return new ArchCondition<>("block or be synchronized") {
      @Override
      public void check(JavaMethod method, ConditionEvents events) {
        if (method.getModifiers().contains(JavaModifier.SYNCHRONIZED)) {
          events.add(
              SimpleConditionEvent.satisfied(
                  method, method.getFullName() + " is synchronized on a critical path"));
        }
        for (JavaAccess<?> access : method.getCallsFromSelf()) {
          if (isBlocking(access.getTargetOwner(), access.getName())) {
            events.add(
                SimpleConditionEvent.satisfied(
                    method, access.getDescription() + " blocks on a critical path"));
          }
        }
      }
    };
  }

  private static boolean isBlocking(JavaClass owner, String name) {
    for (String[] blocking : BLOCKING) {
      if ((owner.isAssignableTo(blocking[0]) || owner.getName().equals(blocking[0]))
          && name.startsWith(blocking[1])) {
        return true;
      }
    }
    return false;
  }
}
