package io.thingpush.core.session;

import io.thingpush.protocol.Lang;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the connect parameters of SPEC §1 under every name an i-Things front end may send them:
 * for each parameter its headers first, then its query parameters, and within each the
 * {@code ithings-} name before the plain one; the token also as {@code Authorization: Bearer},
 * which i-Things reads before the others. An empty value counts as absent. A project id listed in
 * {@code connect.noProjectIds} means "no project".
 */
public final class ConnectParams {
  /** The app-code of a connection that names none (i-Things' default). */
  public static final String DEFAULT_APP_CODE = "core";

  private static final String BEARER = "Bearer ";
  private static final List<String> TOKEN = List.of("ithings-token", "token");
  private static final List<String> APP_CODE = List.of("ithings-app-code", "app-code");
  private static final List<String> PROJECT_ID = List.of("ithings-project-id", "project-id");
  private static final List<String> TENANT_CODE = List.of("ithings-tenant-code", "tenant-code");

  private final Set<String> noProjectIds;

  /** @param noProjectIds the project ids that mean "no project" (i-Things: its unclassified ids) */
  public ConnectParams(Set<String> noProjectIds) {
    this.noProjectIds = Set.copyOf(noProjectIds);
  }

  /**
   * The parameters of an upgrade request.
   *
   * @param header a header's value by name (case-insensitive), or null
   * @param query a query parameter's first value by name, or null
   */
  public ConnectRequest read(
      Function<String, String> header, Function<String, String> query, Lang lang) {
    String token = bearer(header.apply("Authorization"));
    if (token == null) {
      token = first(TOKEN, header, query);
    }
    return new ConnectRequest(
        token,
        first(APP_CODE, header, query),
        projectId(first(PROJECT_ID, header, query)),
        first(TENANT_CODE, header, query),
        lang);
  }

  /** The token of an {@code up.setHandle}'s {@code handler} (i-Things' form), or null. */
  public String handlerToken(Function<String, String> handler) {
    return first(TOKEN, handler, name -> null);
  }

  /** Whether an {@code up.setHandle}'s {@code handler} names a project (a "no project" id included). */
  public boolean handlerNamesProject(Function<String, String> handler) {
    return first(PROJECT_ID, handler, name -> null) != null;
  }

  /** The project of an {@code up.setHandle}'s {@code handler}: null for "no project". */
  public String handlerProjectId(Function<String, String> handler) {
    return projectId(first(PROJECT_ID, handler, name -> null));
  }

  /** {@code id}, or null when it is absent or one of the ids that mean "no project". */
  private String projectId(String id) {
    return id == null || noProjectIds.contains(id) ? null : id;
  }

  private static String bearer(String authorization) {
    if (authorization == null || !authorization.startsWith(BEARER)) {
      return null;
    }
    String token = authorization.substring(BEARER.length()).trim();
    return token.isEmpty() ? null : token;
  }

  private static String first(
      List<String> names, Function<String, String> header, Function<String, String> query) {
    for (Function<String, String> source : List.of(header, query)) {
      for (String name : names) {
        String value = source.apply(name);
        if (value != null && !value.isEmpty()) {
          return value;
        }
      }
    }
    return null;
  }
}
