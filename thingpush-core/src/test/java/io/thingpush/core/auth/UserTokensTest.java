package io.thingpush.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.thingpush.core.directory.DeviceTable;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.directory.Tenant;
import io.thingpush.core.directory.User;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.ThingPushException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A token without a tenant names a user of the registry, whose tenant and admin flag count (SPEC §5). */
class UserTokensTest {
  private static final Directory DIR =
      Directory.of(
          List.of(new Tenant("default", "Default"), new Tenant("acme", "Acme")),
          List.of(),
          List.of(),
          List.of(),
          DeviceTable.empty(),
          List.of(),
          List.of(new User("1790000000000000001", "acme", false), new User("9", "default", true)),
          List.of());

  /** A verifier that reads the token as the principal named in it. */
  private final UserTokens tokens =
      new UserTokens(
          token ->
              switch (token) {
                case "ithings-user" ->
                    new Principal(null, "1790000000000000001", true, null, "core", Instant.EPOCH);
                case "ithings-admin" -> new Principal(null, "9", false, Set.of("core"), null, null);
                case "stranger" -> new Principal(null, "404", false, null, null, null);
                default -> new Principal("default", "1790000000000000001", false, null, null, null);
              },
          () -> DIR);

  @Test
  void theRegistryGivesTheTenantAndTheAdminFlagNotTheToken() {
    Principal user = tokens.verify("ithings-user");
    assertThat(user)
        .isEqualTo(
            new Principal("acme", "1790000000000000001", false, null, "core", Instant.EPOCH, true));

    Principal admin = tokens.verify("ithings-admin");
    assertThat(admin.tenantCode()).isEqualTo("default");
    assertThat(admin.admin()).isTrue();
    assertThat(admin.appCodes()).containsExactly("core");
  }

  @Test
  void anUnknownUserIsForbidden() {
    ThingPushException e =
        catchThrowableOfType(ThingPushException.class, () -> tokens.verify("stranger"));

    assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
  }

  @Test
  void aTokenWithATenantIsTakenAsItIs() {
    assertThat(tokens.verify("own").tenantCode()).isEqualTo("default");
    assertThat(tokens.verify("own").registered()).isFalse();
  }
}
