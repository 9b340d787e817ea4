package io.thingpush.core.thingmodel;

import io.thingpush.core.directory.Product;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parsed thing model of each product, parsed once per registry snapshot: a product whose
 * model node is another object than last time (the registry was reloaded) is parsed again.
 */
public final class ThingModels {
  private record Parsed(Object source, ThingModel model) {}

  private final ConcurrentHashMap<String, Parsed> byProduct = new ConcurrentHashMap<>();

  /**
   * @throws InvalidThingModelException when the stored model is invalid (the import refuses
   *     such models, so only a database edited by hand can hold one)
   */
  public ThingModel of(Product product) {
    Parsed parsed = byProduct.get(product.id());
    if (parsed == null || parsed.source() != product.thingModel()) {
      parsed = new Parsed(product.thingModel(), ThingModel.parse(product.thingModel()));
      byProduct.put(product.id(), parsed);
    }
    return parsed.model();
  }
}
