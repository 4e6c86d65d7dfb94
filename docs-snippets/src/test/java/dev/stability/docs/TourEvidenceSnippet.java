package dev.stability.docs;

class TourEvidenceSnippet {
  void snippet(
      dev.stability.testkit.evidence.EvidenceReport evidence,
      dev.stability.core.health.HealthReport readiness,
      dev.stability.testkit.pressure.PressureReport report,
      double peak,
      dev.stability.testkit.discovery.DiscoveryReport discovery,
      dev.stability.testkit.drill.DrillReport drillReport,
      java.nio.file.Path dir)
      throws Exception {
    // tag::tour-evidence[]
    evidence
        .readiness("step2", readiness)
        .pressure("step1", report, 3 * peak)
        .discovery("step4", discovery, 1.0)
        .drill("step6", drillReport)
        .write(dir.resolve("evidence"));
    // end::tour-evidence[]
  }
}
