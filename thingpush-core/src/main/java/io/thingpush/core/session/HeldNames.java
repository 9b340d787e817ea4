package io.thingpush.core.session;

import io.thingpush.core.auth.Principal;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.directory.Project;
import io.thingpush.core.directory.Tenant;
import io.thingpush.core.directory.User;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The names a connection holds for as long as it is open (its tenant, user, app and project) as
 * instances every connection naming the same shares: the registry's own where it has the name,
 * else, for app codes, one kept here for each of a bounded few. A connection's own copies, read
 * from its token and request, would cost it some 50 bytes each.
 */
final class HeldNames {
  /** App codes kept at most; past them, a connection keeps its own. */
  private static final int MAX_APPS = 1_000;

  private final Supplier<Directory> directory;
  private final Map<String, String> apps = new ConcurrentHashMap<>();

  HeldNames(Supplier<Directory> directory) {
    this.directory = directory;
  }

  /** {@code principal} with the shared instances of its names. */
  Principal of(Principal principal) {
    Directory now = directory.get();
    String tenant = principal.tenantCode();
    String user = principal.userId();
    return principal.named(
        tenant == null ? null : now.tenant(tenant).map(Tenant::code).orElse(tenant),
        now.user(user).map(User::userId).orElse(user));
  }

  /** {@code request} as a session keeps it: without its token, with the shared instances of its names. */
  ConnectRequest of(ConnectRequest request, Principal principal) {
    String tenant = request.tenantCode();
    String project = request.projectId();
    return new ConnectRequest(
        null,
        app(request.appCode()),
        project == null ? null : directory.get().project(project).map(Project::id).orElse(project),
        // The connect checks found it equal to the token's.
        tenant == null ? null : principal.tenantCode(),
        request.lang());
  }

  private String app(String code) {
    if (code == null) {
      return null;
    }
    String held = apps.get(code);
    if (held != null || apps.size() >= MAX_APPS) {
      return held == null ? code : held;
    }
    held = apps.putIfAbsent(code, code);
    return held == null ? code : held;
  }
}
