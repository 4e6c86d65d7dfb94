package dev.stability.core;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * The class path a child JVM of a test needs. Surefire runs the tests of a module with a module
 * declaration on the module path: the module and its dependencies are then on {@code
 * jdk.module.path}, the test classes patch the module ({@code --patch-module}, seen as {@code
 * jdk.module.patch.N}) and {@code java.class.path} holds only the test dependencies. A child JVM
 * that runs on the class path takes all three.
 */
public final class TestClassPath {
  private TestClassPath() {}

  /** The test JVM's patched test classes, module path and class path, as one class path. */
  public static String ofThisJvm() {
    List<String> entries = new ArrayList<>();
    for (int i = 0; System.getProperty("jdk.module.patch." + i) != null; i++) {
      String patch = System.getProperty("jdk.module.patch." + i); // module=path[:path...]
      entries.add(patch.substring(patch.indexOf('=') + 1));
    }
    for (String property : new String[] {"jdk.module.path", "java.class.path"}) {
      String value = System.getProperty(property);
      if (value != null && !value.isEmpty()) {
        entries.add(value);
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
