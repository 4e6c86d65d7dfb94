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
    assertThat(narration).contains("7 records written (expected 7)");
    assertThat(narration).contains("ORDER_ACCEPTED").contains("GUARD_CIRCUIT_OPENED");
    assertThat(narration).contains("refused by the guard").contains("circuit is now OPEN");
  }
}
