package io.thingpush.server.nats;

import io.thingpush.core.directory.Directory;
import io.thingpush.core.events.Event;
import io.thingpush.core.subscription.SubKey;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.Target;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The NATS subjects of the event stream. An event is appended on
 * {@code <name>.log.<code>.<project>.<product>.<device>.<root area>…<leaf area>.e}, so a history
 * read for a key filters the stream by one pattern: a device's on
 * {@code …log.<code>.*.<product>.<device>.>}, an area's (with its sub-areas) on
 * {@code …log.<code>.<project>.*.*.<root>…<area>.>}, a project's on {@code …log.<code>.<project>.>}.
 * The final {@code e} keeps an area's pattern from matching a device of the area's parent.
 * Registry changes are appended on {@code <name>.registry.changed}. Names are escaped into tokens of {@code [A-Za-z0-9-]} and
 * {@code _XX} hex bytes, so no name can forge a wildcard or a token boundary.
 */
final class Subjects {
  private final String log;
  private final String registry;

  Subjects(String name) {
    this.log = name + ".log";
    this.registry = name + ".registry.changed";
  }

  /** Every event appended. */
  String logAll() {
    return log + ".>";
  }

  /** Where registry changes are appended. */
  String registry() {
    return registry;
  }

  /** Where {@code event} is appended. */
  String append(Event event) {
    StringBuilder s =
        new StringBuilder(log)
            .append('.')
            .append(event.code().wire())
            .append('.')
            .append(token(event.projectId()))
            .append('.')
            .append(token(event.productId()))
            .append('.')
            .append(token(event.deviceName()));
    List<String> areas = event.areaPath();
    for (int i = areas.size() - 1; i >= 0; i--) {
      s.append('.').append(token(areas.get(i)));
    }
    return s.append(".e").toString();
  }

  /** The appended events of a device, area or project key (a property key reads its device's), for history reads. */
  String history(SubKey key, Directory dir) {
    Target t = key.target();
    String code = log + '.' + key.code().wire();
    return switch (t.kind()) {
      case PROPERTY, DEVICE, SHARED_DEVICE ->
          code + ".*." + token(t.productID()) + '.' + token(t.deviceName()) + ".>";
      case PROJECT -> code + '.' + token(t.projectID()) + ".>";
      case AREA -> {
        List<String> path = new ArrayList<>(dir.areaPath(t.areaID()));
        StringBuilder s =
            new StringBuilder(code).append('.').append(token(t.projectID())).append(".*.*");
        for (int i = path.size() - 1; i >= 0; i--) {
          s.append('.').append(token(path.get(i)));
        }
        yield s.append(".>").toString();
      }
      case SHARES ->
          throw new IllegalArgumentException("a share subscription is routed by its devices' keys");
    };
  }

  /**
   * The bus keys of the event appended on {@code subject} (its device, each area of its path
   * and its project, under its code), read from the subject alone, so a node's tail can pass an
   * event no connection watches without parsing it; null for a subject that is not an event's.
   */
  List<SubKey> busKeys(String subject) {
    if (!subject.startsWith(log)
        || subject.length() <= log.length()
        || subject.charAt(log.length()) != '.') {
      return null;
    }
    String[] t = subject.substring(log.length() + 1).split("\\.");
    SubCode code = t.length < 5 || !t[t.length - 1].equals("e") ? null : SubCode.fromWire(t[0]);
    if (code == null) {
      return null;
    }
    String project = untoken(t[1]);
    List<SubKey> keys = new ArrayList<>(t.length - 2);
    keys.add(new SubKey(code, Target.device(untoken(t[2]), untoken(t[3]))));
    for (int i = t.length - 2; i >= 4; i--) {
      keys.add(new SubKey(code, Target.area(project, untoken(t[i]))));
    }
    keys.add(new SubKey(code, Target.project(project)));
    return keys;
  }

  /** The name a token stands for: {@link #token} undone. */
  static String untoken(String token) {
    if (token.indexOf('_') < 0) {
      return token;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(token.length());
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c == '_' && i + 2 < token.length()) {
        bytes.write(Integer.parseInt(token, i + 1, i + 3, 16));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** A name as one subject token: letters, digits and {@code -} as they are, any other byte as {@code _XX}. */
  static String token(String name) {
    StringBuilder s = new StringBuilder(name.length());
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-') {
        s.append((char) b);
      } else {
        s.append('_')
            .append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
      }
    }
    return s.toString();
  }
}
