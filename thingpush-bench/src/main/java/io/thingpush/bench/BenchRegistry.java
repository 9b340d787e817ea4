package io.thingpush.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.protocol.Json;

/**
 * The registry a benchmark runs against: tenant {@code default}, project {@code p-bench} with
 * {@value #ROOT_AREAS} areas of {@value #CHILD_AREAS} sub-areas each, product
 * {@code bench-sensor} and devices {@code dev-0}…; device k sits in leaf area k mod 100. The
 * server and the generator both derive names from here, so they agree without talking.
 */
public final class BenchRegistry {
  public static final String TENANT = "default";
  public static final String PROJECT = "p-bench";
  public static final String PRODUCT = "bench-sensor";
  public static final String IDENTIFIER = "v";
  public static final String USER = "bench";
  public static final String APP = "bench";

  /** The secret of every bench device (its MQTT password). */
  public static final String SECRET = "s";

  public static final int ROOT_AREAS = 10;
  public static final int CHILD_AREAS = 10;
  public static final int LEAF_AREAS = ROOT_AREAS * CHILD_AREAS;

  private BenchRegistry() {}

  public static String deviceName(int device) {
    return "dev-" + device;
  }

  /** The leaf area of device {@code device}. */
  public static String leafArea(int device) {
    int leaf = device % LEAF_AREAS;
    return "a-" + leaf / CHILD_AREAS + "-" + leaf % CHILD_AREAS;
  }

  /** The registry file (docs/registry.md) with {@code devices} devices. */
  public static String json(int devices) {
    ObjectNode root = Json.object();
    root.putArray("tenants").addObject().put("code", TENANT).put("name", "Bench");
    ObjectNode project =
        root.putArray("projects")
            .addObject()
            .put("id", PROJECT)
            .put("tenant", TENANT)
            .put("name", "Bench");
    ArrayNode areas = project.putArray("areas");
    for (int r = 0; r < ROOT_AREAS; r++) {
      ObjectNode area = areas.addObject().put("id", "a-" + r).put("name", "Area " + r);
      ArrayNode children = area.putArray("children");
      for (int c = 0; c < CHILD_AREAS; c++) {
        children.addObject().put("id", "a-" + r + "-" + c).put("name", "Area " + r + "." + c);
      }
    }
    ObjectNode product =
        root.putArray("products")
            .addObject()
            .put("id", PRODUCT)
            .put("tenant", TENANT)
            .put("name", "Bench sensor");
    ArrayNode fields =
        product
            .putObject("thingModel")
            .putArray("properties")
            .addObject()
            .put("identifier", IDENTIFIER)
            .put("name", "Value")
            .put("type", "struct")
            .putArray("fields");
    fields.addObject().put("identifier", "sent").put("type", "int");
    fields.addObject().put("identifier", "pad").put("type", "string").put("maxLength", 65536);
    ArrayNode list = root.putArray("devices");
    for (int d = 0; d < devices; d++) {
      list.addObject()
          .put("productID", PRODUCT)
          .put("deviceName", deviceName(d))
          .put("secret", SECRET)
          .put("projectID", PROJECT)
          .put("areaID", leafArea(d));
    }
    return Json.text(root);
  }
}
