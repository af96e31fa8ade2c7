import { createProof, ServerClock } from '../device/dpop';
import { KeyStore, normalizeLoginId, type DeviceKey } from '../device/keys';
import type { WipeTarget } from '../device/wipe';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type ErrorBody = Schemas['Error'];
export type Session = Schemas['Session'];

type Path = keyof paths;
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** The methods that the contract defines for a path. */
type MethodOf<P extends Path> = { [M in Method]: paths[P][M] extends undefined ? never : M }[Method];
type Op<P extends Path, M extends Method> = NonNullable<paths[P][M]>;

type Json<T> = T extends { content: { 'application/json': infer J } } ? J : never;
type BodyOf<O> = O extends { requestBody: infer B } ? Json<B>
  : O extends { requestBody?: infer B } ? Json<NonNullable<B>> | undefined : undefined;
type ParamsOf<O> = O extends { parameters: { path: infer P } } ? P : undefined;
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? Q : undefined;
type ResultOf<O> = O extends { responses: { 200: infer R } } ? Json<R>
  : O extends { responses: { 201: infer R } } ? Json<R> : void;

type Options<O> = { body?: BodyOf<O>; params?: ParamsOf<O>; query?: QueryOf<O>; signal?: AbortSignal }
  & (BodyOf<O> extends undefined ? unknown : { body: BodyOf<O> })
  & (ParamsOf<O> extends undefined ? unknown : { params: ParamsOf<O> });
type OptionsArg<O> = object extends Options<O> ? [options?: Options<O>] : [options: Options<O>];

/** Codes made up by the client when there is no error body from the server. */
export type ClientCode = 'network_error' | 'bad_response' | 'aborted';

/** A failed call: the server's error body, or a network / unreadable answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorBody['code'] | ClientCode,
    readonly body: ErrorBody | null,
    readonly requestId: string | null,
  ) {
    super(body?.message ?? code);
    this.name = 'ApiError';
  }
}

export function isApiError(e: unknown, code?: ApiError['code']): e is ApiError {
  return e instanceof ApiError && (code === undefined || e.code === code);
}

/** Sign-in calls: a `device_revoked` answer there is the sign-in screen's to handle (new key), not a wipe. */
const SIGN_IN_PATHS = new Set<string>([
  '/api/v1/auth/login', '/api/v1/auth/otp', '/api/v1/auth/otp/email', '/api/v1/auth/password', '/api/v1/auth/totp/enrol',
  '/api/v1/auth/totp/confirm', '/api/v1/auth/device', '/api/v1/auth/device/wait',
]);
const WIPE_CONFIRM_PATH = '/api/v1/devices/wipe-confirm';
/** Where the login ID of the last session is remembered, to find its device key when the page loads again. */
const LOGIN_ID_KEY = 'kairan.device.loginId';

export interface ApiClientOptions {
  /** The device keys (IndexedDB). */
  keys?: KeyStore;
  /** The page's origin as the browser sees it, for `htu` (default `location.origin`). */
  origin?: () => string;
  /** Where the last login ID is remembered (default `localStorage`). */
  storage?: () => Storage | undefined;
  /** The local clock (ms). */
  now?: () => number;
}

/**
 * Calls the HTTP API described by openapi.yaml. The access token lives only in this object's memory;
 * the refresh token is an HttpOnly cookie that scripts never see. An expired access token is
 * refreshed once and the call retried; concurrent calls share one refresh.
 *
 * Once the login ID is known and this browser has a device key for it (`protocol/DEVICES.md`), every call
 * carries a fresh DPoP proof signed by that key, and the access token goes as `Authorization: DPoP <token>`.
 * `iat` follows the server's clock, learned from each answer's `Date` header. A `device_revoked` answer
 * outside sign-in tells `onDeviceRevoked` (the remote wipe) and is never retried; neither is `dpop_invalid`.
 */
export class ApiClient implements WipeTarget {
  private token: string | null = null;
  private tokenExpiresAtMs = 0;
  private refreshing: Promise<Session> | null = null;
  private loginId: string | null = null;
  private device: DeviceKey | null = null;
  readonly clock: ServerClock;
  private readonly keys: KeyStore;
  private readonly origin: () => string;
  private readonly storage: () => Storage | undefined;
  /** Told of every new session and of its end (`null`, with the error that ended it, if any). */
  onSession: (session: Session | null, cause?: ApiError) => void = () => {};
  /**
   * Told when the server says this device is revoked, outside sign-in: the API's `device_revoked` answer (the
   * cause), or the gateway (`null`). It wipes the browser.
   */
  onDeviceRevoked: (cause: ApiError | null) => void = () => {};

  constructor(private readonly fetchFn: typeof fetch = (input, init) => fetch(input, init), options: ApiClientOptions = {}) {
    this.keys = options.keys ?? new KeyStore();
    this.origin = options.origin ?? (() => location.origin);
    this.storage = options.storage ?? (() => globalThis.localStorage);
    this.clock = new ServerClock(options.now);
  }

