package io.thingpush.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.protocol.Json;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * A subscription mix: what share of the connections subscribe to one property of a device, to a
 * device, to a leaf area, or to the whole project. Written {@code project} or
 * {@code property:70,device:20,area:5,project:5} (weights in percent).
 */
public record Mix(Map<Kind, Integer> weights) {
  public enum Kind {
    PROPERTY,
    DEVICE,
    AREA,
    PROJECT
  }

  /** The filter of a filtered bench subscription: it reads the event's value, and every bench event passes it. */
  public static final String FILTER = "param.sent > 0";

  public static Mix parse(String text) {
    Map<Kind, Integer> weights = new EnumMap<>(Kind.class);
    for (String part : text.split(",")) {
      String[] kv = part.trim().split(":");
      Kind kind;
      try {
        kind = Kind.valueOf(kv[0].trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--mix: unknown kind " + kv[0] + " (property, device, area, project)");
      }
      weights.put(kind, kv.length == 1 ? 100 : Integer.parseInt(kv[1].trim()));
    }
    if (weights.values().stream().mapToInt(Integer::intValue).sum() != 100) {
      throw new IllegalArgumentException("--mix: weights must add up to 100: " + text);
    }
    return new Mix(weights);
  }

  /** The kind of connection {@code k}: the weights laid out over each block of 100 connections. */
  public Kind kindOf(int k) {
    int slot = k % 100;
    int upTo = 0;
    for (Map.Entry<Kind, Integer> e : weights.entrySet()) {
      upTo += e.getValue();
      if (slot < upTo) {
        return e.getKey();
      }
    }
    throw new IllegalStateException("weights do not add up to 100");
  }

  /** The {@code up.sub} message of connection {@code k} when there are {@code devices} devices. */
  public String subscribeMessage(int k, int devices) {
    return subscribeMessage(k, devices, null);
  }

  /** The {@code up.sub} message of connection {@code k}, with {@code filter} (null: none). */
  public String subscribeMessage(int k, int devices, String filter) {
    int device = k % devices;
    ObjectNode body = Json.object().put("code", "devicePropertyReport");
    ObjectNode params = body.putObject("params");
    switch (kindOf(k)) {
      case PROPERTY ->
          params
              .put("productID", BenchRegistry.PRODUCT)
              .put("deviceName", BenchRegistry.deviceName(device))
              .put("identifier", BenchRegistry.IDENTIFIER);
      case DEVICE ->
          params
              .put("productID", BenchRegistry.PRODUCT)
              .put("deviceName", BenchRegistry.deviceName(device));
      case AREA ->
          params
              .put("projectID", BenchRegistry.PROJECT)
              .put("areaID", BenchRegistry.leafArea(device));
      case PROJECT -> params.put("projectID", BenchRegistry.PROJECT);
    }
    if (filter != null) {
      body.put("filter", filter);
    }
    ObjectNode message = Json.object().put("type", "up.sub");
    message.set("body", body);
    return Json.text(message);
  }

  /**
   * Deliveries per event on average when events go round-robin over {@code devices} devices
   * (a multiple of 100) and {@code connections} connections subscribe.
   */
  public double fanout(int connections, int devices) {
    double perEvent = 0;
    for (Map.Entry<Kind, Integer> e : weights.entrySet()) {
      double share = connections * e.getValue() / 100.0;
      perEvent +=
          switch (e.getKey()) {
            case PROPERTY, DEVICE -> share / devices;
            case AREA -> share / Math.min(devices, BenchRegistry.LEAF_AREAS);
            case PROJECT -> share;
          };
    }
    return perEvent;
  }

  /** What the baseline does for this mix: a broadcast, one channel per event, or nothing like it. */
  public Baseline baseline() {
    if (weights.size() != 1) {
      return Baseline.NONE;
    }
    return switch (weights.keySet().iterator().next()) {
      case PROJECT -> Baseline.ALL;
      case PROPERTY, DEVICE -> Baseline.ONE;
      case AREA -> Baseline.NONE;
    };
  }

  public enum Baseline {
    ALL,
    ONE,
    NONE
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    weights.forEach(
        (k, w) ->
            s.append(s.length() == 0 ? "" : ",")
                .append(k.name().toLowerCase(Locale.ROOT))
                .append(w == 100 ? "" : ":" + w));
    return s.toString();
  }
}
