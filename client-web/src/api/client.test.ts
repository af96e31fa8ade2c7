import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorText } from '../errors';
import { setLang } from '../i18n/i18n';
import { ApiClient, ApiError, url, type Schemas, type Session } from './client';

type Call = { url: string; init: RequestInit };

const me: Schemas['Me'] = {
  id: '1', loginId: 'yamada', displayName: '山田 花子', orgId: '10', orgName: '架空市', departmentId: null,
  email: null, roles: ['member'], totpEnrolled: true,
};
const session = (token: string): Session => ({ accessToken: token, tokenType: 'DPoP', expiresIn: 300, user: me });

function json(status: number, body: unknown, requestId = 'req-1'): Response {
  return new Response(JSON.stringify(body), {
    status, headers: { 'Content-Type': 'application/json', 'X-Request-Id': requestId },
  });
}

function error(status: number, code: string, extra: Record<string, unknown> = {}): Response {
  return json(status, { code, message: `en:${code}`, messageJa: `ja:${code}`, retryable: false, requestId: 'req-e', ...extra });
}

/** A fetch that answers from `handler` and records every call. */
function stub(handler: (call: Call, index: number) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetchFn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const call = { url: String(input), init: init ?? {} };
    calls.push(call);
    return handler(call, calls.length - 1);
  });
  return { calls, client: new ApiClient(fetchFn as typeof fetch) };
}

const auth = (call: Call) => (call.init.headers as Record<string, string>).Authorization;

describe('ApiClient', () => {
  it('sends JSON with the DPoP-scheme token and same-origin credentials', async () => {
    const { calls, client } = stub(() => json(201, { id: '7', name: '総務課', parentId: null }));
    client.setSession(session('t1'));
    const dept = await client.call('post', '/api/v1/orgs/{orgId}/departments', { params: { orgId: '10' }, body: { name: '総務課' } });
    expect(dept.name).toBe('総務課');
    expect(calls[0].url).toBe('/api/v1/orgs/10/departments');
    expect(calls[0].init.method).toBe('POST');
    expect(calls[0].init.credentials).toBe('same-origin');
    expect(calls[0].init.body).toBe('{"name":"総務課"}');
    expect(calls[0].init.headers).toMatchObject({ Authorization: 'DPoP t1', 'Content-Type': 'application/json' });
    expect(calls[0].init.headers).not.toHaveProperty('DPoP');
  });

  it('answers 204 with undefined and sends no Content-Type without a body', async () => {
    const { calls, client } = stub(() => new Response(null, { status: 204 }));
    await expect(client.call('post', '/api/v1/orgs/{orgId}/users/{userId}/unlock', { params: { orgId: '1', userId: '2' } }))
      .resolves.toBeUndefined();
    expect(calls[0].init.headers).not.toHaveProperty('Content-Type');
    expect(calls[0].init.headers).not.toHaveProperty('Authorization');
  });

  it('maps a server error body to an ApiError', async () => {
    const { client } = stub(() => error(400, 'invalid_field', { field: 'loginId' }));
    const e = await client.call('post', '/api/v1/auth/login', { body: { loginId: 'x', password: 'y' } }).catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 400, code: 'invalid_field', requestId: 'req-e' });
    expect(e.body.field).toBe('loginId');
  });

  it('maps an unreadable answer and a network failure to client codes', async () => {
    const html = stub(() => new Response('<html>Bad Gateway</html>', { status: 502, headers: { 'X-Request-Id': 'px' } }));
    await expect(html.client.call('get', '/api/v1/me')).rejects.toMatchObject({ code: 'bad_response', status: 502, requestId: 'px' });
    const down = stub(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(down.client.call('get', '/api/v1/me')).rejects.toMatchObject({ code: 'network_error', status: 0 });
  });

  it('refreshes once on token_expired and retries with the new token', async () => {
    const { calls, client } = stub((call) => {
      if (call.url === '/api/v1/auth/refresh') return json(200, session('t2'));
      return auth(call) === 'DPoP t2' ? json(200, me) : error(401, 'token_expired');
    });
    const sessions: (Session | null)[] = [];
    client.onSession = (s) => sessions.push(s);
    client.setSession(session('t1'));
    await expect(client.call('get', '/api/v1/me')).resolves.toEqual(me);
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/me', '/api/v1/auth/refresh', '/api/v1/me']);
    expect(calls[1].init.headers).not.toHaveProperty('Content-Type');
    expect(sessions.map((s) => s?.accessToken)).toEqual(['t1', 't2']);
  });

  it('does not loop when the retried call is still expired', async () => {
    const { calls, client } = stub((call) =>
      call.url === '/api/v1/auth/refresh' ? json(200, session('t2')) : error(401, 'token_expired'));
    await expect(client.call('get', '/api/v1/me')).rejects.toMatchObject({ code: 'token_expired' });
    expect(calls).toHaveLength(3);
  });

  it('shares one refresh between concurrent expired calls', async () => {
    const { calls, client } = stub((call) => {
      if (call.url === '/api/v1/auth/refresh') return json(200, session('t2'));
      return auth(call) === 'DPoP t2' ? json(200, me) : error(401, 'token_expired');
    });
    client.setSession(session('t1'));
    await Promise.all([client.call('get', '/api/v1/me'), client.call('get', '/api/v1/me')]);
    expect(calls.filter((c) => c.url === '/api/v1/auth/refresh')).toHaveLength(1);
  });

  it('ends the session on refresh_invalid', async () => {
    const { client } = stub((call) =>
      call.url === '/api/v1/auth/refresh' ? error(401, 'refresh_invalid') : error(401, 'token_expired'));
    const ended: [Session | null, ApiError | undefined][] = [];
    client.onSession = (s, cause) => ended.push([s, cause]);
    await expect(client.call('get', '/api/v1/me')).rejects.toMatchObject({ code: 'refresh_invalid' });
    expect(ended).toHaveLength(1);
    expect(ended[0][0]).toBeNull();
    expect(ended[0][1]?.code).toBe('refresh_invalid');
  });

  it('hands out the current token while it stays valid, else a refreshed one', async () => {
    const { calls, client } = stub(() => json(200, session('t2')));
    client.setSession(session('t1'));
    await expect(client.accessToken(60_000)).resolves.toBe('t1');
    expect(calls).toHaveLength(0);
    await expect(client.accessToken(301_000)).resolves.toBe('t2');
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/auth/refresh']);
  });

  it('does not refresh on other 401s', async () => {
    const { calls, client } = stub(() => error(401, 'unauthenticated'));
    await expect(client.call('get', '/api/v1/me')).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(calls).toHaveLength(1);
  });
});

