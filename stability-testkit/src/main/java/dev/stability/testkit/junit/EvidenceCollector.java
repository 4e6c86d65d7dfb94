package dev.stability.testkit.junit;

import dev.stability.core.health.HealthReport;
import dev.stability.testkit.discovery.DiscoveryReport;
import dev.stability.testkit.drill.DrillReport;
import dev.stability.testkit.evidence.EvidenceReport;
import dev.stability.testkit.evidence.EvidenceReport.Evidence;
import dev.stability.testkit.pressure.PressureReport;
import java.util.List;

/**
 * What one test hands to the run's evidence pack ({@link StabilityEvidence}): each method adds the
 * evidence of one report to the run's shared {@link EvidenceReport}, named after this test ({@code
 * com.firm.PressureIT#ordersSustainThreeTimesThePeak}), and returns the items it added so the test
 * can assert on them. Whether an item passed is computed from the report, as {@link EvidenceReport}
 * does; the pack shows failed items as FAILED. Thread-safe.
 */
public final class EvidenceCollector {

  private final EvidenceReport report;
  private final String test;

  EvidenceCollector(EvidenceReport report, String test) {
    this.report = report;
    this.test = test;
  }

  /** The name this test's items carry in the pack. */
  public String test() {
    return test;
  }

  /** A pressure test: R1 (sustained at least {@code requiredRate}) and R2. */
  public List<Evidence> pressure(PressureReport pressure, double requiredRate) {
    return added(() -> report.pressure(test, pressure, requiredRate));
  }

  /** A switch drill: R8, R10, R11 and R18. */
  public List<Evidence> drill(DrillReport drill) {
    return added(() -> report.drill(test, drill));
  }

  /** A discovery campaign: R13, passed when the rate reaches {@code minimum}. */
  public List<Evidence> discovery(DiscoveryReport discovery, double minimum) {
    return added(() -> report.discovery(test, discovery, minimum));
  }

  /** A trading-readiness report: R7. */
  public List<Evidence> readiness(HealthReport readiness) {
    return added(() -> report.readiness(test, readiness));
  }

  /**
   * Any other evidence (an audit, a log check, an operation log verification).
   *
   * @param requirement R1 ... R18
   * @param measured what was measured, in one line
   * @param passed whether it met the requirement, computed from what happened
   * @param detailJson the full result as JSON
   * @throws IllegalArgumentException for an unknown requirement, a blank part or a detail that is
   *     not JSON
   */
  public Evidence add(String requirement, String measured, boolean passed, String detailJson) {
    Evidence item = new Evidence(requirement, test, measured, passed, detailJson);
    report.add(item);
    return item;
  }

  /**
   * Every item of a report this test built itself (a demo or a scenario that writes its own {@link
   * EvidenceReport}), each named {@code <this test> / <its step>} so the pack shows where it came
   * from.
   *
   * @throws IllegalArgumentException if {@code built} has no evidence: a test that hands over an
   *     empty report has evidenced nothing
   */
  public List<Evidence> include(EvidenceReport built) {
    List<Evidence> items = built.evidence();
    if (items.isEmpty()) {
      throw new IllegalArgumentException(test + " handed over a report with no evidence");
    }
    List<Evidence> added = new java.util.ArrayList<>();
    for (Evidence item : items) {
      Evidence renamed =
          new Evidence(
              item.requirement(),
              test + " / " + item.test(),
              item.measured(),
              item.passed(),
              item.detail());
      report.add(renamed);
      added.add(renamed);
    }
    return added;
  }

  private List<Evidence> added(Runnable adding) {
    // Items of other tests may be added at the same time (parallel execution): keep only ours.
    synchronized (report) {
      int before = report.evidence().size();
      adding.run();
      List<Evidence> all = report.evidence();
      return all.subList(before, all.size()).stream().filter(e -> e.test().equals(test)).toList();
    }
  }
}
