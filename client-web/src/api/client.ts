import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type ErrorBody = Schemas['Error'];
export type Session = Schemas['Session'];

type Path = keyof paths;
type Method = 'get' | 'post' | 'patch' | 'delete';
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

type Options<O> = { body?: BodyOf<O>; params?: ParamsOf<O>; query?: QueryOf<O> }
  & (BodyOf<O> extends undefined ? unknown : { body: BodyOf<O> })
  & (ParamsOf<O> extends undefined ? unknown : { params: ParamsOf<O> });
type OptionsArg<O> = object extends Options<O> ? [options?: Options<O>] : [options: Options<O>];

/** Codes made up by the client when there is no error body from the server. */
export type ClientCode = 'network_error' | 'bad_response';

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

/**
 * Calls the HTTP API described by openapi.yaml. The access token lives only in this object's memory;
 * the refresh token is an HttpOnly cookie that scripts never see. An expired access token is
 * refreshed once and the call retried; concurrent calls share one refresh.
 */
export class ApiClient {
  private token: string | null = null;
  private tokenExpiresAtMs = 0;
  private refreshing: Promise<Session> | null = null;
  /** Told of every new session and of its end (`null`, with the error that ended it, if any). */
  onSession: (session: Session | null, cause?: ApiError) => void = () => {};

  constructor(private readonly fetchFn: typeof fetch = (input, init) => fetch(input, init)) {}

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

  /** Trades the refresh cookie for a new session. A `refresh_invalid` answer ends the session. */
  refresh(): Promise<Session> {
    this.refreshing ??= (this.send('post', '/api/v1/auth/refresh') as Promise<Session>)
      .then((session) => {
        this.setSession(session);
        return session;
      }, (e: unknown) => {
        if (isApiError(e, 'refresh_invalid')) this.setSession(null, e);
        throw e;
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  async logout(): Promise<void> {
    try {
      await this.send('post', '/api/v1/auth/logout');
    } finally {
      this.setSession(null);
    }
  }

  setSession(session: Session | null, cause?: ApiError): void {
    this.token = session?.accessToken ?? null;
    this.tokenExpiresAtMs = session ? Date.now() + session.expiresIn * 1000 : 0;
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

  private async send(method: Method, path: string, options: RawOptions = {}): Promise<unknown> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    let res: Response;
    try {
      res = await this.fetchFn(url(path, options), {
        method: method.toUpperCase(),
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: 'same-origin',
      });
    } catch {
      throw new ApiError(0, 'network_error', null, null);
    }
    const requestId = res.headers.get('X-Request-Id');
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new ApiError(res.status, 'bad_response', null, requestId);
    }
    if (res.ok) return json;
    if (isErrorBody(json)) throw new ApiError(res.status, json.code, json, json.requestId ?? requestId);
    throw new ApiError(res.status, 'bad_response', null, requestId);
  }
}

type QueryValue = string | number | boolean | null | undefined;
type RawOptions = { body?: unknown; params?: Record<string, string | number>; query?: Record<string, QueryValue> };

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
