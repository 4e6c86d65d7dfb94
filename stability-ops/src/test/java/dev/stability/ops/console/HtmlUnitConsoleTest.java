package dev.stability.ops.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console in HtmlUnit (runs everywhere): the operators' scenario, and the page's security. */
class HtmlUnitConsoleTest {

  @TempDir Path dir;
  private ConsoleSystem system;

  @BeforeEach
  void start() {
    system = new ConsoleSystem(dir);
  }

  @AfterEach
  void stop() throws Exception {
    system.close();
  }

  @Test
  void operatorsSwitchOverWithDualControlAndForceOpenAndResetAGuardWithoutScriptErrors()
      throws Exception {
    try (HtmlUnitBrowser browser = new HtmlUnitBrowser()) {
      new ConsoleScenario(browser, system.target()).run();
    }
  }

  @Test
  void thePageForbidsInlineScriptAndCarriesNoSecretOrThirdPartyResource() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(system.endpoint.uri()).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp)
        .contains("default-src 'none'")
        .contains("script-src 'self'")
        .doesNotContain("unsafe-inline")
        .doesNotContain("unsafe-eval");
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(page.body())
        .as("no inline script, no inline handlers, nothing from another origin")
        .doesNotContainPattern("<script(?![^>]*\\bsrc=\"/console\\.js\")")
        .doesNotContainPattern("\\son[a-z]+=")
        .doesNotContain("http://")
        .doesNotContain("https://")
        .doesNotContain("style=");
    HttpResponse<String> script =
        http.send(
            HttpRequest.newBuilder(system.endpoint.uri().resolve("/console.js")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(script.headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(script.body())
        .as("values are written as text, tokens never stored")
        .doesNotContain("innerHTML")
        .doesNotContain("outerHTML")
        .doesNotContain("insertAdjacentHTML")
        .doesNotContain("document.write")
        .doesNotContain("localStorage")
        .doesNotContain("sessionStorage")
        .doesNotContain("document.cookie")
        .doesNotContain("eval(");
  }
}
