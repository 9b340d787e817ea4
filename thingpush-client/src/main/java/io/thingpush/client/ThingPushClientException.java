package io.thingpush.client;

/** A client-side failure: the socket closed before the first frame, or a wait ran out. */
public class ThingPushClientException extends RuntimeException {
  public ThingPushClientException(String message) {
    super(message);
  }

  public ThingPushClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
