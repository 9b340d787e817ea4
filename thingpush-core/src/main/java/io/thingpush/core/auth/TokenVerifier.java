package io.thingpush.core.auth;

/** Turns a token into a principal or refuses it with a token error code (100002–100005). */
public interface TokenVerifier {
  Principal verify(String token);
}
