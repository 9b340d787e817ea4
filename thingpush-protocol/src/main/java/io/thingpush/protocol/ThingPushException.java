package io.thingpush.protocol;

/** A refusal with an API error code and a short English detail; each wire edge maps it. */
public class ThingPushException extends RuntimeException {
  private final ErrorCode code;

  public ThingPushException(ErrorCode code, String detail) {
    super(detail, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  /** The detail without the code's default text. */
  public String detail() {
    return getMessage();
  }

  /** The full {@code msg} text in {@code lang}. */
  public String message(Lang lang) {
    return code.message(lang, getMessage());
  }
}
