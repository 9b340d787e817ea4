package io.thingpush.protocol;

/** The i-Things error codes the API answers with, each with its default message in both languages. */
public enum ErrorCode {
  OK(200, "成功", "success"),
  TOKEN_EXPIRED(100002, "token已过期", "token expired"),
  TOKEN_NOT_YET_VALID(100003, "token尚未生效", "token not yet valid"),
  TOKEN_MALFORMED(100004, "token格式错误", "token malformed"),
  TOKEN_INVALID(100005, "token无效", "token invalid"),
  PARAMETER(100006, "参数错误", "parameter error"),
  SYSTEM(100007, "系统错误", "system error"),
  NOT_FOUND(100009, "未找到", "not found"),
  FORBIDDEN(100012, "权限不足", "insufficient privileges"),
  METHOD_NOT_SUPPORTED(100013, "方法不支持", "method not supported"),
  WRONG_TYPE(100014, "参数类型错误", "wrong parameter type"),
  OUT_OF_RANGE(100015, "参数超出范围", "parameter out of range"),
  NOT_IMPLEMENTED(100018, "未实现", "not implemented"),
  LIMIT(100027, "超出限制", "limit reached");

  private final int code;
  private final String zh;
  private final String en;

  ErrorCode(int code, String zh, String en) {
    this.code = code;
    this.zh = zh;
    this.en = en;
  }

  public int code() {
    return code;
  }

  /** The message in {@code lang}, followed by {@code ": detail"} when a detail is given. */
  public String message(Lang lang, String detail) {
    String base = lang == Lang.EN ? en : zh;
    return detail == null || detail.isEmpty() ? base : base + ": " + detail;
  }
}
