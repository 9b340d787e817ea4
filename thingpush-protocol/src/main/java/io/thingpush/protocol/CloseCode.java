package io.thingpush.protocol;

/**
 * WebSocket close codes. Codes below 4005, 1002, 1007 and 1009 mean "do not reconnect with the
 * same request"; 4008 and 4009 mean "reconnect and resume with {@code since}"; 4029 means "back off".
 */
public enum CloseCode {
  BAD_CONNECT(4000, false),
  TOKEN(4001, false),
  FORBIDDEN(4003, false),
  TOO_SLOW(4008, true),
  SHUTDOWN(4009, true),
  LIMIT(4029, true),
  PING_TIMEOUT(1001, true),
  MESSAGE_TOO_BIG(1009, false),
  PROTOCOL_ERROR(1002, false),
  INVALID_PAYLOAD(1007, false);

  private final int code;
  private final boolean reconnect;

  CloseCode(int code, boolean reconnect) {
    this.code = code;
    this.reconnect = reconnect;
  }

  public int code() {
    return code;
  }

  /** The close code with this number, or null. */
  public static CloseCode of(int code) {
    for (CloseCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return null;
  }

  /** The close code a refused connection gets for the error that refused it (SPEC §1). */
  public static CloseCode forRefusal(ErrorCode error) {
    switch (error) {
      case TOKEN_EXPIRED:
      case TOKEN_NOT_YET_VALID:
      case TOKEN_MALFORMED:
      case TOKEN_INVALID:
        return TOKEN;
      case NOT_FOUND:
      case FORBIDDEN:
        return FORBIDDEN;
      case LIMIT:
        return LIMIT;
      default:
        return BAD_CONNECT;
    }
  }

  /** Whether a client should reconnect (and resume) after this close. */
  public boolean reconnect() {
    return reconnect;
  }
}
