package dev.stability.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Collects the evidence of a test class into the test run's evidence pack: declare an {@link
 * EvidenceCollector} parameter and hand it the reports the test produced (pressure tests, drills,
 * discovery campaigns, readiness reports, audits). At the end of the run (of the JVM's JUnit
 * engine) every item of every such class is written as {@code evidence.json} and {@code
 * evidence.html} into {@code target/stability-evidence}, each item naming the test that produced
 * it; see {@link EvidenceExtension} for the settings. Safe with JUnit's parallel execution.
 *
 * <pre>{@code
 * @StabilityEvidence
 * class PressureIT {
 *   @Test
 *   void ordersSustainThreeTimesThePeak(EvidenceCollector evidence) {
 *     PressureReport report = PressureTest.builder("orders", gateway::submit)...run();
 *     evidence.pressure(report, 3 * PEAK);
 *     report.assertSustains(3 * PEAK);
 *   }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(EvidenceExtension.class)
public @interface StabilityEvidence {}
