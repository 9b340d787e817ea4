package io.thingpush.core.auth;

import io.thingpush.core.directory.Directory;
import io.thingpush.core.directory.User;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.ThingPushException;
import java.util.function.Supplier;

/**
 * Turns a token into the user it names: the token's claims, completed from the registry's users
 * for a token without a tenant (an i-Things login token). Such a token's tenant and admin flag
 * are the registry's, never the client's; a user the registry does not know is refused (100012).
 */
public final class UserTokens implements TokenVerifier {
  private final TokenVerifier claims;
  private final Supplier<Directory> directory;

  public UserTokens(TokenVerifier claims, Supplier<Directory> directory) {
    this.claims = claims;
    this.directory = directory;
  }

  @Override
  public Principal verify(String token) {
    Principal claimed = claims.verify(token);
    if (claimed.tenantCode() != null) {
      return claimed;
    }
    User user =
        directory
            .get()
            .user(claimed.userId())
            .orElseThrow(
                () -> new ThingPushException(ErrorCode.FORBIDDEN, "user unknown to the registry"));
    return claimed.registered(user.tenantCode(), user.admin());
  }
}
