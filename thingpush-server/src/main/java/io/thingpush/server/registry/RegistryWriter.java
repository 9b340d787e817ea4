package io.thingpush.server.registry;

import io.thingpush.core.directory.Area;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.directory.Grant;
import io.thingpush.core.directory.Product;
import io.thingpush.core.directory.Project;
import io.thingpush.core.directory.Tenant;
import io.thingpush.core.directory.User;
import io.thingpush.protocol.Json;
import io.thingpush.server.registry.RegistryFile.AreaEntry;
import io.thingpush.server.registry.RegistryFile.DeviceEntry;
import io.thingpush.server.registry.RegistryFile.DeviceGrantEntry;
import io.thingpush.server.registry.RegistryFile.GrantEntry;
import io.thingpush.server.registry.RegistryFile.ProductEntry;
import io.thingpush.server.registry.RegistryFile.ProjectEntry;
import io.thingpush.server.registry.RegistryFile.TenantEntry;
import io.thingpush.server.registry.RegistryFile.UserEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes a validated file as an upsert on the caller's connection (the caller owns the
 * transaction). Whether a row exists is known from the registry as read in the same transaction,
 * so plain INSERT and UPDATE do, portable to every database; rows that would not change are not
 * written at all.
 */
final class RegistryWriter {
  /** What an import did, for the log. */
  record Counts(int created, int updated, int unchanged) {
    @Override
    public String toString() {
      return created + " created, " + updated + " updated, " + unchanged + " unchanged";
    }
  }

  private final Connection connection;
  private int created;
  private int updated;
  private int unchanged;

  RegistryWriter(Connection connection) {
    this.connection = connection;
  }

  Counts write(RegistryFile file, Directory existing) throws SQLException {
    tenants(file.tenants(), existing);
    projects(file.projects(), existing);
    areas(file.areas(), existing);
    products(file.products(), existing);
    devices(file.devices(), existing);
    users(file.users(), existing);
    grants(file.grants(), existing);
    deviceGrants(file.deviceGrants(), existing);
    return new Counts(created, updated, unchanged);
  }

  private void tenants(List<TenantEntry> entries, Directory existing) throws SQLException {
    Rows rows =
        new Rows(
            "INSERT INTO tenant (code, name) VALUES (?, ?)",
            "UPDATE tenant SET name = ? WHERE code = ?");
    for (TenantEntry t : entries) {
      Tenant stored = existing.tenant(t.code()).orElse(null);
      if (stored == null) {
        rows.insert(t.code(), t.name());
      } else if (!stored.name().equals(t.name())) {
        rows.update(t.name(), t.code());
      } else {
        unchanged++;
      }
    }
    rows.run();
  }

  private void projects(List<ProjectEntry> entries, Directory existing) throws SQLException {
    Rows rows =
        new Rows(
            "INSERT INTO project (id, tenant_code, name) VALUES (?, ?, ?)",
            "UPDATE project SET name = ? WHERE id = ?");
    for (ProjectEntry p : entries) {
      Project stored = existing.project(p.id()).orElse(null);
      if (stored == null) {
        rows.insert(p.id(), p.tenant(), p.name());
      } else if (!stored.name().equals(p.name())) {
        rows.update(p.name(), p.id());
      } else {
        unchanged++;
      }
    }
    rows.run();
  }

  /** Inserts run before updates so that an area may move under an area new in this file. */
  private void areas(List<AreaEntry> entries, Directory existing) throws SQLException {
    Rows rows =
        new Rows(
            "INSERT INTO area (id, project_id, parent_id, name) VALUES (?, ?, ?, ?)",
            "UPDATE area SET parent_id = ?, name = ? WHERE id = ?");
    for (AreaEntry a : entries) {
      Area stored = existing.area(a.id()).orElse(null);
      if (stored == null) {
        rows.insert(a.id(), a.projectId(), a.parentId(), a.name());
      } else if (!Objects.equals(stored.parentId(), a.parentId())
          || !stored.name().equals(a.name())) {
        rows.update(a.parentId(), a.name(), a.id());
      } else {
        unchanged++;
      }
    }
    rows.run();
  }

  private void products(List<ProductEntry> entries, Directory existing) throws SQLException {
    Rows rows =
        new Rows(
            "INSERT INTO product (id, tenant_code, name, thing_model) VALUES (?, ?, ?, ?)",
            "UPDATE product SET name = ?, thing_model = ? WHERE id = ?");
    for (ProductEntry p : entries) {
      Product stored = existing.product(p.id()).orElse(null);
      String model = Json.text(p.thingModel());
      if (stored == null) {
        rows.insert(p.id(), p.tenant(), p.name(), model);
      } else if (!stored.name().equals(p.name()) || !stored.thingModel().equals(p.thingModel())) {
        rows.update(p.name(), model, p.id());
      } else {
        unchanged++;
      }
    }
    rows.run();
  }

