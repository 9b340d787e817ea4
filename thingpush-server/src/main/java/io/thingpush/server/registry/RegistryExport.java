package io.thingpush.server.registry;

import com.fasterxml.jackson.core.JsonGenerator;
import io.thingpush.core.directory.Area;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.DeviceGrant;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.directory.Grant;
import io.thingpush.core.directory.Product;
import io.thingpush.core.directory.Project;
import io.thingpush.core.directory.Tenant;
import io.thingpush.core.directory.User;
import io.thingpush.protocol.Json;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Writes the registry in the import format (docs/registry.md), streamed, every list sorted by
 * id, so that importing the export changes nothing and exporting again gives the same bytes.
 * Device secrets are included: an export restores a registry, so protect the file.
 */
final class RegistryExport {
  private final Directory dir;
  private final Predicate<String> tenants;
  private final Map<String, List<Area>> children = new HashMap<>();

  private RegistryExport(Directory dir, String tenant) {
    this.dir = dir;
    this.tenants = tenant == null ? t -> true : tenant::equals;
    for (Area area : dir.areas()) {
      children
          .computeIfAbsent(
              area.parentId() == null ? root(area.projectId()) : area.parentId(),
              k -> new ArrayList<>())
          .add(area);
    }
    children.values().forEach(list -> list.sort(Comparator.comparing(Area::id)));
  }

  /** Writes everything, or only {@code tenant}'s part of it (null: every tenant). */
  static void write(Directory dir, String tenant, Writer out) throws IOException {
    try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
      json.useDefaultPrettyPrinter();
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET); // the caller owns the writer
      new RegistryExport(dir, tenant).write(json);
      json.writeRaw('\n');
    }
  }

  private void write(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeArrayFieldStart("tenants");
    for (Tenant t : sorted(dir.tenants(), Tenant::code)) {
      if (tenants.test(t.code())) {
        json.writeStartObject();
        json.writeStringField("code", t.code());
        json.writeStringField("name", t.name());
        json.writeEndObject();
      }
    }
    json.writeEndArray();
    json.writeArrayFieldStart("projects");
    for (Project p : sorted(dir.projects(), Project::id)) {
      if (tenants.test(p.tenantCode())) {
        project(json, p);
      }
    }
    json.writeEndArray();
    json.writeArrayFieldStart("products");
    for (Product p : sorted(dir.products(), Product::id)) {
      if (tenants.test(p.tenantCode())) {
        json.writeStartObject();
        json.writeStringField("id", p.id());
        json.writeStringField("tenant", p.tenantCode());
        json.writeStringField("name", p.name());
        json.writeFieldName("thingModel");
        json.writeTree(p.thingModel());
        json.writeEndObject();
      }
    }
    json.writeEndArray();
    json.writeArrayFieldStart("devices");
    List<Device> devices = new ArrayList<>(dir.devices());
    devices.sort(Comparator.comparing(Device::productId).thenComparing(Device::deviceName));
    for (Device d : devices) {
      if (tenants.test(d.tenantCode())) {
        device(json, d);
      }
    }
    json.writeEndArray();
    json.writeArrayFieldStart("users");
    for (User u : sorted(dir.users(), User::userId)) {
      if (tenants.test(u.tenantCode())) {
        json.writeStartObject();
        json.writeStringField("tenant", u.tenantCode());
        json.writeStringField("userID", u.userId());
        json.writeBooleanField("isAdmin", u.admin());
        json.writeEndObject();
      }
    }
    json.writeEndArray();
    json.writeArrayFieldStart("grants");
    grants(json);
    json.writeEndArray();
    json.writeArrayFieldStart("deviceGrants");
    List<DeviceGrant> shares = new ArrayList<>(dir.deviceGrants());
    shares.sort(
        Comparator.comparing(DeviceGrant::tenantCode)
            .thenComparing(DeviceGrant::userId)
            .thenComparing(DeviceGrant::productId)
            .thenComparing(DeviceGrant::deviceName));
    for (DeviceGrant g : shares) {
      if (tenants.test(g.tenantCode())) {
        json.writeStartObject();
        json.writeStringField("tenant", g.tenantCode());
        json.writeStringField("userID", g.userId());
        json.writeStringField("productID", g.productId());
        json.writeStringField("deviceName", g.deviceName());
        json.writeEndObject();
      }
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private void project(JsonGenerator json, Project p) throws IOException {
    json.writeStartObject();
    json.writeStringField("id", p.id());
    json.writeStringField("tenant", p.tenantCode());
    json.writeStringField("name", p.name());
    areas(json, root(p.id()));
    json.writeEndObject();
  }

  /** The {@code areas} or {@code children} of a node, nested; nothing when it has none. */
  private void areas(JsonGenerator json, String parent) throws IOException {
    List<Area> below = children.get(parent);
    if (below == null) {
      return;
    }
    json.writeArrayFieldStart(parent.startsWith("\0") ? "areas" : "children");
    for (Area a : below) {
      json.writeStartObject();
      json.writeStringField("id", a.id());
      json.writeStringField("name", a.name());
      areas(json, a.id());
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  private static void device(JsonGenerator json, Device d) throws IOException {
    json.writeStartObject();
    json.writeStringField("productID", d.productId());
    json.writeStringField("deviceName", d.deviceName());
    json.writeStringField("secret", d.secret());
    json.writeStringField("projectID", d.projectId());
    if (d.areaId() != null) {
      json.writeStringField("areaID", d.areaId());
    }
    json.writeEndObject();
  }

  /** The grants of one user to one project: the whole project, and/or some areas. */
  private static final class UserGrants {
    boolean wholeProject;
    final List<String> areaIds = new ArrayList<>();
  }

  /** One entry per user and project for a whole-project grant, one for its area grants. */
  private void grants(JsonGenerator json) throws IOException {
    Comparator<List<String>> byFields =
        (a, b) -> String.join("\0", a).compareTo(String.join("\0", b));
    Map<List<String>, UserGrants> byUser = new TreeMap<>(byFields);
    for (Grant g : dir.grants()) {
      if (tenants.test(g.tenantCode())) {
        UserGrants of =
            byUser.computeIfAbsent(
                List.of(g.tenantCode(), g.userId(), g.projectId()), k -> new UserGrants());
        if (g.areaId() == null) {
          of.wholeProject = true;
        } else {
          of.areaIds.add(g.areaId());
        }
      }
    }
    for (Map.Entry<List<String>, UserGrants> e : byUser.entrySet()) {
      if (e.getValue().wholeProject) {
        grant(json, e.getKey(), null);
      }
      if (!e.getValue().areaIds.isEmpty()) {
        e.getValue().areaIds.sort(null);
        grant(json, e.getKey(), e.getValue().areaIds);
      }
    }
  }

  private static void grant(JsonGenerator json, List<String> key, List<String> areaIds)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("tenant", key.get(0));
    json.writeStringField("userID", key.get(1));
    json.writeStringField("projectID", key.get(2));
    if (areaIds != null) {
      json.writeArrayFieldStart("areaIDs");
      for (String id : areaIds) {
        json.writeString(id);
      }
      json.writeEndArray();
    }
    json.writeEndObject();
  }

  /** The key of a project's root areas in {@link #children}; "\0" never starts an id. */
  private static String root(String projectId) {
    return "\0" + projectId;
  }

  private static <T> List<T> sorted(Collection<T> items, Function<T, String> key) {
    List<T> list = new ArrayList<>(items);
    list.sort(Comparator.comparing(key));
    return list;
  }
}
