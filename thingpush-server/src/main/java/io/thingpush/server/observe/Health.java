package io.thingpush.server.observe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Liveness and readiness of the node. Ready means every registered check passes: the node
 * registers its own (registry loaded, WebSocket port listening, not shutting down); other parts,
 * such as the cluster bus, add theirs with {@link #addReadinessCheck}.
 */
public final class Health {
  private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();

  /** Adds a named condition the node needs before it takes traffic. */
  public synchronized void addReadinessCheck(String name, BooleanSupplier ready) {
    if (checks.putIfAbsent(name, ready) != null) {
      throw new IllegalArgumentException("readiness check " + name + " already registered");
    }
  }

  /** Each check by name with its current state. */
  public synchronized Map<String, Boolean> readiness() {
    Map<String, Boolean> states = new LinkedHashMap<>();
    checks.forEach((name, check) -> states.put(name, check.getAsBoolean()));
    return states;
  }

  public boolean ready() {
    return !readiness().containsValue(false);
  }
}