  private void devices(List<DeviceEntry> entries, Directory existing) throws SQLException {
    Rows rows =
        new Rows(
            "INSERT INTO device (product_id, name, secret, project_id, area_id) VALUES (?, ?, ?, ?, ?)",
            "UPDATE device SET secret = ?, project_id = ?, area_id = ? WHERE product_id = ? AND name = ?");
    for (DeviceEntry d : entries) {
      Device stored = existing.device(d.productId(), d.deviceName()).orElse(null);
      if (stored == null) {
        rows.insert(d.productId(), d.deviceName(), d.secret(), d.projectId(), d.areaId());
      } else if (!stored.secret().equals(d.secret())
          || !stored.projectId().equals(d.projectId())
          || !Objects.equals(stored.areaId(), d.areaId())) {
        rows.update(d.secret(), d.projectId(), d.areaId(), d.productId(), d.deviceName());
      } else {
        unchanged++;
      }
    }
    rows.run();
  }

  private void users(List<UserEntry> entries, Directory existing) throws SQLException {
    Rows rows =
        new Rows(
            "INSERT INTO app_user (user_id, tenant_code, is_admin) VALUES (?, ?, ?)",
            "UPDATE app_user SET is_admin = ? WHERE user_id = ?");
    for (UserEntry u : entries) {
      User stored = existing.user(u.userId()).orElse(null);
      if (stored == null) {
        rows.insert(u.userId(), u.tenant(), u.admin());
      } else if (stored.admin() != u.admin()) {
        rows.update(u.admin(), u.userId());
      } else {
        unchanged++;
      }
    }
    rows.run();
  }

  /** Shares are only ever added by an import, like grants. */
  private void deviceGrants(List<DeviceGrantEntry> entries, Directory existing)
      throws SQLException {
    Rows rows =
        new Rows(
            "INSERT INTO device_grant (tenant_code, user_id, product_id, device_name) VALUES (?, ?, ?, ?)",
            null);
    for (DeviceGrantEntry g : entries) {
      if (existing.isShared(g.tenant(), g.userId(), g.productId(), g.deviceName())) {
        unchanged++;
      } else {
        rows.insert(g.tenant(), g.userId(), g.productId(), g.deviceName());
      }
    }
    rows.run();
  }

  /** Grants are only ever added by an import; revoking is the admin API's job. */
  private void grants(List<GrantEntry> entries, Directory existing) throws SQLException {
    Rows rows =
        new Rows(
            "INSERT INTO user_grant (tenant_code, user_id, project_id, area_id) VALUES (?, ?, ?, ?)",
            null);
    for (GrantEntry g : entries) {
      List<String> areaIds = g.areaIds().isEmpty() ? singletonNull() : g.areaIds();
      for (String areaId : areaIds) {
        Grant grant = new Grant(g.tenant(), g.userId(), g.projectId(), areaId);
        if (existing.grants(g.tenant(), g.userId()).contains(grant)) {
          unchanged++;
        } else {
          rows.insert(g.tenant(), g.userId(), g.projectId(), areaId);
        }
      }
    }
    rows.run();
  }

  private static List<String> singletonNull() {
    List<String> list = new ArrayList<>(1);
    list.add(null);
    return list;
  }

  /** The inserts and updates of one table, each sent as one JDBC batch. */
  private final class Rows {
    private final String insertSql;
    private final String updateSql;
    private final List<Object[]> inserts = new ArrayList<>();
    private final List<Object[]> updates = new ArrayList<>();

    Rows(String insertSql, String updateSql) {
      this.insertSql = insertSql;
      this.updateSql = updateSql;
    }

    void insert(Object... values) {
      inserts.add(values);
    }

    void update(Object... values) {
      updates.add(values);
    }

    void run() throws SQLException {
      batch(insertSql, inserts);
      batch(updateSql, updates);
      created += inserts.size();
      updated += updates.size();
    }

    private void batch(String sql, List<Object[]> rows) throws SQLException {
      if (rows.isEmpty()) {
        return;
      }
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        for (Object[] row : rows) {
          for (int i = 0; i < row.length; i++) {
            if (row[i] instanceof Boolean flag) {
              statement.setBoolean(i + 1, flag);
            } else {
              // Every other column is text; setString(null) is portable where setObject(null) is
              // not.
              statement.setString(i + 1, (String) row[i]);
            }
          }
          statement.addBatch();
        }
        statement.executeBatch();
      }
    }
  }
}
