package io.thingpush.server.http.admin;

import static io.thingpush.server.http.admin.AdminRequests.body;
import static io.thingpush.server.http.admin.AdminRequests.page;
import static io.thingpush.server.http.admin.AdminRequests.path;
import static io.thingpush.server.http.admin.AdminRequests.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.auth.Principal;
import io.thingpush.core.auth.TokenVerifier;
import io.thingpush.core.cluster.RegistryChange;
import io.thingpush.core.cluster.RegistryChanges;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.LogSafe;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.server.config.ThingPushConfig.PlatformAdmin;
import io.thingpush.server.http.ApiReplies;
import io.thingpush.server.http.JsonBodyHandler;
import io.thingpush.server.observe.Nodes;
import io.thingpush.server.registry.AreaStore;
import io.thingpush.server.registry.DeviceGrantStore;
import io.thingpush.server.registry.DeviceStore;
import io.thingpush.server.registry.GrantStore;
import io.thingpush.server.registry.ProductStore;
import io.thingpush.server.registry.ProjectStore;
import io.thingpush.server.registry.Registry;
import io.thingpush.server.registry.RegistryImportException;
import io.thingpush.server.registry.TenantStore;
import io.thingpush.server.registry.UserStore;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST API under {@value #BASE} (docs/admin-api.md, {@value #OPENAPI}): every route
 * in one place. Each request is authorised first ({@link AdminCaller}), runs on a worker thread
 * in one transaction, and a write makes the change live on this node before it answers.
 */
public final class AdminApi {
  public static final String BASE = "/api/v1/admin";
  static final String OPENAPI = "/openapi/admin-api.yaml";
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  private static final long MAX_BODY_BYTES = 1024 * 1024;
  private static final long MAX_IMPORT_BYTES = 64L * 1024 * 1024;
  private static final String T = BASE + "/tenants/:tenant";

  @FunctionalInterface
  private interface Action {
    JsonNode run(AdminCaller caller, RoutingContext ctx);
  }

  private final AdminAuth auth;
  private final Registry registry;
  private final RegistryChanges changes;
  private final TenantStore tenants;
  private final ProjectStore projects;
  private final AreaStore areas;
  private final ProductStore products;
  private final DeviceStore devices;
  private final GrantStore grants;
  private final UserStore users;
  private final DeviceGrantStore deviceGrants;
  private final NodesApi nodes;

  public AdminApi(
      TokenVerifier tokens,
      List<PlatformAdmin> platformAdmins,
      Registry registry,
      RegistryChanges changes,
      Nodes nodes) {
    this.auth = new AdminAuth(tokens, platformAdmins);
    this.nodes = new NodesApi(auth, nodes);
    this.registry = registry;
    this.changes = changes;
    this.tenants = new TenantStore(registry);
    this.projects = new ProjectStore(registry);
    this.areas = new AreaStore(registry);
    this.products = new ProductStore(registry);
    this.devices = new DeviceStore(registry);
    this.grants = new GrantStore(registry);
    this.users = new UserStore(registry);
    this.deviceGrants = new DeviceGrantStore(registry);
  }

  /** Whether {@code user} is a platform admin (listed in {@code auth.platformAdmins}). */
  public boolean platformAdmin(Principal user) {
    return auth.platform(user);
  }

  /** Adds every admin route to {@code router}. */
  public void mount(Router router) {
    router.get(BASE + "/openapi.yaml").handler(this::openApi);

    read(
        router.get(BASE + "/tenants"),
        (c, x) -> platform(c, () -> tenants.list(page(x), query(x, "q"))));
    write(
        router.post(BASE + "/tenants"), 201, (c, x) -> platform(c, () -> tenants.create(body(x))));
    read(router.get(T), (c, x) -> tenants.get(tenant(c, x)));
    write(
        router.put(T),
        200,
        (c, x) -> platform(c, () -> tenants.update(path(x, "tenant"), body(x))));
    write(
        router.delete(T),
        200,
        (c, x) -> platform(c, () -> done(() -> tenants.delete(path(x, "tenant")))));

    read(
        router.get(T + "/projects"), (c, x) -> projects.list(tenant(c, x), page(x), query(x, "q")));
    write(router.post(T + "/projects"), 201, (c, x) -> projects.create(tenant(c, x), body(x)));
    String project = T + "/projects/:project";
    read(router.get(project), (c, x) -> projects.get(tenant(c, x), path(x, "project")));
    write(
        router.put(project),
        200,
        (c, x) -> projects.update(tenant(c, x), path(x, "project"), body(x)));
    write(
        router.delete(project),
        200,
        (c, x) -> done(() -> projects.delete(tenant(c, x), path(x, "project"))));

    read(
        router.get(project + "/areas"),
        (c, x) ->
            areas.list(
                tenant(c, x), path(x, "project"), page(x), query(x, "parentID"), query(x, "q")));
    write(
        router.post(project + "/areas"),
        201,
        (c, x) -> areas.create(tenant(c, x), path(x, "project"), body(x)));
    String area = project + "/areas/:area";
    read(router.get(area), (c, x) -> areas.get(tenant(c, x), path(x, "project"), path(x, "area")));
    write(
        router.put(area),
        200,
        (c, x) -> areas.update(tenant(c, x), path(x, "project"), path(x, "area"), body(x)));
    write(
        router.delete(area),
        200,
        (c, x) -> done(() -> areas.delete(tenant(c, x), path(x, "project"), path(x, "area"))));

    read(
        router.get(T + "/products"), (c, x) -> products.list(tenant(c, x), page(x), query(x, "q")));
    write(router.post(T + "/products"), 201, (c, x) -> products.create(tenant(c, x), body(x)));
    String product = T + "/products/:product";
    read(router.get(product), (c, x) -> products.get(tenant(c, x), path(x, "product")));
    write(
        router.put(product),
        200,
        (c, x) -> products.update(tenant(c, x), path(x, "product"), body(x)));
    write(
        router.delete(product),
        200,
        (c, x) -> done(() -> products.delete(tenant(c, x), path(x, "product"))));

    read(
        router.get(T + "/devices"),
        (c, x) ->
            devices.list(
                tenant(c, x),
                page(x),
                query(x, "productID"),
                query(x, "projectID"),
                query(x, "areaID"),
                query(x, "q")));
    write(
        router.post(T + "/devices"),
        201,
        (x, created) ->
            RegistryChange.device(
                created.path("productID").asText(), created.path("deviceName").asText()),
        (c, x) -> devices.create(tenant(c, x), body(x)));
    String device = T + "/devices/:product/:device";
    BiFunction<RoutingContext, JsonNode, RegistryChange> thisDevice =
        (x, result) -> RegistryChange.device(path(x, "product"), path(x, "device"));
    read(
        router.get(device),
        (c, x) -> devices.get(tenant(c, x), path(x, "product"), path(x, "device")));
    write(
        router.put(device),
        200,
        thisDevice,
        (c, x) -> devices.update(tenant(c, x), path(x, "product"), path(x, "device"), body(x)));
    handle(
        router.delete(device),
        MAX_BODY_BYTES,
        (ctx, caller) -> {
          devices.delete(tenant(caller, ctx), path(ctx, "product"), path(ctx, "device"));
          changes.announce(thisDevice.apply(ctx, null));
          // Its shares went with it.
          changes.announce(RegistryChange.ALL_BUT_DEVICES);
          ok(ctx, 200, null);
        });
    write(
        router.post(device + "/secret"),
        200,
        thisDevice,
        (c, x) -> devices.regenerateSecret(tenant(c, x), path(x, "product"), path(x, "device")));

    // The operator's: the nodes, their connections, closing one.
    nodes.mount(router);

    read(
        router.get(T + "/grants"),
        (c, x) -> grants.list(tenant(c, x), page(x), query(x, "userID"), query(x, "projectID")));
    handle(
        router.post(T + "/grants"),
        MAX_BODY_BYTES,
        (ctx, caller) -> {
          GrantStore.Added added = grants.add(tenant(caller, ctx), body(ctx));
          if (added.created()) {
            changes.announce(RegistryChange.ALL_BUT_DEVICES);
          }
          ok(ctx, added.created() ? 201 : 200, added.grant());
        });
    write(
        router.delete(T + "/grants"),
        200,
        (c, x) ->
            done(
                () ->
                    grants.revoke(
                        tenant(c, x),
                        required(x, "userID"),
                        required(x, "projectID"),
                        query(x, "areaID"))));

    read(router.get(T + "/users"), (c, x) -> users.list(tenant(c, x), page(x), query(x, "q")));
    write(router.post(T + "/users"), 201, (c, x) -> users.create(tenant(c, x), body(x)));
    String user = T + "/users/:user";
    read(router.get(user), (c, x) -> users.get(tenant(c, x), path(x, "user")));
    write(router.put(user), 200, (c, x) -> users.update(tenant(c, x), path(x, "user"), body(x)));
    write(
        router.delete(user),
        200,
        (c, x) -> done(() -> users.delete(tenant(c, x), path(x, "user"))));

    read(
        router.get(T + "/device-grants"),
        (c, x) ->
            deviceGrants.list(tenant(c, x), page(x), query(x, "userID"), query(x, "productID")));
    handle(
        router.post(T + "/device-grants"),
        MAX_BODY_BYTES,
        (ctx, caller) -> {
          DeviceGrantStore.Added added = deviceGrants.add(tenant(caller, ctx), body(ctx));
          if (added.created()) {
            changes.announce(RegistryChange.ALL_BUT_DEVICES);
          }
          ok(ctx, added.created() ? 201 : 200, added.grant());
        });
    write(
        router.delete(T + "/device-grants"),
        200,
        (c, x) ->
            done(
                () ->
                    deviceGrants.revoke(
                        tenant(c, x),
                        required(x, "userID"),
                        required(x, "productID"),
                        required(x, "deviceName"))));

    handle(
        router.get(BASE + "/export"),
        0,
        (ctx, caller) -> {
          caller.mustBePlatform();
          export(ctx, null);
        });
    handle(router.get(T + "/export"), 0, (ctx, caller) -> export(ctx, tenant(caller, ctx)));
    // The database was changed behind the nodes' back (thingpush import, SQL): every node re-reads
    // it.
    handle(
        router.post(BASE + "/reload"),
        0,
        (ctx, caller) -> {
          caller.mustBePlatform();
          changes.announce(RegistryChange.ALL);
          ok(ctx, 200, null);
        });
    handle(
        router.post(BASE + "/import"),
        MAX_IMPORT_BYTES,
        (ctx, caller) -> {
          caller.mustBePlatform();
          registry.importJson(new ByteArrayInputStream(JsonBodyHandler.bytes(ctx).getBytes()));
          changes.announce(RegistryChange.ALL);
          ok(ctx, 200, null);
        });
  }

  private void read(Route route, Action action) {
    handle(route, 0, (ctx, caller) -> ok(ctx, 200, action.run(caller, ctx)));
  }

  /** A write of anything but a device: once committed, made live on this node, then answered. */
  private void write(Route route, int status, Action action) {
    write(route, status, (ctx, result) -> RegistryChange.ALL_BUT_DEVICES, action);
  }

  /** A write: once committed, {@code change} is made live on this node, then answered. */
  private void write(
      Route route,
      int status,
      BiFunction<RoutingContext, JsonNode, RegistryChange> change,
      Action action) {
    handle(
        route,
        MAX_BODY_BYTES,
        (ctx, caller) -> {
          JsonNode result = action.run(caller, ctx);
          changes.announce(change.apply(ctx, result));
          ok(ctx, status, result);
        });
  }

  @FunctionalInterface
  private interface Handler {
    void handle(RoutingContext ctx, AdminCaller caller) throws IOException;
  }

  private void handle(Route route, long maxBody, Handler handler) {
    if (maxBody > 0) {
      route.handler(new JsonBodyHandler(maxBody));
    }
    route.blockingHandler(
        ctx -> {
          try {
            handler.handle(ctx, auth.caller(ctx.request().getHeader("Authorization")));
          } catch (ThingPushException e) {
            ApiReplies.error(ctx, e);
          } catch (RegistryImportException e) {
            ApiReplies.error(ctx, new ThingPushException(ErrorCode.PARAMETER, e.getMessage()));
          } catch (IOException | RuntimeException e) {
            LOG.error(
                "admin {} {} failed", ctx.request().method(), LogSafe.of(ctx.request().path()), e);
            ApiReplies.error(ctx, new ThingPushException(ErrorCode.SYSTEM, null));
          }
        },
        false);
  }

  private static void ok(RoutingContext ctx, int status, JsonNode data) {
    ObjectNode envelope = Json.object().put("code", 200).put("msg", "success");
    if (data != null) {
      envelope.set("data", data);
    }
    ApiReplies.send(ctx, status, envelope);
  }

  private void export(RoutingContext ctx, String tenant) throws IOException {
    Path file = Files.createTempFile("thingpush-export", ".json");
    try (Writer out = Files.newBufferedWriter(file)) {
      registry.export(tenant, out);
    } catch (RuntimeException | IOException e) {
      Files.deleteIfExists(file);
      throw e;
    }
    ctx.response()
        .putHeader("content-type", "application/json")
        .sendFile(file.toString())
        .onComplete(
            done -> {
              try {
                Files.deleteIfExists(file);
              } catch (IOException e) {
                LOG.warn("cannot delete the export file {}", file, e);
              }
            });
  }

  private void openApi(RoutingContext ctx) {
    try (InputStream in = AdminApi.class.getResourceAsStream(OPENAPI)) {
      ctx.response()
          .putHeader("content-type", "application/yaml; charset=utf-8")
          .end(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The tenant of the path, once the caller may manage it. */
  private static String tenant(AdminCaller caller, RoutingContext ctx) {
    String tenant = path(ctx, "tenant");
    caller.mayManage(tenant);
    return tenant;
  }

  private static JsonNode platform(AdminCaller caller, Supplier<JsonNode> action) {
    caller.mustBePlatform();
    return action.get();
  }

  private static JsonNode done(Runnable action) {
    action.run();
    return null;
  }

  private static String required(RoutingContext ctx, String name) {
    String value = query(ctx, name);
    if (value == null) {
      throw new ThingPushException(ErrorCode.PARAMETER, "query parameter " + name + " is required");
    }
    return value;
  }
}
