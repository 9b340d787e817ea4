package io.thingpush.core.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.protocol.CloseCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A transport that records what the core does to it: each written frame (the array itself),
 * each flush, the close. Writability is scripted: {@link #writable(boolean)} or a budget of
 * writes after which it reports not writable. Every call must come on its executor. Also used
 * by the session tests.
 */
public final class FakeTransport implements Transport {
  private final ScheduledExecutorService executor;
  private final List<byte[]> written = new ArrayList<>();

  /** "w" for a write, "f" for a flush, "c" for the close, in call order. */
  private final StringBuilder calls = new StringBuilder();

  private boolean writable = true;
  private int writeBudget = Integer.MAX_VALUE;
  private int flushes;
  private CloseCode closeCode;
  private String closeReason;
  private int closes;
  private Thread wrongThread;
  private volatile Thread executorThread;

  public FakeTransport(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  @Override
  public ScheduledExecutorService executor() {
    return executor;
  }

  @Override
  public boolean isWritable() {
    checkThread();
    return writable && writeBudget > 0;
  }

  @Override
  public void write(byte[] frame) {
    checkThread();
    written.add(frame);
    calls.append('w');
    if (writeBudget != Integer.MAX_VALUE) {
      writeBudget--;
    }
  }

  @Override
  public void flush() {
    checkThread();
    flushes++;
    calls.append('f');
  }

  @Override
  public void close(CloseCode code, String reason) {
    checkThread();
    closes++;
    closeCode = code;
    closeReason = reason;
    calls.append('c');
  }

  private void checkThread() {
    // Recorded rather than thrown, so the test sees it even when the core swallows errors.
    if (executorThread != null && Thread.currentThread() != executorThread) {
      wrongThread = Thread.currentThread();
    }
  }

  /** Learns the executor's thread; call once from the test before using the transport. */
  FakeTransport pinThread() throws Exception {
    executorThread = executor.submit(Thread::currentThread).get();
    return this;
  }

  void writable(boolean writable) {
    this.writable = writable;
    this.writeBudget = Integer.MAX_VALUE;
  }

  /** Writable for {@code writes} more writes, then not writable. */
  void writableFor(int writes) {
    this.writable = true;
    this.writeBudget = writes;
  }

  List<byte[]> written() {
    return written;
  }

  public List<String> writtenTexts() {
    return written.stream().map(f -> new String(f, StandardCharsets.UTF_8)).toList();
  }

  int flushes() {
    return flushes;
  }

  String calls() {
    return calls.toString();
  }

  CloseCode closeCode() {
    return closeCode;
  }

  String closeReason() {
    return closeReason;
  }

  int closes() {
    return closes;
  }

  void assertOnlyCalledOnItsExecutor() {
    assertThat(wrongThread).as("transport called off its executor").isNull();
  }
}
