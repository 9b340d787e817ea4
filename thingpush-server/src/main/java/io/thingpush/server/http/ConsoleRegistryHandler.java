package io.thingpush.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.auth.Authoriser;
import io.thingpush.core.auth.Principal;
import io.thingpush.core.auth.ReadScope;
import io.thingpush.core.auth.TokenVerifier;
import io.thingpush.core.directory.Area;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.directory.Product;
import io.thingpush.core.directory.Project;
import io.thingpush.core.directory.User;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.Target;
import io.thingpush.protocol.ThingPushException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/console/registry} with {@code Authorization: Bearer <user JWT>} (the token
 * the WebSocket takes): the projects, areas, devices (those shared with the user marked) and
 * products (their thing model's properties and actions) the user may read, for the console's
 * pickers, tables and device panels; whether each project is readable whole and whether the user
 * is a platform admin (the operator view); for an admin the tenant's registry users. Read-only;
 * never a device secret; never another tenant.
 */
final class ConsoleRegistryHandler implements Handler<RoutingContext> {
  private static final String BEARER = "Bearer ";

  private final TokenVerifier tokens;
  private final Predicate<Principal> platformAdmin;
  private final Supplier<Directory> directory;

  ConsoleRegistryHandler(
      TokenVerifier tokens, Predicate<Principal> platformAdmin, Supplier<Directory> directory) {
    this.tokens = tokens;
    this.platformAdmin = platformAdmin;
    this.directory = directory;
  }

  @Override
  public void handle(RoutingContext ctx) {
    try {
      String header = ctx.request().getHeader("Authorization");
      if (header == null || !header.startsWith(BEARER)) {
        throw new ThingPushException(
            ErrorCode.TOKEN_INVALID, "Authorization: Bearer <token> required");
      }
      Principal user = tokens.verify(header.substring(BEARER.length()).trim());
      ObjectNode answer = Json.object().put("code", 200).put("msg", "success");
      Directory dir = directory.get();
      ObjectNode data = view(user, dir, ReadScope.of(dir, user));
      data.put("platformAdmin", platformAdmin.test(user));
      answer.set("data", data);
      ctx.response()
          .putHeader("content-type", "application/json")
          .putHeader("cache-control", "no-store")
          .end(Json.text(answer));
    } catch (ThingPushException e) {
      ApiReplies.error(ctx, e);
    }
  }

  private static ObjectNode view(Principal user, Directory dir, ReadScope scope) {
    ObjectNode data =
        Json.object()
            .put("tenantCode", user.tenantCode())
            .put("userID", user.userId())
            .put("isAdmin", user.admin());
    ArrayNode projects = data.putArray("projects");
    Authoriser rules = new Authoriser(() -> dir);
    for (Project p : scope.projects()) {
      projects
          .addObject()
          .put("projectID", p.id())
          .put("name", p.name())
          .put("wholeProject", rules.isReadable(user, Target.project(p.id())));
    }
    Set<String> readableAreas = new HashSet<>();
    scope.areas().forEach(a -> readableAreas.add(a.id()));
    ArrayNode areas = data.putArray("areas");
    for (Area a : scope.areas()) {
      // An area whose parent the user may not read is a root of the user's tree: the name of
      // an area outside the grants is not shown.
      String parent = readableAreas.contains(a.parentId()) ? a.parentId() : null;
      areas
          .addObject()
          .put("areaID", a.id())
          .put("projectID", a.projectId())
          .put("parentID", parent)
          .put("name", a.name());
    }
    ArrayNode products = data.putArray("products");
    for (Product p : scope.products()) {
      ObjectNode product = products.addObject().put("productID", p.id()).put("name", p.name());
      product.set("properties", list(p.thingModel(), "properties"));
      product.set("actions", list(p.thingModel(), "actions"));
    }
    ArrayNode devices = data.putArray("devices");
    for (Device d : scope.devices()) {
      devices
          .addObject()
          .put("productID", d.productId())
          .put("deviceName", d.deviceName())
          .put("projectID", d.projectId())
          .put("areaID", d.areaId())
          .put(
              "shared",
              dir.isShared(user.tenantCode(), user.userId(), d.productId(), d.deviceName()));
    }
    if (user.admin()) {
      ArrayNode users = data.putArray("users");
      dir.users().stream()
          .filter(u -> u.tenantCode().equals(user.tenantCode()))
          .sorted(Comparator.comparing(User::userId))
          .forEach(u -> users.addObject().put("userID", u.userId()).put("isAdmin", u.admin()));
    }
    return data;
  }

  /** A list of the thing model (its definitions as the registry holds them), or an empty one. */
  private static JsonNode list(JsonNode thingModel, String name) {
    JsonNode list = thingModel.get(name);
    return list != null && list.isArray() ? list : Json.MAPPER.createArrayNode();
  }
}