  async call<P extends Path, M extends MethodOf<P>>(method: M, path: P, ...[options]: OptionsArg<Op<P, M>>)
    : Promise<ResultOf<Op<P, M>>> {
    const send = () => this.send(method, path, options as RawOptions) as Promise<ResultOf<Op<P, M>>>;
    try {
      return await send();
    } catch (e) {
      if (!isApiError(e, 'token_expired')) throw e;
      await this.refresh();
      return send();
    }
  }

  /**
   * A file the API answers with (the audit CSV): `GET` with the token and a DPoP proof like any call, the body
   * as a Blob with the file name the server suggests. Errors, refreshing and the wipe as for `call`; a plain
   * link could not carry the proof.
   */
  async download(path: Path, options: { params?: Record<string, string>; query?: Record<string, QueryValue>; signal?: AbortSignal } = {})
    : Promise<Download> {
    const send = () => this.send('get', path, options, { file: true }) as Promise<Download>;
    try {
      return await send();
    } catch (e) {
      if (!isApiError(e, 'token_expired')) throw e;
      await this.refresh();
      return send();
    }
  }

  /** Trades the refresh cookie for a new session. `refresh_invalid` or `dpop_invalid` ends the session. */
  refresh(): Promise<Session> {
    // Cookie calls carry no access token, so their proof has no `ath`.
    this.refreshing ??= (this.send('post', '/api/v1/auth/refresh', {}, { anonymous: true }) as Promise<Session>)
      .then((session) => {
        this.setSession(session);
        return session;
      }, (e: unknown) => {
        if (isApiError(e, 'refresh_invalid') || isApiError(e, 'dpop_invalid')) this.setSession(null, e);
        throw e;
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  /**
   * At page load: takes the device key of the login ID signed in last (or the only key this browser holds)
   * and trades the refresh cookie for a session.
   */
  async restore(): Promise<Session> {
    let remembered: string | null = null;
    try {
      remembered = this.storage()?.getItem(LOGIN_ID_KEY) ?? null;
    } catch {
      remembered = null;
    }
    try {
      if (!remembered) {
        const ids = await this.keys.loginIds();
        if (ids.length === 1) remembered = ids[0];
      }
      if (remembered) await this.useLoginId(remembered);
    } catch {
      // No IndexedDB (private mode of some browsers): the refresh goes without a proof and the server decides.
    }
    // The refresh is the page's first proof: date it by the server's clock, which this computer's may be far from.
    if (this.device) await this.send('get', '/api/v1/client-config', {}, { anonymous: true, noProof: true }).catch(() => {});
    return this.refresh();
  }

  async logout(): Promise<void> {
    try {
      await this.send('post', '/api/v1/auth/logout', {}, { anonymous: true });
    } finally {
      this.setSession(null);
    }
  }

  setSession(session: Session | null, cause?: ApiError): void {
    this.token = session?.accessToken ?? null;
    this.tokenExpiresAtMs = session ? Date.now() + session.expiresIn * 1000 : 0;
    if (session) this.remember(this.loginId ?? normalizeLoginId(session.user.loginId));
    this.onSession(session, cause);
  }

  /**
   * An access token that stays valid for at least `minValidMs` more (for the WebSocket gateway): the current
   * one, or a refreshed one.
   */
  async accessToken(minValidMs = 30_000): Promise<string> {
    if (this.token && this.tokenExpiresAtMs - Date.now() > minValidMs) return this.token;
    return (await this.refresh()).accessToken;
  }

  // ---- the device key ------------------------------------------------------------------------------------

  /** The device key that signs the calls, or null (no login ID yet, or none made for it in this browser). */
  get deviceKey(): DeviceKey | null {
    return this.device;
  }

  /** Signs the calls from now on with this login ID's key, when this browser has one. */
  async useLoginId(loginId: string): Promise<DeviceKey | null> {
    const id = normalizeLoginId(loginId);
    if (this.loginId === id && this.device) return this.device;
    this.loginId = id;
    this.device = null;
    this.device = await this.keys.load(id);
    return this.device;
  }

  /** The key of the current login ID, made and stored now if there is none (device registration). */
  async ensureDeviceKey(): Promise<DeviceKey> {
    if (this.device) return this.device;
    if (!this.loginId) throw new Error('No login ID to make a device key for');
    this.device = await this.keys.create(this.loginId);
    return this.device;
  }

  /** Deletes the current login ID's key (its registration was rejected). */
  async deleteDeviceKey(): Promise<void> {
    const id = this.loginId;
    this.device = null;
    if (id) await this.keys.delete(id);
  }

  /**
   * Replaces a revoked key during sign-in: signs the wipe confirmation with the old key, deletes it, sends
   * the confirmation (best effort), and makes a new key for a new registration.
   */
  async replaceRevokedKey(): Promise<DeviceKey> {
    const proof = await this.signWipeConfirmation().catch(() => null);
    await this.deleteDeviceKey();
    if (proof) await this.confirmWipe(proof).catch(() => {});
    return this.ensureDeviceKey();
  }

  /** A proof for the gateway: `GET` of the WebSocket URL, with `ath` and the connection's nonce. */
  async gatewayProof(url: string, token: string, nonce: string | null): Promise<string> {
    const device = this.device;
    if (!device) throw new Error('No device key to sign the gateway proof');
    return createProof(device.keyPair.privateKey, device.publicJwk, { htm: 'GET', htu: url, accessToken: token, nonce, nowMs: this.clock.now() });
  }

  async signWipeConfirmation(): Promise<string | null> {
    const device = this.device;
    if (!device) return null;
    return createProof(device.keyPair.privateKey, device.publicJwk, {
      htm: 'POST', htu: this.absolute(WIPE_CONFIRM_PATH), nowMs: this.clock.now(),
    });
  }

  /** Drops the token and the key from memory, without telling anyone (the wipe does that). */
  forget(): void {
    this.token = null;
    this.tokenExpiresAtMs = 0;
    this.device = null;
    this.loginId = null;
  }

  /** `POST /api/v1/devices/wipe-confirm` with the pre-signed proof and no token. */
  async confirmWipe(proof: string): Promise<void> {
    await this.send('post', WIPE_CONFIRM_PATH, {}, { proof, anonymous: true });
  }

  private remember(loginId: string): void {
    this.loginId ??= loginId;
    try {
      this.storage()?.setItem(LOGIN_ID_KEY, loginId);
    } catch {
      // storage disabled: the next page load finds the key only if it is the browser's only one
    }
  }

  private absolute(path: string): string {
    return new URL(path, this.origin()).href;
  }

  private async send(method: Method, path: string, options: RawOptions = {},
    special: { proof?: string; anonymous?: boolean; noProof?: boolean; file?: boolean } = {}): Promise<unknown> {
    const headers: Record<string, string> = { Accept: special.file ? '*/*' : 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const token = special.anonymous ? null : this.token;
    const target = url(path, options);
    if (token) headers.Authorization = `DPoP ${token}`;
    const device = this.device;
    if (special.proof) {
      headers.DPoP = special.proof;
    } else if (device && !special.noProof) {
      headers.DPoP = await createProof(device.keyPair.privateKey, device.publicJwk, {
        htm: method, htu: this.absolute(target), accessToken: token, nowMs: this.clock.now(),
      });
    }
    let res: Response;
    try {
      res = await this.fetchFn(target, {
        method: method.toUpperCase(),
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: 'same-origin',
        signal: options.signal,
      });
    } catch {
      throw new ApiError(0, options.signal?.aborted ? 'aborted' : 'network_error', null, null);
    }
    this.clock.learn(res.headers.get('Date'));
    const requestId = res.headers.get('X-Request-Id');
    if (special.file && res.ok) {
      try {
        const blob = await res.blob();
        return { blob, fileName: fileNameOf(res.headers.get('Content-Disposition')), headers: res.headers } satisfies Download;
      } catch {
        throw new ApiError(0, options.signal?.aborted ? 'aborted' : 'network_error', null, requestId);
      }
    }
    let text: string;
    try {
      text = await res.text();
    } catch {
      throw new ApiError(0, options.signal?.aborted ? 'aborted' : 'network_error', null, requestId);
    }
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new ApiError(res.status, 'bad_response', null, requestId);
    }
    if (res.ok) return json;
    if (!isErrorBody(json)) throw new ApiError(res.status, 'bad_response', null, requestId);
    const error = new ApiError(res.status, json.code, json, json.requestId ?? requestId);
    if (error.code === 'device_revoked' && !SIGN_IN_PATHS.has(path) && path !== WIPE_CONFIRM_PATH) this.onDeviceRevoked(error);
    throw error;
  }
}

type QueryValue = string | number | boolean | null | undefined;

/** A downloaded file: its body, the name from `Content-Disposition` (or null) and the response headers. */
export interface Download {
  blob: Blob;
  fileName: string | null;
  headers: Headers;
}

/** The file name of a `Content-Disposition` header (`filename*=UTF-8''…` or `filename="…"`), or null. */
export function fileNameOf(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // fall back to the plain name
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;\s]+)/i.exec(header);
  const name = plain?.[1] ?? plain?.[2];
  return name ? name.replace(/[\\/]/g, '_') : null;
}

type RawOptions = {
  body?: unknown; params?: Record<string, string | number>; query?: Record<string, QueryValue>; signal?: AbortSignal;
};

/** Fills `{name}` path parameters and appends the query parameters that are set (`0` counts, `""` does not). */
export function url(path: string, { params = {}, query = {} }: RawOptions): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name] ?? '')));
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const qs = search.toString();
  return qs ? `${filled}?${qs}` : filled;
}

function isErrorBody(json: unknown): json is ErrorBody {
  return typeof json === 'object' && json !== null && typeof (json as ErrorBody).code === 'string'
    && typeof (json as ErrorBody).message === 'string';
}

/** The one client of the app. */
export const api = new ApiClient();
