package dev.stability.ops.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.htmlunit.BrowserVersion;
import org.htmlunit.ScriptException;
import org.htmlunit.WebClient;
import org.htmlunit.WebConsole;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlSelect;
import org.htmlunit.javascript.DefaultJavaScriptErrorListener;
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
      new ConsoleScenario(browser, system).run();
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

  /** HtmlUnit with JavaScript errors and console errors collected. */
  static final class HtmlUnitBrowser implements ConsoleBrowser {
    private final WebClient client = new WebClient(BrowserVersion.CHROME);
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private HtmlPage page;

    HtmlUnitBrowser() {
      client.getOptions().setThrowExceptionOnScriptError(false);
      client.getOptions().setThrowExceptionOnFailingStatusCode(false);
      client.getOptions().setCssEnabled(true);
      client.setJavaScriptErrorListener(
          new DefaultJavaScriptErrorListener() {
            @Override
            public void scriptException(HtmlPage page, ScriptException e) {
              errors.add("script error: " + e.getMessage());
            }

            @Override
            public void loadScriptError(HtmlPage page, java.net.URL url, Exception e) {
              errors.add("script not loaded: " + url + ": " + e);
            }
          });
      client
          .getWebConsole()
          .setLogger(
              new WebConsole.Logger() {
                @Override
                public boolean isTraceEnabled() {
                  return false;
                }

                @Override
                public void trace(Object message) {}

                @Override
                public boolean isDebugEnabled() {
                  return false;
                }

                @Override
                public void debug(Object message) {}

                @Override
                public boolean isInfoEnabled() {
                  return false;
                }

                @Override
                public void info(Object message) {}

                @Override
                public boolean isWarnEnabled() {
                  return true;
                }

                @Override
                public void warn(Object message) {
                  errors.add("console.warn: " + message);
                }

                @Override
                public boolean isErrorEnabled() {
                  return true;
                }

                @Override
                public void error(Object message) {
                  errors.add("console.error: " + message);
                }
              });
    }

    @Override
    public void open(String url) throws Exception {
      page = client.getPage(URI.create(url).toURL());
    }

    @Override
    public void type(String id, String text) throws Exception {
      HtmlInput input = (HtmlInput) page.getElementById(id);
      input.setValue("");
      input.type(text);
    }

    @Override
    public void select(String id, String value) {
      HtmlSelect select = (HtmlSelect) page.getElementById(id);
      select.setSelectedAttribute(value, true);
    }

    @Override
    public void click(String id) throws Exception {
      // The page re-renders its tables every 2 s on the script thread: wait out a re-render.
      long deadline = System.nanoTime() + 5_000_000_000L;
      DomElement element = page.getElementById(id);
      while (element == null && System.nanoTime() < deadline) {
        pause(20);
        element = page.getElementById(id);
      }
      if (element == null) {
        throw new AssertionError("no element #" + id + " on the page: " + page.asNormalizedText());
      }
      ((HtmlElement) element).click();
    }

    @Override
    public String text(String id) {
      DomElement element = page.getElementById(id);
      return element == null ? null : element.getTextContent();
    }

    @Override
    public List<String> ids(String prefix) {
      List<String> ids = new ArrayList<>();
      for (DomElement element : page.getDocumentElement().getDomElementDescendants()) {
        String id = element.getId();
        if (id != null && id.startsWith(prefix)) {
          ids.add(id);
        }
      }
      return ids;
    }

    @Override
    public String script(String expression) {
      Object result = page.executeJavaScript(expression).getJavaScriptResult();
      return String.valueOf(result);
    }

    @Override
    public void pause(long millis) {
      client.waitForBackgroundJavaScript(millis);
    }

    @Override
    public List<String> errors() {
      return List.copyOf(errors);
    }

    @Override
    public void close() {
      client.close();
    }
  }
}
