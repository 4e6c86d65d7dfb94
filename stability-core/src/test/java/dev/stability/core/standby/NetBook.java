package dev.stability.core.standby;

import dev.stability.api.consistency.StateDigest;
import dev.stability.api.standby.StateMachine;
import dev.stability.core.consistency.StateDigests;
import dev.stability.core.fixtures.Net;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** A test state machine: net positions by account from 12-byte orders, with its digest. */
public class NetBook implements StateMachine {

  final TreeMap<Integer, Long> net = new TreeMap<>();
  final StateDigest digest = StateDigests.create(16);

  /** Every sequence applied, in order. */
  public final List<Long> applied = new ArrayList<>();

  /** A sequence whose apply throws, or -1. */
  public volatile long failAt = -1;

  /** A random order: account 0..499, quantity -100..100. */
  public static byte[] order(SplittableRandom random) {
    return ByteBuffer.allocate(12)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(random.nextInt(500))
        .putLong(random.nextInt(-100, 101))
        .array();
  }

  @Override
  public synchronized void apply(long sequence, long epoch, ByteBuffer payload) {
    if (sequence == failAt) {
      throw new IllegalStateException("cannot apply order " + sequence);
    }
    ByteBuffer p = payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int account = p.getInt();
    long delta = p.getLong();
    Long before = net.get(account);
    long after = (before == null ? 0 : before) + delta;
    net.put(account, after);
    if (before == null) {
      digest.add(Net.ENCODER, new Net(account, after));
    } else {
      digest.replace(Net.ENCODER, new Net(account, before), new Net(account, after));
    }
    applied.add(sequence);
  }

  @Override
  public synchronized byte[] snapshot() {
    ByteBuffer out = ByteBuffer.allocate(net.size() * 12).order(ByteOrder.LITTLE_ENDIAN);
    net.forEach((a, q) -> out.putInt(a).putLong(q));
    return out.array();
  }

  @Override
  public synchronized void restore(byte[] snapshot) {
    net.clear();
    digest.clear();
    ByteBuffer in = ByteBuffer.wrap(snapshot).order(ByteOrder.LITTLE_ENDIAN);
    while (in.hasRemaining()) {
      int account = in.getInt();
      long qty = in.getLong();
      net.put(account, qty);
      digest.add(Net.ENCODER, new Net(account, qty));
    }
  }

  @Override
  public StateDigest digest() {
    return digest;
  }

  /** The digest's value, read under the book's lock. */
  public synchronized dev.stability.api.consistency.DigestValue digestValue() {
    return digest.value();
  }
}
