package dev.stability.ops.console;

import java.util.List;

/** What the console scenario does with a browser: HtmlUnit or Chromium through Selenium. */
public interface ConsoleBrowser extends AutoCloseable {

  /** Opens the console page. */
  void open(String url) throws Exception;

  /** Types into the input with this id. */
  void type(String id, String text) throws Exception;

  /** Chooses an option of the select with this id. */
  void select(String id, String value) throws Exception;

  /** Clicks the element with this id. */
  void click(String id) throws Exception;

  /** The text of the element with this id, or null when there is none. */
  String text(String id);

  /** The ids of the elements whose id starts with {@code prefix}. */
  List<String> ids(String prefix);

  /** Runs a script and returns its result as text. */
  String script(String expression);

  /** Lets timers and requests run for a moment. */
  void pause(long millis);

  /** JavaScript errors and console errors seen so far. */
  List<String> errors();
}
