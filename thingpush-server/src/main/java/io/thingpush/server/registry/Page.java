package io.thingpush.server.registry;

/** Which slice of a listing to return: {@code limit} items from {@code offset} on. */
public record Page(int offset, int limit) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public Page {
    if (offset < 0 || limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("offset >= 0 and 1 <= limit <= " + MAX_LIMIT);
    }
  }
}
