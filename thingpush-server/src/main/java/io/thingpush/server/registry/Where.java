package io.thingpush.server.registry;

import java.util.ArrayList;
import java.util.List;

/** The {@code FROM … WHERE …} of an admin list, built from optional filters, with its arguments. */
final class Where {
  private final StringBuilder sql;
  private final List<Object> args = new ArrayList<>();
  private boolean hasCondition;

  /** {@code from} is the table part ({@code FROM product}), without any condition. */
  Where(String from) {
    this.sql = new StringBuilder(from);
  }

  /** {@code column = value}; a null value adds nothing (no such filter asked for). */
  Where eq(String column, String value) {
    if (value != null) {
      and(column + " = ?");
      args.add(value);
    }
    return this;
  }

  /** {@code q} found in any of {@code columns}, ignoring case; a null {@code q} adds nothing. */
  Where search(String q, String... columns) {
    if (q != null) {
      List<String> likes = new ArrayList<>();
      for (String column : columns) {
        likes.add(Sql.like(column));
        args.add(Sql.contains(q));
      }
      and("(" + String.join(" OR ", likes) + ")");
    }
    return this;
  }

  private void and(String condition) {
    sql.append(hasCondition ? " AND " : " WHERE ").append(condition);
    hasCondition = true;
  }

  String sql() {
    return sql.toString();
  }

  List<Object> args() {
    return args;
  }
}
