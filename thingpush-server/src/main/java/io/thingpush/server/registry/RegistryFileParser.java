package io.thingpush.server.registry;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.thingpush.protocol.Json;
import io.thingpush.server.registry.RegistryFile.AreaEntry;
import io.thingpush.server.registry.RegistryFile.DeviceEntry;
import io.thingpush.server.registry.RegistryFile.DeviceGrantEntry;
import io.thingpush.server.registry.RegistryFile.GrantEntry;
import io.thingpush.server.registry.RegistryFile.ProductEntry;
import io.thingpush.server.registry.RegistryFile.ProjectEntry;
import io.thingpush.server.registry.RegistryFile.TenantEntry;
import io.thingpush.server.registry.RegistryFile.UserEntry;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads an import file (format in docs/registry.md) and checks everything that needs no database:
 * JSON syntax, keys, types, lengths, id characters, duplicates within the file and the shape of
 * thing models. References are checked afterwards by {@link ImportValidator}.
 */
final class RegistryFileParser {
  // A key given twice in one object would otherwise silently keep the last value.
  private static final ObjectReader READER =
      Json.MAPPER.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

  private static final Pattern SOURCE_DESCRIPTION = Pattern.compile("\\[Source: [^;]*; ");

  private static final List<String> FILE_KEYS =
      List.of("tenants", "projects", "products", "devices", "users", "grants", "deviceGrants");
  private static final List<String> TENANT_KEYS = List.of("code", "name");
  private static final List<String> PROJECT_KEYS = List.of("id", "tenant", "name", "areas");
  private static final List<String> AREA_KEYS = List.of("id", "name", "children");
  private static final List<String> PRODUCT_KEYS = List.of("id", "tenant", "name", "thingModel");
  private static final List<String> DEVICE_KEYS =
      List.of("productID", "deviceName", "secret", "projectID", "areaID");
  private static final List<String> GRANT_KEYS =
      List.of("tenant", "userID", "projectID", "areaIDs");
  private static final List<String> USER_KEYS = List.of("tenant", "userID", "isAdmin");
  private static final List<String> DEVICE_GRANT_KEYS =
      List.of("tenant", "userID", "productID", "deviceName");

  private final ImportProblems problems = new ImportProblems();
  private final JsonFields fields = new JsonFields(problems);
  // "kind id" -> path of its first occurrence, to name both places of a duplicate.
  private final Map<String, String> firstSeen = new HashMap<>();

  private final List<TenantEntry> tenants = new ArrayList<>();
  private final List<ProjectEntry> projects = new ArrayList<>();
  private final List<AreaEntry> areas = new ArrayList<>();
  private final List<ProductEntry> products = new ArrayList<>();
  private final List<DeviceEntry> devices = new ArrayList<>();
  private final List<GrantEntry> grants = new ArrayList<>();
  private final List<UserEntry> users = new ArrayList<>();
  private final List<DeviceGrantEntry> deviceGrants = new ArrayList<>();

  private RegistryFileParser() {}

  /**
   * Parses a whole import file.
   *
   * @throws RegistryImportException listing every problem found
   * @throws IOException when the stream cannot be read
   */
  static RegistryFile parse(InputStream json) throws IOException {
    return new RegistryFileParser().parseRoot(readTree(json));
  }

  private static JsonNode readTree(InputStream json) throws IOException {
    JsonNode root;
    try {
      root = READER.readTree(json);
    } catch (JacksonException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw new RegistryImportException("$", "not valid JSON: " + readable(e) + where);
    }
    if (root == null || root.isMissingNode()) {
      throw new RegistryImportException("$", "the file is empty");
    }
    return root;
  }

  /** Jackson's message without its internals (source descriptions, feature names). */
  private static String readable(JacksonException e) {
    String message = e.getOriginalMessage();
    if (message.startsWith("Trailing token")) {
      return "more than one JSON value";
    }
    return SOURCE_DESCRIPTION.matcher(message).replaceAll("[");
  }

  private RegistryFile parseRoot(JsonNode root) {
    if (!root.isObject()) {
      throw new RegistryImportException("$", "must be a JSON object, not " + JsonFields.kind(root));
    }
    fields.onlyKeys(root, "", FILE_KEYS);
    forEach(root, "", "tenants", this::tenant);
    forEach(root, "", "projects", this::project);
    forEach(root, "", "products", this::product);
    forEach(root, "", "devices", this::device);
    forEach(root, "", "users", this::user);
    forEach(root, "", "grants", this::grant);
    forEach(root, "", "deviceGrants", this::deviceGrant);
    problems.throwIfAny();
    return new RegistryFile(
        tenants, projects, areas, products, devices, grants, users, deviceGrants);
  }

  private interface EntryReader {
    void read(JsonNode entry, String path);
  }

  private void forEach(JsonNode parent, String parentPath, String key, EntryReader reader) {
    List<JsonNode> entries = fields.array(parent, parentPath, key);
    String path = JsonFields.at(parentPath, key);
    for (int i = 0; i < entries.size(); i++) {
      String entryPath = JsonFields.at(path, i);
      if (fields.isObject(entries.get(i), entryPath)) {
        reader.read(entries.get(i), entryPath);
      }
    }
  }

  // Entries with problems are still collected: nothing is returned once a problem is recorded.

  private void tenant(JsonNode node, String path) {
    fields.onlyKeys(node, path, TENANT_KEYS);
    String code = fields.id(node, path, "code");
    unique("tenant", code, JsonFields.at(path, "code"));
    tenants.add(new TenantEntry(path, code, fields.name(node, path, "name")));
  }

