package io.thingpush.server.it.sse;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An SSE client that reads the stream as {@code curl -N} shows it: an HTTP/1.1 GET on a raw
 * socket, the status and headers, then events line by line ({@code event:}, {@code id:},
 * {@code data:}, blank line) and comment lines. Nothing of the server's is used to read it.
 */
final class RawEventStream implements AutoCloseable {
  /** One event; {@code id} null when it had none. */
  record Event(String type, String id, JsonNode data) {
    long seq() {
      return data.path("seq").asLong(-1);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final int status;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private int comments;

  private RawEventStream(Socket socket, int status, InputStream in) {
    this.socket = socket;
    this.status = status;
    this.in = in;
  }

  /**
   * Sends {@code GET target} to {@code port} with {@code headers}; {@code receiveBuffer} &gt; 0
   * makes the socket's receive buffer that small (a reader that falls behind fills it soon).
   */
  static RawEventStream open(
      int port, String target, Map<String, String> headers, int receiveBuffer) {
    try {
      Socket socket = new Socket();
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      StringBuilder request =
          new StringBuilder(
              "GET "
                  + target
                  + " HTTP/1.1\r\nHost: 127.0.0.1:"
                  + port
                  + "\r\nAccept: text/event-stream\r\n");
      headers.forEach(
          (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
      socket
          .getOutputStream()
          .write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
      socket.setSoTimeout(10_000);
      InputStream in = socket.getInputStream();
      String statusLine = readLine(in);
      RawEventStream stream =
          new RawEventStream(socket, Integer.parseInt(statusLine.split(" ")[1]), in);
      for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
        int colon = line.indexOf(':');
        stream.headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
      return stream;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int status() {
    return status;
  }

  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** The body of a refusal (an HTTP error with a Content-Length). */
  JsonNode refusal() throws IOException {
    byte[] body = in.readNBytes(Integer.parseInt(header("content-length")));
    return Json.parseOrNull(new String(body, StandardCharsets.UTF_8));
  }

  /** The next event within {@code wait}; comment lines before it are counted. */
  Event next(Duration wait) {
    try {
      socket.setSoTimeout((int) wait.toMillis());
      String type = "message";
      String id = null;
      StringBuilder data = null;
      for (String line = readLine(in); ; line = readLine(in)) {
        if (line == null) {
          throw new AssertionError("the stream ended");
        }
        if (line.isEmpty()) {
          if (data != null) {
            return new Event(type, id, Json.parseOrNull(data.toString()));
          }
          continue;
        }
        if (line.startsWith(":")) {
          comments++;
        } else if (line.startsWith("event: ")) {
          type = line.substring(7);
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("data: ")) {
          data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring(6));
        } else {
          throw new AssertionError("not a line of an event stream: " + line);
        }
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no event within " + wait, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next events of {@code type}, skipping others, until {@code n} were read. */
  List<Event> next(int n, String type, Duration wait) {
    List<Event> events = new ArrayList<>();
    while (events.size() < n) {
      Event e = next(wait);
      if (e.type().equals(type)) {
        events.add(e);
      }
    }
    return events;
  }

  /** Comment lines (heartbeats) read so far. */
  int comments() {
    return comments;
  }

  /** Whether the server ended the stream: reads to its end within {@code wait}. */
  boolean endsWithin(Duration wait) {
    try {
      socket.setSoTimeout((int) wait.toMillis());
      while (in.read() >= 0) {
        // what is still in the socket
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
