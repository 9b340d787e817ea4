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
 * from its token and request, would cost it some 50 bytes each. What it keeps of its request is
 * shared the same way, by the connections of the same app, project, tenant and language.
 */
final class HeldNames {
  /** App codes, and requests, kept at most each; past them, a connection keeps its own. */
  private static final int MAX_HELD = 1_000;

  private final Supplier<Directory> directory;
  private final Map<String, String> apps = new ConcurrentHashMap<>();
  private final Map<ConnectRequest, ConnectRequest> requests = new ConcurrentHashMap<>();

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
    return held(
        requests,
        new ConnectRequest(
            null,
            request.appCode() == null ? null : held(apps, request.appCode()),
            project == null
                ? null
                : directory.get().project(project).map(Project::id).orElse(project),
            // The connect checks found it equal to the token's.
            tenant == null ? null : principal.tenantCode(),
            request.lang()));
  }

  /** The instance {@code held} keeps equal to {@code value}, or {@code value}. */
  private static <T> T held(Map<T, T> held, T value) {
    T kept = held.get(value);
    if (kept != null || held.size() >= MAX_HELD) {
      return kept == null ? value : kept;
    }
    kept = held.putIfAbsent(value, value);
    return kept == null ? value : kept;
  }
}
