package io.thingpush.server.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.protocol.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small JDBC helpers for the admin stores: parameters bound in order, rows mapped to JSON. */
final class Sql {
  @FunctionalInterface
  interface RowMapper {
    ObjectNode map(ResultSet row) throws SQLException;
  }

  private Sql() {}

  static List<ObjectNode> list(Connection c, String sql, RowMapper mapper, Object... args)
      throws SQLException {
    try (PreparedStatement s = prepare(c, sql, args);
        ResultSet rows = s.executeQuery()) {
      List<ObjectNode> items = new ArrayList<>();
      while (rows.next()) {
        items.add(mapper.map(rows));
      }
      return items;
    }
  }

  static Optional<ObjectNode> one(Connection c, String sql, RowMapper mapper, Object... args)
      throws SQLException {
    List<ObjectNode> rows = list(c, sql, mapper, args);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  static long count(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = prepare(c, sql, args);
        ResultSet rows = s.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  static boolean exists(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = prepare(c, sql, args);
        ResultSet rows = s.executeQuery()) {
      return rows.next();
    }
  }

  static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = prepare(c, sql, args)) {
      return s.executeUpdate();
    }
  }

  /**
   * One page of a listing: {@code {"items": [...], "total": n, "offset": o, "limit": l}}.
   * {@code from} is everything after the selected columns up to ORDER BY (FROM, JOIN, WHERE).
   */
  static ObjectNode page(
      Connection c,
      String columns,
      String from,
      String orderBy,
      List<Object> args,
      Page page,
      RowMapper mapper)
      throws SQLException {
    long total = count(c, "SELECT COUNT(*) " + from, args.toArray());
    List<Object> pageArgs = new ArrayList<>(args);
    pageArgs.add(page.limit());
    pageArgs.add(page.offset());
    List<ObjectNode> items =
        list(
            c,
            "SELECT " + columns + " " + from + " ORDER BY " + orderBy + " LIMIT ? OFFSET ?",
            mapper,
            pageArgs.toArray());
    ObjectNode result = Json.object();
    ArrayNode array = result.putArray("items");
    items.forEach(array::add);
    result.put("total", total);
    result.put("offset", page.offset());
    result.put("limit", page.limit());
    return result;
  }

  /** A LIKE pattern matching {@code text} anywhere, case-insensitively (compare with LOWER(col)). */
  static String contains(String text) {
    String escaped =
        text.toLowerCase(java.util.Locale.ROOT)
            .replace("\\", "\\\\")
            .replace("%", "\\%")
            .replace("_", "\\_");
    return "%" + escaped + "%";
  }

  /** The condition for {@link #contains}: {@code LOWER(col) LIKE ? ESCAPE '\'}. */
  static String like(String column) {
    return "LOWER(" + column + ") LIKE ? ESCAPE '\\'";
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... args)
      throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    try {
      for (int i = 0; i < args.length; i++) {
        Object arg = args[i];
        if (arg == null) {
          s.setNull(i + 1, Types.VARCHAR);
        } else if (arg instanceof Integer n) {
          s.setInt(i + 1, n);
        } else if (arg instanceof Long n) {
          s.setLong(i + 1, n);
        } else if (arg instanceof Boolean flag) {
          s.setBoolean(i + 1, flag);
        } else {
          s.setString(i + 1, arg.toString());
        }
      }
      return s;
    } catch (SQLException | RuntimeException e) {
      s.close();
      throw e;
    }
  }
}
