package io.thingpush.server.it.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A plain TCP client that takes its time: it sends nothing, or its bytes one at a time, and
 * notices when the server closes the connection on it.
 */
final class SlowSocket implements AutoCloseable {
  private final Socket socket;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private boolean closed;

  private SlowSocket(Socket socket) {
    this.socket = socket;
  }

  static SlowSocket open(int port) {
    try {
      return new SlowSocket(new Socket("127.0.0.1", port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends {@code text} at once. */
  void send(String text) {
    try {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
    } catch (IOException e) {
      closed = true;
    }
  }

  /**
   * Sends {@code text} a byte every {@code gap}, for at most {@code within}; returns whether the
   * server closed the connection before all of it was sent.
   */
  boolean trickle(String text, Duration gap, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < bytes.length && !closed && System.nanoTime() < deadline; i++) {
      try {
        socket.getOutputStream().write(bytes[i]);
        socket.getOutputStream().flush();
      } catch (IOException e) {
        closed = true;
        break;
      }
      readFor(gap);
    }
    return closed;
  }

  /** Waits up to {@code wait} for the server to close the connection; returns whether it did. */
  boolean closedWithin(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!closed && System.nanoTime() < deadline) {
      readFor(Duration.ofMillis(50));
    }
    return closed;
  }

  /** Everything the server sent so far. */
  String received() {
    return received.toString(StandardCharsets.UTF_8);
  }

  private void readFor(Duration wait) {
    try {
      socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
      byte[] buffer = new byte[8192];
      int n = socket.getInputStream().read(buffer);
      if (n < 0) {
        closed = true;
      } else {
        received.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      // nothing yet
    } catch (IOException e) {
      closed = true;
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // gone already
    }
  }
}
