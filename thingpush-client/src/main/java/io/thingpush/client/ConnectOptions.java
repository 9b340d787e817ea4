package io.thingpush.client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to open one connection; immutable, built with {@link #builder(URI)}.
 *
 * <p>The connect parameters ({@code token}, {@code app-code}, {@code project-id}, {@code
 * tenant-code}) go as query parameters by default (what a browser can do) or as HTTP headers
 * ({@link ParamStyle#HEADERS}); a parameter left null is not sent at all. Extra headers and
 * extra query parameters are sent as given, after the parameters, so a test can send a
 * parameter both ways.
 */
public final class ConnectOptions {
  /** The i-Things connect path. */
  public static final String DEFAULT_PATH = "/api/v1/system/common/websocket/connect";

  /** The default time allowed for the TCP connect and the upgrade. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Where the connect parameters go. */
  public enum ParamStyle {
    QUERY,
    HEADERS
  }

  private final URI baseUri;
  private final String path;
  private final String token;
  private final String appCode;
  private final String projectId;
  private final String tenantCode;
  private final ParamStyle paramStyle;
  private final String acceptLanguage;
  private final Map<String, String> extraHeaders;
  private final Map<String, String> extraQuery;
  private final Duration connectTimeout;

  private ConnectOptions(Builder b) {
    this.baseUri = b.baseUri;
    this.path = b.path;
    this.token = b.token;
    this.appCode = b.appCode;
    this.projectId = b.projectId;
    this.tenantCode = b.tenantCode;
    this.paramStyle = b.paramStyle;
    this.acceptLanguage = b.acceptLanguage;
    this.extraHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(b.extraHeaders));
    this.extraQuery = Collections.unmodifiableMap(new LinkedHashMap<>(b.extraQuery));
    this.connectTimeout = b.connectTimeout;
  }

  /** Options for the server at {@code baseUri}, e.g. {@code ws://127.0.0.1:7777}. */
  public static Builder builder(URI baseUri) {
    return new Builder(baseUri);
  }

  public static Builder builder(String baseUri) {
    return new Builder(URI.create(baseUri));
  }

  /** A builder starting from these options, e.g. to connect again with a fresh token. */
  public Builder toBuilder() {
    Builder b = new Builder(baseUri);
    b.path = path;
    b.token = token;
    b.appCode = appCode;
    b.projectId = projectId;
    b.tenantCode = tenantCode;
    b.paramStyle = paramStyle;
    b.acceptLanguage = acceptLanguage;
    b.extraHeaders.putAll(extraHeaders);
    b.extraQuery.putAll(extraQuery);
    b.connectTimeout = connectTimeout;
    return b;
  }

  /** The connect parameters that are set, by wire name, in a stable order. */
  public Map<String, String> params() {
    Map<String, String> params = new LinkedHashMap<>();
    putIfSet(params, "token", token);
    putIfSet(params, "app-code", appCode);
    putIfSet(params, "project-id", projectId);
    putIfSet(params, "tenant-code", tenantCode);
    return params;
  }

  /** The full WebSocket URI: base, path and the query (parameters when QUERY, plus extras). */
  public URI uri() {
    Map<String, String> query = new LinkedHashMap<>();
    if (paramStyle == ParamStyle.QUERY) {
      query.putAll(params());
    }
    query.putAll(extraQuery);
    StringBuilder sb = new StringBuilder(stripTrailingSlash(baseUri.toString()));
    sb.append(path.startsWith("/") ? path : "/" + path);
    char sep = '?';
    for (Map.Entry<String, String> e : query.entrySet()) {
      sb.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
      sep = '&';
    }
    return URI.create(sb.toString());
  }

  /** The headers of the upgrade request: parameters when HEADERS, Accept-Language, extras. */
  public Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    if (paramStyle == ParamStyle.HEADERS) {
      headers.putAll(params());
    }
    putIfSet(headers, "Accept-Language", acceptLanguage);
    headers.putAll(extraHeaders);
    return headers;
  }

  public URI baseUri() {
    return baseUri;
  }

  public String path() {
    return path;
  }

  public String token() {
    return token;
  }

  public String appCode() {
    return appCode;
  }

  public String projectId() {
    return projectId;
  }

  public String tenantCode() {
    return tenantCode;
  }

  public ParamStyle paramStyle() {
    return paramStyle;
  }

  public String acceptLanguage() {
    return acceptLanguage;
  }

  public Map<String, String> extraHeaders() {
    return extraHeaders;
  }

  public Map<String, String> extraQuery() {
    return extraQuery;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  private static void putIfSet(Map<String, String> map, String key, String value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String stripTrailingSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** Builds {@link ConnectOptions}; every setter returns the builder. */
  public static final class Builder {
    private final URI baseUri;
    private String path = DEFAULT_PATH;
    private String token;
    private String appCode;
    private String projectId;
    private String tenantCode;
    private ParamStyle paramStyle = ParamStyle.QUERY;
    private String acceptLanguage;
    private final Map<String, String> extraHeaders = new LinkedHashMap<>();
    private final Map<String, String> extraQuery = new LinkedHashMap<>();
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

    private Builder(URI baseUri) {
      this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
      String scheme = baseUri.getScheme();
      if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
        throw new IllegalArgumentException("baseUri must be ws:// or wss://, got " + baseUri);
      }
    }

    public Builder path(String path) {
      this.path = Objects.requireNonNull(path, "path");
      return this;
    }

    /** The user's JWT; null (the default) sends no token. */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    public Builder appCode(String appCode) {
      this.appCode = appCode;
      return this;
    }

    public Builder projectId(String projectId) {
      this.projectId = projectId;
      return this;
    }

    /** The tenant; null (the default) leaves it to the server, which assumes {@code default}. */
    public Builder tenantCode(String tenantCode) {
      this.tenantCode = tenantCode;
      return this;
    }

    public Builder paramStyle(ParamStyle paramStyle) {
      this.paramStyle = Objects.requireNonNull(paramStyle, "paramStyle");
      return this;
    }

    /** Shorthand for {@code paramStyle(HEADERS)}. */
    public Builder paramsAsHeaders() {
      return paramStyle(ParamStyle.HEADERS);
    }

    /** Shorthand for {@code paramStyle(QUERY)}. */
    public Builder paramsAsQuery() {
      return paramStyle(ParamStyle.QUERY);
    }

    /** {@code en} makes the server answer in English; null (the default) sends no header. */
    public Builder acceptLanguage(String acceptLanguage) {
      this.acceptLanguage = acceptLanguage;
      return this;
    }

    /** An extra header of the upgrade request, sent after the parameters. */
    public Builder header(String name, String value) {
      extraHeaders.put(
          Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** An extra query parameter, sent after the parameters. */
    public Builder queryParam(String name, String value) {
      extraQuery.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
      return this;
    }

    public ConnectOptions build() {
      return new ConnectOptions(this);
    }
  }
}
