package dev.stability.examples.trading;

import dev.stability.aeron.ReplicationSettings;
import dev.stability.api.consistency.DigestValue;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A standby's JVM started by this one ({@code RemoteStandby} in the replication package, with this
 * JVM's class path and the {@code --add-exports} Aeron needs), driven by lines: commands go to its
 * standard input, answers come from its standard output. Its {@code status <received> <applied>
 * <replayed>} lines are kept as the latest values; every other line is kept in order for {@link
 * #command} and {@link #awaitLine}. The child ends when its input ends, so it dies with this JVM
 * (also when this one is killed: the pipe closes).
 */
public final class StandbyProcess implements AutoCloseable {

  /** The main class the standby's JVM runs ({@code RemoteStandby} in the replication package). */
  public static final String MAIN = "dev.stability.examples.replication.RemoteStandby";

  /** The replication's name (its journal's, on both sides). */
  public static final String REPLICATION = "orders";

  /** The standby's instance id. */
  public static final String INSTANCE = "fut-b1";

  /** How often the primary's warm state is carried to the standby. */
  public static final Duration WARM_INTERVAL = Duration.ofMillis(100);

  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

  /** The replication settings both sides use. */
  public static ReplicationSettings settings(String standbyEndpoint, String primaryEndpoint) {
    return ReplicationSettings.builder(REPLICATION)
        .udp(standbyEndpoint, primaryEndpoint)
        .heartbeat(Duration.ofMillis(20))
        .build();
  }

  /** One digest value as {@code count:high:low}, as the standby's JVM sends it. */
  public static String format(DigestValue value) {
    return value.count() + ":" + value.high() + ":" + value.low();
  }

  /** Reads {@link #format}. */
  public static DigestValue parse(String text) {
    String[] parts = text.split(":");
    return new DigestValue(
        Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
  }

  private final Process process;
  private final OutputStream stdin;
  private final List<String> lines = new ArrayList<>();
  private volatile long received = -1;
  private volatile long applied = -1;
  private volatile long replayed = -1;

  private StandbyProcess(Process process) {
    this.process = process;
    this.stdin = process.getOutputStream();
    Thread pump = new Thread(this::pump, "standby-output");
    pump.setDaemon(true);
    pump.start();
  }

  /** Starts {@link #MAIN} with {@code args} in a new JVM. */
  public static StandbyProcess start(List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1"); // starts sooner; C1 code is ample at the demo's rates
    command.add("--add-exports");
    command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
    command.add("-cp");
    command.add(classPath());
    command.add(MAIN);
    command.addAll(args);
    return new StandbyProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  private void pump() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("status ")) {
          String[] parts = line.split(" ");
          received = Long.parseLong(parts[1]);
          applied = Long.parseLong(parts[2]);
          replayed = Long.parseLong(parts[3]);
        } else {
          synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
          }
        }
      }
    } catch (IOException | RuntimeException ended) {
      synchronized (lines) {
        lines.add("(output ended: " + ended + ")");
        lines.notifyAll();
      }
    }
  }

  /** The child's process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the child still runs. */
  public boolean alive() {
    return process.isAlive();
  }

  /** The last sequence the standby received, as it last said; -1 before it said. */
  public long received() {
    return received;
  }

  /** The last sequence its follower applied, as it last said; -1 before it said. */
  public long applied() {
    return applied;
  }

  /** Records replayed to it from the primary's archive, as it last said; -1 before it said. */
  public long replayed() {
    return replayed;
  }

  /**
   * Sends {@code line} and returns the first line after it that starts with one of {@code answers}
   * and a space, or a line starting {@code refused} if none came within 30 s.
   */
  public String command(String line, String... answers) throws InterruptedException {
    int seen = size();
    send(line);
    return lineAt(awaitFrom(seen, answers), seen);
  }

  /**
   * Sends {@code line} and returns every line after it up to and including the first starting with
   * one of {@code last} and a space (within 30 s; else what came, and a line starting {@code
   * refused}).
   */
  public List<String> commandLines(String line, String... last) throws InterruptedException {
    int seen = size();
    send(line);
    int end = awaitFrom(seen, last);
    synchronized (lines) {
      if (end < 0) {
        List<String> said = new ArrayList<>(lines.subList(seen, lines.size()));
        said.add(lineAt(end, seen));
        return said;
      }
      return List.copyOf(lines.subList(seen, end + 1));
    }
  }

  /** Waits for the first line (of all it said) starting with {@code prefix} and a space. */
  public String awaitLine(String prefix) throws InterruptedException {
    return lineAt(awaitFrom(0, prefix), 0);
  }

  private int size() {
    synchronized (lines) {
      return lines.size();
    }
  }

  private String lineAt(int index, int from) {
    synchronized (lines) {
      return index >= 0
          ? lines.get(index)
          : "refused no answer within "
              + ANSWER_TIMEOUT.toSeconds()
              + " s; the standby said: "
              + lines.subList(from, lines.size());
    }
  }

  private void send(String line) {
    try {
      stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("the standby's JVM does not take commands: " + line, e);
    }
  }

  /** The index of the first line from {@code from} that answers, or -1 after 30 s. */
  private int awaitFrom(int from, String... answers) throws InterruptedException {
    long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
    synchronized (lines) {
      while (true) {
        for (int i = from; i < lines.size(); i++) {
          String said = lines.get(i);
          for (String answer : answers) {
            if (said.startsWith(answer + " ")) {
              return i;
            }
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return -1;
        }
        lines.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** Kills the child with SIGKILL (no orderly stop) and waits until it is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Kills the child if it still runs. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * This JVM's class path: the class loader's when run by Maven's exec plugin (its class path
   * property is Maven's own), else the class path property.
   */
  private static String classPath() {
    ClassLoader loader = StandbyProcess.class.getClassLoader();
    if (loader instanceof URLClassLoader urls && urls.getURLs().length > 0) {
      List<String> entries = new ArrayList<>();
      for (URL url : urls.getURLs()) {
        try {
          entries.add(Path.of(url.toURI()).toString());
        } catch (URISyntaxException | IllegalArgumentException notAFile) {
          // not a file: not on a child's class path either
        }
      }
      return String.join(File.pathSeparator, entries);
    }
    return System.getProperty("java.class.path");
  }
}
