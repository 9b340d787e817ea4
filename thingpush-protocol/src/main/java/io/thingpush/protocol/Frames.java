package io.thingpush.protocol;

import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Encodes every server → client frame; field order follows the i-Things examples. */
public final class Frames {
  public static final String UP_SUB = "up.sub";
  public static final String UP_UNSUB = "up.unSub";
  public static final String UP_PING = "up.ping";
  public static final String UP_SET_HANDLE = "up.setHandle";
  public static final String DOWN_SUB_RET = "down.subRet";
  public static final String DOWN_UNSUB_RET = "down.unSubRet";
  public static final String DOWN_SET_HANDLE_RET = "down.setHandleRet";
  public static final String DOWN_PONG = "down.pong";
  public static final String DOWN_PUB = "down.pub";
  public static final String DOWN_ERROR = "down.error";

  private static final byte[] PUB_SEQ = ",\"seq\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PUB_BODY = ",\"body\":".getBytes(StandardCharsets.US_ASCII);

  /** The encoded head of a {@code down.pub} by path, one map per language. */
  @SuppressWarnings("unchecked")
  private static final Map<String, byte[]>[] PUB_HEADS = new Map[Lang.values().length];

  static {
    for (int i = 0; i < PUB_HEADS.length; i++) {
      PUB_HEADS[i] = new ConcurrentHashMap<>();
    }
  }

  private Frames() {}

  /** The first frame of an accepted connection. */
  public static byte[] connected(Lang lang, String traceparent, String connectID) {
    ObjectNode frame = head(ErrorCode.OK, ErrorCode.OK.message(lang, null));
    ObjectNode handler = frame.putObject("handler");
    handler.put("Traceparent", traceparent);
    handler.put("connectID", connectID);
    return Json.bytes(frame);
  }

  /** The one frame sent before closing a refused connection (also the body of HTTP 400). */
  public static byte[] refused(Lang lang, ThingPushException e) {
    return Json.bytes(head(e.code(), e.message(lang)));
  }

  /** A reply of {@code type}; {@code handler} echoes the request's handler when not null. */
  public static ObjectNode reply(String type, ErrorCode code, String msg, JsonNode handler) {
    ObjectNode frame = head(code, msg);
    frame.put("type", type);
    if (handler != null) {
      frame.set("handler", handler);
    }
    return frame;
  }

  public static ObjectNode ok(String type, Lang lang, JsonNode handler) {
    return reply(type, ErrorCode.OK, ErrorCode.OK.message(lang, null), handler);
  }

  public static ObjectNode failure(String type, Lang lang, ThingPushException e, JsonNode handler) {
    return reply(type, e.code(), e.message(lang), handler);
  }

  /**
   * The {@code down.unSubRet} of a subscription the server ended because the user may no longer
   * hold it (SPEC §9): 100012 with the subscription's {@code code} and {@code params} as sent,
   * and its {@code filter} (null: none), which the client needs to tell which one ended.
   */
  public static byte[] subscriptionEnded(Lang lang, String code, JsonNode params, String filter) {
    ThingPushException e = new ThingPushException(ErrorCode.FORBIDDEN, "subscription ended");
    ObjectNode frame = reply(DOWN_UNSUB_RET, e.code(), e.message(lang), null);
    ObjectNode body = frame.putObject("body");
    body.put("code", code);
    body.set("params", params);
    if (filter != null) {
      body.put("filter", filter);
    }
    return Json.bytes(frame);
  }

  /** A {@code down.pub} of one event. */
  public static byte[] pub(Lang lang, String path, long seq, JsonNode body) {
    // Its head up to the seq is the same for every event of a path and language: encoded once
    // and copied, so that an event costs only its seq and its body (with one recipient an event
    // is encoded once per delivery, and building and encoding the whole tree was half of it).
    byte[] head = PUB_HEADS[lang.ordinal()].computeIfAbsent(path, p -> pubHead(lang, p));
    ByteArrayBuilder out = new ByteArrayBuilder(head.length + 256);
    out.write(head);
    String digits = Long.toString(seq);
    for (int i = 0; i < digits.length(); i++) {
      out.append(digits.charAt(i));
    }
    out.write(PUB_BODY);
    try {
      Json.MAPPER.writeValue(out, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.append('}');
    return out.toByteArray();
  }

  /** {@code {"code":200,"msg":…,"type":"down.pub","path":…,"seq":} as the whole frame's tree encodes it. */
  private static byte[] pubHead(Lang lang, String path) {
    ObjectNode frame = head(ErrorCode.OK, ErrorCode.OK.message(lang, null));
    frame.put("type", DOWN_PUB);
    frame.put("path", path);
    byte[] fields = Json.bytes(frame);
    byte[] head = Arrays.copyOf(fields, fields.length - 1 + PUB_SEQ.length);
    System.arraycopy(PUB_SEQ, 0, head, fields.length - 1, PUB_SEQ.length);
    return head;
  }

  private static ObjectNode head(ErrorCode code, String msg) {
    ObjectNode frame = Json.object();
    frame.put("code", code.code());
    frame.put("msg", msg);
    return frame;
  }
}
