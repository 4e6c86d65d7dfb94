package dev.stability.zookeeper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;

/**
 * Real ZooKeeper ensembles in the test JVM, with a short tick (200 ms) so that sessions of 400 ms
 * to 4 s are granted and tests stay short.
 */
final class Ensembles {
  static final int TICK_MS = 200;

  private Ensembles() {}

  /** A started cluster of {@code size} servers that answer ZooKeeper's {@code srvr} word. */
  static TestingCluster cluster(int size) throws Exception {
    List<InstanceSpec> specs = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      specs.add(
          new InstanceSpec(
              null,
              -1,
              -1,
              -1,
              true,
              -1,
              TICK_MS,
              -1,
              Map.<String, Object>of("4lw.commands.whitelist", "srvr")));
    }
    TestingCluster cluster = new TestingCluster(specs);
    cluster.start();
    return cluster;
  }

  /** Whether the server at {@code spec} leads its ensemble now (the {@code srvr} word). */
  static boolean leads(InstanceSpec spec) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), spec.getPort())) {
      socket.setSoTimeout(2_000);
      OutputStream out = socket.getOutputStream();
      out.write("srvr".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      return answer.contains("Mode: leader");
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The servers that follow (every server but the leader), once the ensemble has elected one: a
   * started cluster may still be electing.
   */
  static List<InstanceSpec> followers(TestingCluster cluster) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      List<InstanceSpec> followers = new ArrayList<>();
      for (InstanceSpec spec : cluster.getInstances()) {
        if (!leads(spec)) {
          followers.add(spec);
        }
      }
      if (followers.size() < cluster.getInstances().size() || System.nanoTime() > deadline) {
        return followers;
      }
      Thread.sleep(50);
    }
  }
}
