package dev.stability.ops.console;

import java.net.URI;
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

/** HtmlUnit (as Chrome) with JavaScript errors and console warnings and errors collected. */
public final class HtmlUnitBrowser implements ConsoleBrowser {
  private final WebClient client = new WebClient(BrowserVersion.CHROME);
  private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
  private HtmlPage page;

  /** A new browser. */
  public HtmlUnitBrowser() {
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
