package dev.stability.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FoundationDemoTest {

  @Test
  void demoWritesEveryRecordAndReportsSuccess() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int status;
    try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      status = FoundationDemo.run(out);
    }

    String narration = buffer.toString(StandardCharsets.UTF_8);
    assertThat(status).isZero();
    assertThat(narration)
        .containsPattern("== 10\\. (\\d+) records published, \\1 written, 0 dropped");
    assertThat(narration)
        .contains("trading readiness of OMS/oms-a1")
        .containsPattern("DOWN +1 +exchange-gw .* exchange link down")
        .containsPattern("DEGRADED +2 +guards .* exchange-link breaker OPEN")
        .contains("headroom 3.33x (R1 requires 3x)")
        .contains("reset without a token -> 401")
        .contains("approve as zhang.san himself -> 403")
        .containsPattern("perform as li.si -> 200 .*price limits reloaded")
        .contains("/operations/verify -> 200 {\"intact\":true")
        .contains(
            "at 10:00 on a Monday: limits.reload refused: trading session continuous-morning");
    assertThat(narration).contains("ORDER_ACCEPTED").contains("GUARD_CIRCUIT_OPENED");
    assertThat(narration).contains("refused by the guard").contains("circuit is now OPEN");
  }
}