  private void project(JsonNode node, String path) {
    fields.onlyKeys(node, path, PROJECT_KEYS);
    String id = fields.id(node, path, "id");
    unique("project", id, JsonFields.at(path, "id"));
    String tenant = fields.id(node, path, "tenant");
    projects.add(new ProjectEntry(path, id, tenant, fields.name(node, path, "name")));
    List<JsonNode> roots = fields.array(node, path, "areas");
    for (int i = 0; i < roots.size(); i++) {
      area(roots.get(i), JsonFields.at(JsonFields.at(path, "areas"), i), id, null);
    }
  }

  /** Adds the area, then its children: parents always come before their children. */
  private void area(JsonNode node, String path, String projectId, String parentId) {
    if (!fields.isObject(node, path)) {
      return;
    }
    fields.onlyKeys(node, path, AREA_KEYS);
    String id = fields.id(node, path, "id");
    unique("area", id, JsonFields.at(path, "id"));
    areas.add(new AreaEntry(path, id, projectId, parentId, fields.name(node, path, "name")));
    List<JsonNode> children = fields.array(node, path, "children");
    for (int i = 0; i < children.size(); i++) {
      area(children.get(i), JsonFields.at(JsonFields.at(path, "children"), i), projectId, id);
    }
  }

  private void product(JsonNode node, String path) {
    fields.onlyKeys(node, path, PRODUCT_KEYS);
    String id = fields.id(node, path, "id");
    unique("product", id, JsonFields.at(path, "id"));
    String tenant = fields.id(node, path, "tenant");
    String name = fields.name(node, path, "name");
    JsonNode thingModel = node.get("thingModel");
    String modelPath = JsonFields.at(path, "thingModel");
    if (thingModel == null || thingModel.isNull()) {
      problems.add(modelPath, "is missing (use {} for a product without a model)");
    } else {
      fields.thingModel(thingModel, modelPath);
    }
    products.add(new ProductEntry(path, id, tenant, name, thingModel));
  }

  private void device(JsonNode node, String path) {
    fields.onlyKeys(node, path, DEVICE_KEYS);
    String productId = fields.id(node, path, "productID");
    String deviceName = fields.id(node, path, "deviceName");
    if (productId != null && deviceName != null) {
      unique("device", productId + "/" + deviceName, JsonFields.at(path, "deviceName"));
    }
    devices.add(
        new DeviceEntry(
            path,
            productId,
            deviceName,
            fields.secret(node, path, "secret"),
            fields.id(node, path, "projectID"),
            fields.optionalId(node, path, "areaID")));
  }

  private void user(JsonNode node, String path) {
    fields.onlyKeys(node, path, USER_KEYS);
    String tenant = fields.id(node, path, "tenant");
    String userId = fields.userId(node, path, "userID");
    unique("user", userId, JsonFields.at(path, "userID"));
    users.add(new UserEntry(path, tenant, userId, fields.flag(node, path, "isAdmin")));
  }

  private void deviceGrant(JsonNode node, String path) {
    fields.onlyKeys(node, path, DEVICE_GRANT_KEYS);
    String tenant = fields.id(node, path, "tenant");
    String userId = fields.userId(node, path, "userID");
    String productId = fields.id(node, path, "productID");
    String deviceName = fields.id(node, path, "deviceName");
    if (tenant != null && userId != null && productId != null && deviceName != null) {
      unique(
          "device grant",
          tenant + "/" + userId + "/" + productId + "/" + deviceName,
          path,
          "share of device " + productId + "/" + deviceName + " with user " + userId);
    }
    deviceGrants.add(new DeviceGrantEntry(path, tenant, userId, productId, deviceName));
  }

  private void grant(JsonNode node, String path) {
    fields.onlyKeys(node, path, GRANT_KEYS);
    String tenant = fields.id(node, path, "tenant");
    String userId = fields.userId(node, path, "userID");
    String projectId = fields.id(node, path, "projectID");
    String areasPath = JsonFields.at(path, "areaIDs");
    JsonNode areaNode = node.get("areaIDs");
    List<JsonNode> areaValues = fields.array(node, path, "areaIDs");
    if (areaNode != null && areaNode.isArray() && areaValues.isEmpty()) {
      problems.add(areasPath, "must not be empty (leave it out to grant the whole project)");
    }
    // Grants have no id: (tenant, user, project, area) is what must not repeat.
    String grantKey = tenant + "/" + userId + "/" + projectId + "/";
    boolean keyed = tenant != null && userId != null && projectId != null;
    if (keyed && areaValues.isEmpty()) {
      unique("grant", grantKey, path, "grant of user " + userId + " to project " + projectId);
    }
    List<String> areaIds = new ArrayList<>();
    for (int i = 0; i < areaValues.size(); i++) {
      String areaPath = JsonFields.at(areasPath, i);
      String areaId = fields.idElement(areaValues.get(i), areaPath);
      if (areaId != null) {
        areaIds.add(areaId);
        if (keyed) {
          unique(
              "grant",
              grantKey + areaId,
              areaPath,
              "grant of user " + userId + " to area " + areaId);
        }
      }
    }
    grants.add(new GrantEntry(path, tenant, userId, projectId, List.copyOf(areaIds)));
  }

  private void unique(String kind, String id, String path) {
    unique(kind, id, path, kind + " " + id);
  }

  private void unique(String kind, String id, String path, String shown) {
    if (id == null) {
      return;
    }
    String first = firstSeen.putIfAbsent(kind + " " + id, path);
    if (first != null) {
      problems.add(path, "duplicate " + shown + " (first at " + first + ")");
    }
  }
}