describe('url', () => {
  it('fills and encodes path parameters and skips empty query values', () => {
    expect(url('/api/v1/orgs/{orgId}/users', { params: { orgId: '1/2' }, query: { q: '山田 花', departmentId: '' } }))
      .toBe('/api/v1/orgs/1%2F2/users?q=%E5%B1%B1%E7%94%B0+%E8%8A%B1');
  });

  it('keeps numeric query values, zero included', () => {
    expect(url('/api/v1/rooms/{roomId}/messages/{seq}/readers', { params: { roomId: '5', seq: 42 } }))
      .toBe('/api/v1/rooms/5/messages/42/readers');
    expect(url('/api/v1/rooms/{roomId}/messages', { params: { roomId: '5' }, query: { afterSeq: 0, limit: 50, beforeSeq: undefined } }))
      .toBe('/api/v1/rooms/5/messages?afterSeq=0&limit=50');
  });
});

describe('errorText', () => {
  beforeEach(() => vi.stubGlobal('document', { documentElement: {}, title: '' }));
  afterEach(() => {
    setLang('ja');
    vi.unstubAllGlobals();
  });

  const body = (code: Schemas['Error']['code'], extra: Partial<Schemas['Error']> = {}): Schemas['Error'] =>
    ({ code, message: `en:${code}`, messageJa: `ja:${code}`, retryable: false, requestId: 'req-9', ...extra });

  it('uses the server message of the current language', () => {
    const e = new ApiError(401, 'invalid_credentials', body('invalid_credentials'), 'req-9');
    expect(errorText(e)).toBe('ja:invalid_credentials');
    setLang('en');
    expect(errorText(e)).toBe('en:invalid_credentials');
  });

  it('says which password rule a refused password broke', () => {
    const refused = (rule: string) => new ApiError(400, 'password_policy',
      body('password_policy', { field: 'newPassword', detail: rule }), 'req-9');
    expect(errorText(refused('common')))
      .toBe('ja:password_policy（新しいパスワード）よく使われるパスワード、または過去の漏えいで知られたパスワードです。別のものにしてください。');
    expect(errorText(refused('some_future_rule'))).toBe('ja:password_policy（新しいパスワード）');
    setLang('en');
    expect(errorText(refused('login_id'))).toBe('en:password_policy (new password) It contains your login ID.');
  });

  it('names the field and, for internal errors, the request ID', () => {
    expect(errorText(new ApiError(400, 'invalid_field', body('invalid_field', { field: 'email' }), 'req-9')))
      .toBe('ja:invalid_field（メールアドレス）');
    expect(errorText(new ApiError(400, 'invalid_field', body('invalid_field', { field: 'other' }), 'req-9')))
      .toBe('ja:invalid_field（other）');
    expect(errorText(new ApiError(500, 'internal_error', body('internal_error'), 'req-9')))
      .toBe('ja:internal_error（リクエストID: req-9）');
    setLang('en');
    expect(errorText(new ApiError(400, 'invalid_field', body('invalid_field', { field: 'email' }), 'req-9')))
      .toBe('en:invalid_field (e-mail)');
  });

  it('explains network failures and unreadable answers', () => {
    expect(errorText(new ApiError(0, 'network_error', null, null))).toContain('サーバーに接続できません');
    expect(errorText(new ApiError(502, 'bad_response', null, 'px'))).toBe('サーバーから予期しない応答がありました（HTTP 502）。（リクエストID: px）');
    expect(errorText(new Error('boom'))).toContain('予期しないエラー');
  });
});
