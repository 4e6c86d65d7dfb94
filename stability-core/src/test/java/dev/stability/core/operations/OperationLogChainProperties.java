package dev.stability.core.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stability.core.ManualClock;
import dev.stability.core.StabilityRuntime;
import dev.stability.core.TestRuntimes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * Any single alteration, removal or swap of records in a real log file is found, at the first
 * record it affects. (Removing the very last record is the documented exception: the chain cannot
 * show what came after its end; the central log holds the head hash for that.)
 */
class OperationLogChainProperties {

  enum Edit {
    ALTER,
    REMOVE,
    SWAP
  }

  private Path dir;

  @BeforeTry
  void createDir() throws Exception {
    dir = Files.createTempDirectory("oplog-prop");
  }

  @AfterTry
  void deleteDir() throws Exception {
    try (var files = Files.walk(dir)) {
      files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Property(tries = 40)
  void everySingleEditIsFoundAtTheFirstRecordItAffects(
      @ForAll @IntRange(min = 3, max = 12) int records,
      @ForAll Edit edit,
      @ForAll @IntRange(min = 0, max = 1000) int where,
      @ForAll @IntRange(min = 1, max = 1000) int other)
      throws Exception {
    Path file = dir.resolve("operations.jsonl");
    ManualClock clock =
        ManualClock.at(Instant.parse("2026-11-29T02:00:00Z"), ZoneId.of("Asia/Shanghai"));
    try (StabilityRuntime runtime = open(file, clock)) {
      for (int i = 1; i <= records; i++) {
        runtime
            .operations()
            .record(
                Operation.builder("limits.change", Risk.ROUTINE)
                    .operator("zhang.san")
                    .reason("change number " + i)
                    .build(),
                true,
                "");
      }
    }
    List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    int i = where % records;
    long expectedLine;
    switch (edit) {
      case ALTER -> {
        lines.set(i, lines.get(i).replace("change number " + (i + 1), "change number 9" + i));
        expectedLine = i + 1;
      }
      case REMOVE -> {
        if (i == records - 1) {
          i--; // removing the last record is not detectable by the chain alone (documented)
        }
        lines.remove(i);
        expectedLine = i + 1;
      }
      default -> {
        int j = (i + other) % records;
        if (j == i) {
          j = (i + 1) % records;
        }
        Collections.swap(lines, i, j);
        expectedLine = Math.min(i, j) + 1;
      }
    }
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);

    try (StabilityRuntime runtime = open(file, clock)) {
      OperationLog.Verification verification = runtime.operations().log().verify();
      assertThat(verification.problem()).as("%s of record %d found", edit, i + 1).isPresent();
      assertThat(verification.problem().get().line()).isEqualTo(expectedLine);
    }
  }

  private static StabilityRuntime open(Path file, ManualClock clock) {
    return TestRuntimes.quiet("a1")
        .clock(clock)
        .operations(OperationSettings.builder().logFile(file).build())
        .build();
  }
}
