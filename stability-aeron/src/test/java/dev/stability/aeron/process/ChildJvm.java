package dev.stability.aeron.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A child JVM running {@link ReplicationProcess}, its output read line by line: the last value of
 * each {@code word N} line is kept, and everything it printed goes to the test report.
 */
public final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final String name;
  private final List<String> lines = new ArrayList<>();
  private final AtomicLong lastAck = new AtomicLong(-1);
  private final AtomicLong lastReceived = new AtomicLong(-1);
  private final AtomicLong done = new AtomicLong(-1);
  private final AtomicLong replayed = new AtomicLong(-1);
  private final Thread pump;

  private ChildJvm(String name, Process process) {
    this.name = name;
    this.process = process;
    this.pump = new Thread(this::pump, "child-" + name);
    pump.setDaemon(true);
    pump.start();
  }

  /**
   * In the child: halts the JVM when the test JVM that started it is gone (the end of its standard
   * input), so no child outlives a killed build.
   */
  public static void exitWhenParentGone() {
    Thread guard =
        new Thread(
            () -> {
              try {
                while (System.in.read() != -1) {
                  // the test never writes; end of input means the test JVM is gone
                }
              } catch (IOException e) {
                // the same: no parent
              }
              Runtime.getRuntime().halt(3);
            },
            "orphan-guard");
    guard.setDaemon(true);
    guard.start();
  }

  /** Starts {@code ReplicationProcess} with these arguments in a new JVM of this class path. */
  public static ChildJvm start(String name, String... args) throws IOException {
    return start(name, ReplicationProcess.class, args);
  }

  /** Starts {@code main}'s main method with these arguments in a new JVM of this class path. */
  public static ChildJvm start(String name, Class<?> main, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    for (String flag : System.getProperty("aeron.jvm.flags", "").split(" ")) {
      if (!flag.isBlank()) {
        command.add(flag);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    return new ChildJvm(name, builder.start());
  }

  private void pump() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("ack ")) {
          lastAck.set(Long.parseLong(line.substring(4).trim()));
        } else if (line.startsWith("received ")) {
          lastReceived.set(Long.parseLong(line.substring(9).trim()));
        } else if (line.startsWith("replayed ")) {
          replayed.set(Long.parseLong(line.substring(9).trim()));
        } else if (line.startsWith("done ")) {
          done.set(Long.parseLong(line.substring(5).trim()));
        } else {
          synchronized (lines) {
            lines.add(line);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      synchronized (lines) {
        lines.add("(output ended: " + e + ")");
      }
    }
  }

  /** The last sequence the primary told its clients was acknowledged, or -1. */
  public long lastAck() {
    return lastAck.get();
  }

  /** The last sequence the standby said it received, or -1. */
  public long lastReceived() {
    return lastReceived.get();
  }

  /** How many records the standby took from an archive replay, or -1 before it said. */
  public long replayed() {
    return replayed.get();
  }

  /** The primary's last sequence once it appended every record it was asked to, or -1. */
  public long done() {
    return done.get();
  }

  /** Whether a line other than the counters matched, e.g. {@code ready}. */
  public boolean printed(Predicate<String> line) {
    synchronized (lines) {
      return lines.stream().anyMatch(line);
    }
  }

  /** Every line it printed besides the counters, in order. */
  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** The child's process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the JVM is still running (a stopped one is). */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the JVM with SIGSTOP ({@code kill -STOP}): every thread of it, at once. */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** Lets a stopped JVM go on with SIGCONT ({@code kill -CONT}). */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
            .redirectErrorStream(true)
            .start();
    String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed: " + said);
    }
  }

  /** Kills the JVM with SIGKILL (kill -9) and waits until it is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
    pump.join(Duration.ofSeconds(5).toMillis()); // every line it printed is read
  }

  /** What it printed besides the counters, for failure messages. */
  public String output() {
    synchronized (lines) {
      return name + " printed: " + String.join(" | ", lines);
    }
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
