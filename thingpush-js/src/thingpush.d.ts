// Types of the ThingPush JavaScript client (thingpush.js).

export type SubCode =
  | 'devicePropertyReport'
  | 'devicePropertyReportV2'
  | 'devicePublish'
  | 'deviceActionReport'
  | 'deviceConn'
  | 'deviceOtaReport';

export declare const CODES: readonly SubCode[];

export declare const CLOSE: Readonly<{
  NORMAL: 1000; PING_TIMEOUT: 1001; ABNORMAL: 1006; MESSAGE_TOO_BIG: 1009;
  BAD_CONNECT: 4000; TOKEN: 4001; FORBIDDEN: 4003; TOO_SLOW: 4008; SHUTDOWN: 4009; LIMIT: 4029;
}>;

/** Values may be given as strings or integers; the server compares them as strings. */
type Id = string | number;

export interface DeviceParams { productID: Id; deviceName: Id }
export interface PropertyParams extends DeviceParams { identifier: Id }
export interface ProjectParams { projectID?: Id }
export interface AreaParams { projectID?: Id; areaID: Id }

/** `params` of a subscription: property codes may also name one property. */
export type ParamsOf<C extends SubCode> = C extends 'devicePropertyReport' | 'devicePropertyReportV2'
  ? PropertyParams | DeviceParams | ProjectParams | AreaParams
  : DeviceParams | ProjectParams | AreaParams;

export interface SubscribeOptions {
  /**
   * Also deliver every held event after this seq first. The client sets it itself on resume,
   * from the subscription's position; give it to continue from a seq kept elsewhere.
   */
  since?: number;
  /** Property codes: the latest value of each matching property right after the reply. */
  snapshot?: boolean;
  /** Property codes: at most one push per device and property every n ms. */
  throttleMs?: number;
  /**
   * SPEC §10: a CEL expression over the push body (`param > 30`, `status == 2`); only pushes for
   * which it is true are sent. Part of the subscription's identity: unsubscribe names it too.
   */
  filter?: string;
}

export interface Device { productID: string; deviceName: string }

/** Push bodies (SPEC §3); timestamps are milliseconds as strings of digits. */
export interface PropertyReport { device: Device; timestamp: string; identifier: string; param: unknown }
export interface PropertyReportV2 { device: Device; timestamp: string; params: Record<string, unknown> }
export interface DevicePublish {
  productID: string; deviceName: string; content: string; topic: string; action: string;
  timestamp: string; requestID: string; traceID: string; resultCode: number; respPayload?: string;
}
export interface ActionReport {
  device: Device; msgToken: string; timestamp: string; actionID: string; params?: Record<string, unknown>;
  code?: number; msg?: string; dir: 'up' | 'down'; reqType: 'req' | 'resp';
}
export interface ConnReport { device: Device; timestamp: string; /** 1 online, 2 offline */ status: 1 | 2 }
export interface OtaReport {
  device: Device; timestamp: string; /** 4 upgrading, 5 succeeded, 6 failed, … */ status: number;
  detail: string; /** 0..100 progress, negative: failed */ step: number;
}

export interface BodyOf {
  devicePropertyReport: PropertyReport;
  devicePropertyReportV2: PropertyReportV2;
  devicePublish: DevicePublish;
  deviceActionReport: ActionReport;
  deviceConn: ConnReport;
  deviceOtaReport: OtaReport;
}

export interface Push<C extends SubCode = SubCode> {
  code: 200; msg: string; type: 'down.pub'; path: C; seq: number; body: BodyOf[C];
}

export interface Reply {
  code: number; msg: string; type: string; handler?: Record<string, string>;
  /** On a subRet of a subscription with `since`: whether history held every event after it. */
  recovered?: boolean;
  /**
   * On a successful subRet: every matching event with a larger seq is delivered on this
   * connection (replayed or live), so the subscription resumes from here even with no push yet.
   */
  seq?: number;
  body?: unknown;
}

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface CloseInfo {
  code: number;
  reason?: string;
  /** The server's refusal frame when the connection was refused at connect. */
  refusal?: { code: number; msg: string };
  /** Milliseconds until the next attempt, or null when the client gave up. */
  reconnectInMs?: number | null;
}

export interface SubscriptionInfo { code: SubCode; params: Record<string, Id>; options?: SubscribeOptions }

