package dev.stability.ops.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer-token check with lock-out: tokens are kept only as SHA-256 digests and every candidate is
 * compared with every digest in constant time (no early exit on the first byte, no hint of which
 * operator's token was close); a client with too many failures in a window is refused for a while,
 * whatever it sends. Thread-safe.
 */
final class Authenticator {

  /** The answer for one request. */
  record Result(String operator, Status status, long retryAfterSeconds) {}

  /** How authentication went. */
  enum Status {
    OK,
    MISSING,
    WRONG,
    LOCKED
  }

  private record Known(byte[] digest, String operator) {}

  private final List<Known> known = new ArrayList<>();
  private final int maxFailures;
  private final long windowMillis;
  private final long lockoutMillis;
  private final Clock clock;
  private final Map<String, Client> clients = new ConcurrentHashMap<>();

  Authenticator(
      Map<String, String> tokenDigests,
      int maxFailures,
      Duration window,
      Duration lockout,
      Clock clock) {
    for (Map.Entry<String, String> token : tokenDigests.entrySet()) {
      known.add(new Known(java.util.HexFormat.of().parseHex(token.getKey()), token.getValue()));
    }
    this.maxFailures = maxFailures;
    this.windowMillis = window.toMillis();
    this.lockoutMillis = lockout.toMillis();
    this.clock = clock;
  }

  /** Whether {@code client} is locked out now, and for how many more seconds. */
  long lockedFor(String client) {
    Client state = clients.get(client);
    if (state == null) {
      return 0;
    }
    synchronized (state) {
      long left = state.lockedUntil - clock.millis();
      return left > 0 ? (left + 999) / 1000 : 0;
    }
  }

  Result authenticate(String client, String authorization) {
    long locked = lockedFor(client);
    if (locked > 0) {
      return new Result(null, Status.LOCKED, locked);
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return new Result(null, Status.MISSING, 0);
    }
    byte[] candidate = sha256(authorization.substring(7).strip());
    String operator = null;
    for (Known k : known) {
      if (MessageDigest.isEqual(k.digest, candidate) && operator == null) {
        operator = k.operator;
      }
    }
    if (operator != null) {
      clients.remove(client);
      return new Result(operator, Status.OK, 0);
    }
    return new Result(null, Status.WRONG, 0);
  }

  /**
   * Counts a wrong token from {@code client}.
   *
   * @return true if this failure locked the client out
   */
  boolean fail(String client) {
    long now = clock.millis();
    if (clients.size() > 1024) {
      evictIdle(now);
    }
    Client state = clients.computeIfAbsent(client, c -> new Client());
    synchronized (state) {
      state.failures.addLast(now);
      while (!state.failures.isEmpty() && state.failures.peekFirst() <= now - windowMillis) {
        state.failures.removeFirst();
      }
      if (state.failures.size() >= maxFailures) {
        state.failures.clear();
        state.lockedUntil = now + lockoutMillis;
        return true;
      }
      return false;
    }
  }

  /** Forgets clients neither locked out nor with a recent failure, so the map stays small. */
  private void evictIdle(long now) {
    clients
        .entrySet()
        .removeIf(
            e -> {
              Client c = e.getValue();
              synchronized (c) {
                Long last = c.failures.peekLast();
                return c.lockedUntil <= now && (last == null || last <= now - windowMillis);
              }
            });
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static final class Client {
    final Deque<Long> failures = new ArrayDeque<>();
    long lockedUntil;
  }
}
