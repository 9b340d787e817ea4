package io.thingpush.protocol;

/** The language of {@code msg} texts, chosen once per connection from {@code Accept-Language}. */
public enum Lang {
  ZH,
  EN;

  /** English when the header's first language is English, else Chinese (the i-Things default). */
  public static Lang fromAcceptLanguage(String header) {
    if (header == null) {
      return ZH;
    }
    String first = header.trim().toLowerCase(java.util.Locale.ROOT);
    return first.startsWith("en") ? EN : ZH;
  }
}
