package io.thingpush.server.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.events.Completions;
import io.thingpush.protocol.CloseCode;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.LogSafe;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.server.http.ApiReplies;
import io.thingpush.server.http.JsonBodyHandler;
import io.thingpush.server.observe.Nodes;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's routes of the admin API, for platform admins: the nodes' status, the open
 * connections, closing one (docs/admin-api.md). Each node answers for itself ({@link Nodes}).
 */
final class NodesApi {
  private static final Logger LOG = LoggerFactory.getLogger(NodesApi.class);

  /** Codes an operator may close with: the client knows what each asks of it (docs/protocol.md). */
  static final Set<CloseCode> CLOSE_CODES =
      Set.of(
          CloseCode.BAD_CONNECT,
          CloseCode.TOKEN,
          CloseCode.FORBIDDEN,
          CloseCode.SHUTDOWN,
          CloseCode.LIMIT);

  private static final int MAX_REASON = 123;
  private static final String DEFAULT_REASON = "closed by an operator";

  private final AdminAuth auth;
  private final Nodes nodes;

  NodesApi(AdminAuth auth, Nodes nodes) {
    this.auth = auth;
    this.nodes = nodes;
  }

  void mount(Router router) {
    router
        .get(AdminApi.BASE + "/nodes")
        .handler(
            ctx ->
                answer(
                    ctx,
                    (x, caller) ->
                        nodes
                            .status()
                            .thenApply(
                                list -> {
                                  ObjectNode data = Json.object();
                                  data.set("nodes", Json.MAPPER.valueToTree(list));
                                  return data;
                                })));
    router
        .get(AdminApi.BASE + "/connections")
        .handler(
            ctx ->
                answer(
                    ctx,
                    (x, caller) -> {
                      return nodes
                          .connections(AdminRequests.query(x, "q"), AdminRequests.limit(x))
                          .thenApply(NodesApi::connections);
                    }));
    router
        .post(AdminApi.BASE + "/connections/:connectID/close")
        .handler(new JsonBodyHandler(64 * 1024))
        .handler(
            ctx ->
                answer(
                    ctx,
                    (x, caller) -> {
                      String connectId = AdminRequests.path(x, "connectID");
                      JsonNode body = AdminRequests.body(x);
                      CloseCode code = closeCode(body);
                      String reason = reason(body);
                      return nodes
                          .close(connectId, code, reason)
                          .thenApply(
                              closed -> {
                                if (!closed) {
                                  throw new ThingPushException(
                                      ErrorCode.NOT_FOUND, "no open connection " + connectId);
                                }
                                LOG.info(
                                    "connectID={} closed by operator {}: {} {}",
                                    LogSafe.of(connectId),
                                    LogSafe.of(caller.principal().userId()),
                                    code.code(),
                                    LogSafe.of(reason));
                                return null;
                              });
                    }));
  }

  private static ObjectNode connections(Nodes.Page page) {
    ObjectNode data = Json.object();
    ArrayNode items = data.putArray("items");
    for (Nodes.NodeConnection c : page.items()) {
      ObjectNode item = Json.MAPPER.valueToTree(c.connection());
      item.put("node", c.node());
      items.add(item);
    }
    data.put("total", page.total());
    return data;
  }

  private static CloseCode closeCode(JsonNode body) {
    JsonNode code = body.get("code");
    CloseCode close = code != null && code.isInt() ? CloseCode.of(code.intValue()) : null;
    if (close == null || !CLOSE_CODES.contains(close)) {
      throw new ThingPushException(
          ErrorCode.PARAMETER, "code must be one of 4000, 4001, 4003, 4009, 4029");
    }
    return close;
  }

  private static String reason(JsonNode body) {
    JsonNode reason = body.get("reason");
    if (reason == null || reason.isNull()) {
      return DEFAULT_REASON;
    }
    if (!reason.isTextual()
        || !reason.textValue().matches("[\\x20-\\x7e]*")
        || reason.textValue().length() > MAX_REASON) {
      throw new ThingPushException(
          ErrorCode.PARAMETER, "reason must be printable ASCII of at most 123 characters");
    }
    return reason.textValue();
  }

  /** Authorises a platform admin, runs {@code action} and answers what it completes with (null: no data). */
  private void answer(
      RoutingContext ctx,
      BiFunction<RoutingContext, AdminCaller, CompletionStage<ObjectNode>> action) {
    Context context = Vertx.currentContext();
    try {
      AdminCaller caller = auth.caller(ctx.request().getHeader("Authorization"));
      caller.mustBePlatform();
      action
          .apply(ctx, caller)
          .whenComplete(
              (data, failure) ->
                  context.runOnContext(
                      v -> {
                        if (failure == null) {
                          ObjectNode envelope =
                              Json.object().put("code", 200).put("msg", "success");
                          if (data != null) {
                            envelope.set("data", data);
                          }
                          ApiReplies.send(ctx, 200, envelope);
                        } else if (Completions.cause(failure) instanceof ThingPushException e) {
                          ApiReplies.error(ctx, e);
                        } else {
                          LOG.error(
                              "admin {} {} failed",
                              ctx.request().method(),
                              LogSafe.of(ctx.request().path()),
                              failure);
                          ApiReplies.error(ctx, new ThingPushException(ErrorCode.SYSTEM, null));
                        }
                      }));
    } catch (ThingPushException e) {
      ApiReplies.error(ctx, e);
    }
  }
}