export interface ThingPushEvents {
  state: (state: ConnectionState, detail?: unknown) => void;
  open: (info: { connectID: string; traceparent: string; resumed: boolean; transport: 'websocket' | 'sse' }) => void;
  close: (info: CloseInfo) => void;
  refused: (frame: { code: number; msg: string }) => void;
  /** Every push, whatever its code. */
  push: (push: Push) => void;
  /**
   * Events of a resumed subscription may be missing: history no longer reached back to `since`,
   * or `since` is undefined because there was no position to resume from (a server whose subRet
   * carries no `seq`, and no push seen yet).
   */
  recoveryFailed: (info: SubscriptionInfo & { since?: number }) => void;
  /** The server ended a subscription (a grant was revoked, 100012) or refused it on resume. */
  revoked: (info: SubscriptionInfo & { errorCode: number; msg: string }) => void;
  /** Closed with 4001: with `refreshToken` the client asks it and reconnects; else it stops (call setToken). */
  tokenExpired: (info: CloseInfo) => void;
  error: (error: ThingPushError) => void;
}

export type PushListener<C extends SubCode> = (body: BodyOf[C], push: Push<C>) => void;

export interface ThingPushOptions {
  /** The connect URL, e.g. ws://host:7777/api/v1/system/common/websocket/connect */
  url: string;
  /** The user's JWT; may be left out when refreshToken gives it. */
  token?: string;
  appCode: string;
  projectId?: string;
  tenantCode?: string;
  /** Called for a new token before the current one expires, and after a 4001 close. */
  refreshToken?: () => string | Promise<string>;
  /** How long before `exp` refreshToken is asked (default 60000). */
  refreshBeforeMs?: number;
  /** A WebSocket constructor; default globalThis.WebSocket. */
  WebSocket?: new (url: string) => WebSocket;
  /**
   * 'auto' (default): a WebSocket, or Server-Sent Events when the WebSocket cannot open;
   * 'websocket' or 'sse': only that one.
   */
  transport?: 'auto' | 'websocket' | 'sse';
  /** The fetch that reads a Server-Sent Events stream; default globalThis.fetch. */
  fetch?: typeof fetch;
  /** Ping interval (default 20000; 0 turns the heartbeat off) and the silence after which the link counts as dead (default 10000). */
  heartbeatMs?: number;
  heartbeatTimeoutMs?: number;
  /** Reply timeout of subscribe/unsubscribe/setToken (default 10000). */
  requestTimeoutMs?: number;
  /** Reconnect delay: min(maxReconnectMs, minReconnectMs · reconnectFactor^attempt), minus up to `jitter` of it at random. */
  minReconnectMs?: number;
  maxReconnectMs?: number;
  reconnectFactor?: number;
  jitter?: number;
  /** Extra pause after a 4029 close (default 10000). */
  limitPauseMs?: number;
}

export declare class ThingPushError extends Error {
  /** The SPEC §4 error code, or 0 for a client-side failure (timeout, closed). */
  readonly code: number;
  readonly frame?: unknown;
}

export declare class ThingPushClient {
  constructor(options: ThingPushOptions);
  readonly state: ConnectionState;
  readonly connectID: string | null;
  readonly traceparent: string | null;
  /** The largest seq pushed so far (each subscription resumes from its own position, see README). */
  readonly lastSeq: number;
  /** What the client connects with: 'sse' after a fallback of transport 'auto'. */
  readonly transport: 'websocket' | 'sse';

  /** Opens the connection; resolves with the server's first frame once accepted. */
  connect(): Promise<Reply>;
  /** Closes for good: no reconnect. */
  close(): void;

  /** Pushes of one code, typed by the code. Returns a function that removes the listener. */
  on<C extends SubCode>(code: C, listener: PushListener<C>): () => void;
  on<E extends keyof ThingPushEvents>(event: E, listener: ThingPushEvents[E]): () => void;

  /** Resolves with down.subRet; rejects with ThingPushError(code) when refused. Kept across reconnects. */
  subscribe<C extends SubCode>(code: C, params: ParamsOf<C>, options?: SubscribeOptions): Promise<Reply>;
  unsubscribe<C extends SubCode>(code: C, params: ParamsOf<C>, options?: { filter?: string }): Promise<Reply>;
  /** A round trip: resolves with down.pong (echoing `body`) once everything queued before it has arrived. */
  ping(body?: unknown): Promise<Reply>;
  subscriptions(): SubscriptionInfo[];

  /** Uses a new token: swapped in place when open (up.setHandle), else used for the next connect. */
  setToken(token: string): Promise<Reply | null>;
}

export declare function subscriptionKey(code: string, params: Record<string, Id>, filter?: string): string;
export declare function backoffDelay(
  attempt: number,
  options: { minReconnectMs: number; maxReconnectMs: number; reconnectFactor: number; jitter: number },
  random?: () => number,
): number;
export declare function tokenExpiry(token: string): number | null;
