package io.thingpush.protocol;

import java.util.Locale;

/**
 * A value from outside (a client's token header, app-code, user id, topic, device name…) as it
 * may appear in a log line: control characters, quotes and backslashes escaped, so that no value
 * can end a line and forge the next; quoted when empty or holding a space or {@code =}, so that
 * one value reads as one field. Escapes when the line is written, not before: a disabled log
 * level costs nothing.
 */
public final class LogSafe {
  private final Object value;

  private LogSafe(Object value) {
    this.value = value;
  }

  /** {@code value} for a log argument; null prints as {@code null}. */
  public static LogSafe of(Object value) {
    return new LogSafe(value);
  }

  @Override
  public String toString() {
    return value == null ? "null" : escape(value.toString());
  }

  static String escape(String text) {
    boolean quote = text.isEmpty();
    StringBuilder out = new StringBuilder(text.length() + 2);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String escaped =
          switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            // The other C0 and C1 controls, and the Unicode line and paragraph separators.
            default ->
                Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                    ? String.format(Locale.ROOT, "\\u%04x", (int) c)
                    : null;
          };
      if (escaped != null) {
        out.append(escaped);
      } else {
        out.append(c);
      }
      quote |= escaped != null || c == ' ' || c == '=';
    }
    return quote ? "\"" + out + "\"" : out.toString();
  }
}
