package dev.stability.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's quick start runs as shown: the guarded call answers and readiness is UP. */
class QuickStartTest {

  @Test
  void quickStartRunsAndReportsReadiness() throws Exception {
    PrintStream console = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      QuickStart.main(new String[0]);
    } finally {
      System.setOut(console);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    assertThat(output.lines())
        .contains("sent")
        .anySatisfy(
            line -> assertThat(line).startsWith("readiness of OMS/oms-a1").contains("PASSED"))
        .anySatisfy(line -> assertThat(line).contains("UP").contains("exchange-gw"));
  }
}
