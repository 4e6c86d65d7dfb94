/**
 * The SDK's test kit (users take it in test scope): {@code @StabilityTest}, event and metric
 * expectations, fault injection, ArchUnit rules, pressure tests, drills, discovery campaigns and
 * the evidence report. Every package is public and exported; the kit uses only the public API of
 * {@code dev.stability.core}.
 *
 * <p>ArchUnit and Micrometer ship stable {@code Automatic-Module-Name}s. HdrHistogram (the pressure
 * test's histograms) ships none: its name, {@code HdrHistogram}, is the one derived from the file
 * name of its jar ({@code HdrHistogram-2.2.2.jar}), the same under Maven and Gradle; Maven warns
 * about any such name ("filename-based automodules"). A jar renamed on the module path would not be
 * found.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.stability.testkit {
  requires transitive dev.stability.core;
  requires transitive org.junit.jupiter.api;
  requires transitive com.tngtech.archunit;
  requires org.junit.platform.commons;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires HdrHistogram;
  requires java.management;
  requires jdk.management;

  exports dev.stability.testkit;
  exports dev.stability.testkit.arch;
  exports dev.stability.testkit.discovery;
  exports dev.stability.testkit.drill;
  exports dev.stability.testkit.evidence;
  exports dev.stability.testkit.fault;
  exports dev.stability.testkit.junit;
  exports dev.stability.testkit.members;
  exports dev.stability.testkit.pressure;
}
