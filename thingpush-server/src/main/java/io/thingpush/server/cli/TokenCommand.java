package io.thingpush.server.cli;

import io.thingpush.core.auth.TokenMinter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Mints an HS256 token with the configured secret (ThingPush's claims, or an i-Things login token), for local use and tests. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Print a signed token for a user.")
final class TokenCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(
      names = "--secret",
      description = "HS256 secret (default: auth.hs256Secret of the config)")
  String secret;

  @Option(
      names = "--tenant",
      defaultValue = "default",
      description = "tenantCode claim (default: ${DEFAULT-VALUE})")
  String tenant;

  @Option(
      names = "--login",
      description =
          "a login token as i-Things issues it: UserID, AppCode (the one --app-code),"
              + " no tenant (the registry's users give it and the admin flag; --tenant and --admin do not apply)")
  boolean login;

  @Option(names = "--user", required = true, description = "userID claim")
  String user;

  @Option(names = "--admin", description = "isAdmin claim: every project of the tenant")
  boolean admin;

  @Option(names = "--app-code", split = ",", description = "appCodes claim (default: any app)")
  List<String> appCodes;

  @Option(
      names = "--ttl",
      defaultValue = "1h",
      converter = TtlConverter.class,
      description =
          "validity: 90s, 30m, 1h, 2d, or ISO-8601 such as PT1H (default: ${DEFAULT-VALUE})")
  Duration ttl;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    String key = secret != null ? secret : config.load().auth().hs256Secret();
    if (key == null || key.isEmpty()) {
      spec.commandLine()
          .getErr()
          .println(
              "No secret: pass --secret or set auth.hs256Secret (THINGPUSH_AUTH_HS256_SECRET).");
      return 2;
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new ParameterException(spec.commandLine(), "--ttl must be positive");
    }
    TokenMinter minter = new TokenMinter(key);
    if (login) {
      if (appCodes != null && appCodes.size() > 1) {
        spec.commandLine()
            .getErr()
            .println("An i-Things login token is for one app: give one --app-code.");
        return 2;
      }
      spec.commandLine()
          .getOut()
          .println(minter.mintLogin(user, appCodes == null ? null : appCodes.get(0), ttl));
      return 0;
    }
    spec.commandLine().getOut().println(minter.mint(tenant, user, admin, appCodes, ttl));
    return 0;
  }
}
