package io.thingpush.server.registry;

import io.thingpush.core.cluster.RegistryChange;
import io.thingpush.core.directory.Directory;
import io.thingpush.protocol.Json;
import io.thingpush.server.ThingPushServer;
import io.thingpush.server.config.ThingPushConfig;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A benchmark, not a test (docs/PERFORMANCE.md, "Registry at scale"): writes a synthetic registry
 * of {@code -Dthingpush.scale.devices=N} devices (at most 10,000,000) into a fresh PostgreSQL
 * schema and a fresh H2 file, then starts a real node on each and reports the start-up time, the
 * time of a full reload and the heap the node keeps. Skipped unless the property is set; the
 * generated data is dropped afterwards.
 */
@EnabledIfSystemProperty(named = "thingpush.scale.devices", matches = "\\d+")
class RegistryScaleBench {
  private static final int MAX_DEVICES = 10_000_000;
  private static final int TENANTS = 10;
  private static final int PROJECTS_PER_TENANT = 10;
  private static final int AREAS_PER_PROJECT = 20;
  private static final int PRODUCTS_PER_TENANT = 5;
  private static final int USERS_PER_PROJECT = 10;
  private static final int CHUNK = 100_000;
  private static final String PG_URL =
      System.getenv()
          .getOrDefault("THINGPUSH_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  private static final String PG_USER =
      System.getenv().getOrDefault("THINGPUSH_TEST_POSTGRES_USER", "postgres");
  private static final String PG_PASSWORD =
      System.getenv().getOrDefault("THINGPUSH_TEST_POSTGRES_PASSWORD", "");

  private final int devices = Math.min(MAX_DEVICES, Integer.getInteger("thingpush.scale.devices"));

  @Test
  void postgres() throws Exception {
    String schema = "thingpush_scale_" + UUID.randomUUID().toString().replace("-", "");
    execute("CREATE SCHEMA " + schema);
    try {
      String url =
          PG_URL
              + (PG_URL.contains("?") ? "&" : "?")
              + "currentSchema="
              + schema
              + "&reWriteBatchedInserts=true";
      measure("PostgreSQL", url, url, PG_USER, PG_PASSWORD);
    } finally {
      execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  @Test
  void h2() throws Exception {
    Path dir = Files.createTempDirectory("thingpush-scale");
    try {
      // The generator writes with a larger cache (H2's 16 MB makes a million inserts crawl);
      // the node then opens the file as the default configuration does.
      String url = "jdbc:h2:file:" + dir.resolve("registry");
      measure("H2", url + ";CACHE_SIZE=524288", url, "sa", "");
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void measure(
      String database, String generateUrl, String url, String user, String password)
      throws Exception {
    long started = System.nanoTime();
    try (Registry registry =
        Registry.open(generateUrl, user, password, 1, Duration.ofSeconds(10))) {
      registry.write(null, this::generate);
    }
    long generated = System.nanoTime();
    long directoryBytes = directoryAlone(url, user, password);
    long heapBefore = usedHeapAfterGc();
    long startBegins = System.nanoTime();
    try (ThingPushServer server = ThingPushServer.start(config(url, user, password))) {
      long startEnds = System.nanoTime();
      long heapAfter = usedHeapAfterGc();
      long reloadBegins = System.nanoTime();
      server.registryChanged();
      long reloadEnds = System.nanoTime();
      server.registryChanges().announce(RegistryChange.ALL_BUT_DEVICES);
      long structureEnds = System.nanoTime();
      server
          .registryChanges()
          .announce(RegistryChange.device(productId(0, 0), String.format("dev-%08d", 0)));
      long deviceEnds = System.nanoTime();
      long retained = heapAfter - heapBefore;
      report(
          "%s, %,d devices: generated in %.1f s; node start-up %.2f s; full reload %.2f s;"
              + " reload of all but devices %.3f s; reload of one device %.3f s;"
              + " heap kept by the node %,d MiB (%d bytes per device), by the directory alone %,d MiB"
              + " (%d bytes per device)",
          database,
          devices,
          seconds(generated - started),
          seconds(startEnds - startBegins),
          seconds(reloadEnds - reloadBegins),
          seconds(structureEnds - reloadEnds),
          seconds(deviceEnds - structureEnds),
          retained >> 20,
          retained / devices,
          directoryBytes >> 20,
          directoryBytes / devices);
    }
  }

  /**
   * The heap a loaded directory holds, the database closed (an embedded H2 keeps its own
   * caches in the node's heap; this leaves them out).
   */
  private static long directoryAlone(String url, String user, String password) {
    long before = usedHeapAfterGc();
    Directory directory;
    try (Registry registry = Registry.open(url, user, password, 1, Duration.ofSeconds(10))) {
      directory = registry.load();
    }
    long retained = usedHeapAfterGc() - before;
    Reference.reachabilityFence(directory);
    return retained;
  }

  private Void generate(Connection c) throws SQLException {
    try (PreparedStatement tenant =
            c.prepareStatement("INSERT INTO tenant (code, name) VALUES (?, ?)");
        PreparedStatement project =
            c.prepareStatement("INSERT INTO project (id, tenant_code, name) VALUES (?, ?, ?)");
        PreparedStatement area =
            c.prepareStatement(
                "INSERT INTO area (id, project_id, parent_id, name) VALUES (?, ?, ?, ?)");
        PreparedStatement product =
            c.prepareStatement(
                "INSERT INTO product (id, tenant_code, name, thing_model) VALUES (?, ?, ?, ?)");
        PreparedStatement grant =
            c.prepareStatement(
                "INSERT INTO user_grant (tenant_code, user_id, project_id, area_id) VALUES (?, ?, ?, ?)")) {
      for (int t = 0; t < TENANTS; t++) {
        String tenantCode = "tenant-" + t;
        add(tenant, tenantCode, "Tenant " + t);
        for (int p = 0; p < PRODUCTS_PER_TENANT; p++) {
          add(
              product,
              productId(t, p),
              tenantCode,
              "Product " + p,
              "{\"properties\":[{\"identifier\":\"temp\",\"name\":\"Temperature\",\"type\":\"float\"}]}");
        }
        for (int p = 0; p < PROJECTS_PER_TENANT; p++) {
          String projectId = projectId(t, p);
          add(project, projectId, tenantCode, "Project " + p);
          for (int a = 0; a < AREAS_PER_PROJECT; a++) {
            // Two levels: the first quarter are roots, the others hang under them.
            String parent =
                a < AREAS_PER_PROJECT / 4 ? null : areaId(projectId, a % (AREAS_PER_PROJECT / 4));
            add(area, areaId(projectId, a), projectId, parent, "Area " + a);
          }
          for (int u = 0; u < USERS_PER_PROJECT; u++) {
            add(
                grant,
                tenantCode,
                "user-" + u,
                projectId,
                u == 0 ? null : areaId(projectId, u % AREAS_PER_PROJECT));
          }
        }
      }
      for (PreparedStatement s : new PreparedStatement[] {tenant, product, project, area, grant}) {
        s.executeBatch();
      }
    }
    // Devices are made by the database itself, a range at a time (JDBC batches of a million
    // rows take many minutes on H2): the same ids as productId/projectId/areaId below.
    boolean postgres = c.getMetaData().getDatabaseProductName().equals("PostgreSQL");
    String numbers =
        postgres
            ? "SELECT i FROM generate_series(?, ?) AS i"
            : "SELECT X AS i FROM SYSTEM_RANGE(?, ?)";
    String secret =
        postgres ? "md5(random()::text)" : "REPLACE(CAST(RANDOM_UUID() AS VARCHAR), '-', '')";
    String project =
        "'proj-' || (i % "
            + TENANTS
            + ") || '-' || ((i / "
            + TENANTS
            + ") % "
            + PROJECTS_PER_TENANT
            + ")";
    String areaIndex =
        "((i / " + (TENANTS * PROJECTS_PER_TENANT) + ") % " + (AREAS_PER_PROJECT + 1) + ")";
    String sql =
        "INSERT INTO device (product_id, name, secret, project_id, area_id)"
            + " SELECT 'prod-' || (i % "
            + TENANTS
            + ") || '-' || ((i / 7) % "
            + PRODUCTS_PER_TENANT
            + "),"
            + " 'dev-' || LPAD(CAST(i AS VARCHAR), 8, '0'), "
            + secret
            + ", "
            + project
            + ","
            + " CASE WHEN "
            + areaIndex
            + " = "
            + AREAS_PER_PROJECT
            + " THEN NULL"
            + " ELSE "
            + project
            + " || '-area-' || "
            + areaIndex
            + " END"
            + " FROM ("
            + numbers
            + ") g";
    // H2 takes them in one statement: many commits grow its file past 2 GiB, where H2 2.3.232
    // fails an internal assertion.
    int chunk = postgres ? CHUNK : devices;
    try (PreparedStatement device = c.prepareStatement(sql)) {
      for (int from = 0; from < devices; from += chunk) {
        device.setInt(1, from);
        device.setInt(2, Math.min(devices, from + chunk) - 1);
        device.executeUpdate();
        c.commit();
      }
    }
    return null;
  }

  private static ThingPushConfig config(String url, String user, String password) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("ws", Map.of("host", "127.0.0.1", "port", 0));
    config.put("http", Map.of("host", "127.0.0.1", "port", 0));
    config.put("mqtt", Map.of("host", "127.0.0.1", "port", 0));
    config.put("auth", Map.of("hs256Secret", "thingpush-scale-bench-secret-0123456789"));
    config.put(
        "registry", Map.of("jdbcUrl", url, "username", user, "password", password, "poolSize", 2));
    return ThingPushConfig.parse(Json.text(config), Map.of());
  }

  private static void add(PreparedStatement s, String... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      s.setString(i + 1, values[i]);
    }
    s.addBatch();
  }

  private static String productId(int tenant, int product) {
    return "prod-" + tenant + "-" + product;
  }

  private static String projectId(int tenant, int project) {
    return "proj-" + tenant + "-" + project;
  }

  private static String areaId(String projectId, int area) {
    return projectId + "-area-" + area;
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static void report(String format, Object... args) {
    System.out.println("[registry at scale] " + String.format(format, args));
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
