package dev.stability.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stability.testkit.discovery.DiscoveryReport;
import dev.stability.testkit.evidence.EvidenceReport.Evidence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs sample classes on a JUnit engine of their own and reads the pack they leave behind. */
class EvidenceExtensionTest {

  @TempDir Path dir;

  /** A class whose tests hand over a discovery campaign and a check of their own. */
  @StabilityEvidence
  static class Campaigns {
    @Test
    void everyFaultIsDetected(EvidenceCollector evidence) {
      List<Evidence> added =
          evidence.discovery(
              new DiscoveryReport(
                  Duration.ofSeconds(1),
                  List.of(
                      new DiscoveryReport.Result(
                          "link errors", true, Duration.ofMillis(30), "event X"))),
              1.0);
      assertThat(added).extracting(Evidence::requirement).containsExactly("R13");
    }

    @Test
    void logsAreNotMasked(EvidenceCollector evidence) {
      int leaks = 2; // as if a scan of the log had found two account numbers in clear
      evidence.add("R16", leaks + " account numbers in clear", leaks == 0, "{\"leaks\":2}");
    }
  }

  /** Four tests that add their evidence at the same time. */
  @StabilityEvidence
  @Execution(ExecutionMode.CONCURRENT)
  static class Concurrent {
    static final CountDownLatch STARTED = new CountDownLatch(4);

    private static void add(EvidenceCollector evidence) throws InterruptedException {
      STARTED.countDown();
      assertThat(STARTED.await(10, TimeUnit.SECONDS)).as("tests ran concurrently").isTrue();
      for (int i = 0; i < 50; i++) {
        evidence.add("R3", "check " + i, true, "{\"i\":" + i + "}");
      }
    }

    @Test
    void a(EvidenceCollector evidence) throws InterruptedException {
      add(evidence);
    }

    @Test
    void b(EvidenceCollector evidence) throws InterruptedException {
      add(evidence);
    }

    @Test
    void c(EvidenceCollector evidence) throws InterruptedException {
      add(evidence);
    }

    @Test
    void d(EvidenceCollector evidence) throws InterruptedException {
      add(evidence);
    }
  }

  /** A class that collects but adds nothing. */
  @StabilityEvidence
  static class Empty {
    @Test
    void doesNothingWorthEvidence() {
      assertThat(1 + 1).isEqualTo(2);
    }
  }

  private EngineExecutionResults run(Path pack, DiscoverySelector... classes) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter(EvidenceExtension.DIRECTORY, pack.toString())
        .configurationParameter(EvidenceExtension.SYSTEM, "sample system")
        .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
        .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
        .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
        .selectors(classes)
        .execute();
  }

  private static JsonNode json(Path pack) throws Exception {
    return new ObjectMapper().readTree(Files.readString(pack.resolve("evidence.json")));
  }

  private static List<JsonNode> items(JsonNode json, String requirement) {
    List<JsonNode> items = new ArrayList<>();
    for (JsonNode r : json.get("requirements")) {
      if (r.get("id").asText().equals(requirement)) {
        r.get("evidence").forEach(items::add);
      }
    }
    return items;
  }

  @Test
  void theRunWritesOnePackNamingTheTestOfEveryItem() throws Exception {
    Path pack = dir.resolve("target/stability-evidence");

    run(pack, selectClass(Campaigns.class))
        .testEvents()
        .assertStatistics(stats -> stats.started(2).succeeded(2));

    JsonNode json = json(pack);
    assertThat(json.get("system").asText()).isEqualTo("sample system");
    assertThat(items(json, "R13"))
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.get("test").asText())
                  .isEqualTo(Campaigns.class.getName() + "#everyFaultIsDetected");
              assertThat(item.get("passed").asBoolean()).isTrue();
            });
    assertThat(items(json, "R16"))
        .singleElement()
        .satisfies(item -> assertThat(item.get("passed").asBoolean()).isFalse());
    assertThat(json.get("passed").asBoolean()).as("one item failed").isFalse();
    assertThat(json.get("summary").asText())
        .startsWith("2/18 requirements evidenced, 1/2 pieces of evidence passed");
    assertThat(Files.readString(pack.resolve("evidence.html")))
        .contains("Campaigns#logsAreNotMasked")
        .contains("FAILED");
  }

  @Test
  void parallelTestsAllLandInThePackUnderTheirOwnNames() throws Exception {
    Path pack = dir.resolve("parallel");

    run(pack, selectClass(Concurrent.class))
        .testEvents()
        .assertStatistics(stats -> stats.started(4).succeeded(4));

    List<JsonNode> items = items(json(pack), "R3");
    assertThat(items).hasSize(200);
    for (String test : List.of("a", "b", "c", "d")) {
      assertThat(items)
          .filteredOn(i -> i.get("test").asText().equals(Concurrent.class.getName() + "#" + test))
          .hasSize(50);
    }
  }

  @Test
  void classesOfOneRunShareOnePack() throws Exception {
    Path pack = dir.resolve("shared");

    run(pack, selectClass(Campaigns.class), selectClass(Empty.class))
        .testEvents()
        .assertStatistics(stats -> stats.succeeded(3));

    assertThat(json(pack).get("summary").asText()).startsWith("2/18 requirements evidenced");
  }

  @Test
  void aRunWithoutEvidenceWritesAPackThatDoesNotPass() throws Exception {
    Path pack = dir.resolve("empty");

    run(pack, selectClass(Empty.class)).testEvents().assertStatistics(s -> s.succeeded(1));

    JsonNode json = json(pack);
    assertThat(json.get("passed").asBoolean()).isFalse();
    assertThat(json.get("summary").asText())
        .isEqualTo(
            "0/18 requirements evidenced, 0/0 pieces of evidence passed; no evidence for R1, R2,"
                + " R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13, R14, R15, R16, R17, R18");
    assertThat(Files.readString(pack.resolve("evidence.html")))
        .contains("No evidence was collected");
  }

  @Test
  void anUnwritableDirectoryFailsTheRunNamingThePath() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "a file");
    Path pack = file.resolve("stability-evidence");

    EngineExecutionResults results = run(pack, selectClass(Campaigns.class));

    results.testEvents().assertStatistics(stats -> stats.succeeded(2));
    Throwable failure =
        results.containerEvents().failed().list().stream()
            .map(e -> e.getPayload(TestExecutionResult.class).flatMap(r -> r.getThrowable()))
            .flatMap(Optional::stream)
            .findFirst()
            .orElseThrow(() -> new AssertionError("the run did not fail"));
    // JUnit wraps what closing the store threw; the cause names the directory and the setting.
    StringBuilder messages = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    assertThat(messages.toString())
        .contains("the stability evidence pack cannot be written to " + pack)
        .contains(EvidenceExtension.DIRECTORY);
  }
}
