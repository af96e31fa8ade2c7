import { IDBFactory } from 'fake-indexeddb';
import { base64url as b64, compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { KeyStore } from '../device/keys';
import { ApiClient, type Schemas, type Session } from './client';

type Call = { url: string; init: RequestInit };

const ORIGIN = 'https://chat.city.example.jp';
const me: Schemas['Me'] = {
  id: '1', loginId: 'yamada', displayName: '山田 花子', orgId: '10', orgName: '架空市', departmentId: null,
  email: null, roles: ['member'], totpEnrolled: true,
};
const session = (token: string): Session => ({ accessToken: token, tokenType: 'DPoP', expiresIn: 300, user: me });

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status, headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'req-1', ...headers },
  });
}
const error = (status: number, code: string) =>
  json(status, { code, message: `en:${code}`, messageJa: `ja:${code}`, retryable: false, requestId: 'req-e' });

/** A storage in memory for the remembered login ID. */
function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() { return map.size; }, clear: () => map.clear(), key: (i) => [...map.keys()][i] ?? null,
    getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k),
  };
}

function setup(handler: (call: Call, index: number) => Response | Promise<Response>, now = () => Date.now()) {
  const calls: Call[] = [];
  const fetchFn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const call = { url: String(input), init: init ?? {} };
    calls.push(call);
    return handler(call, calls.length - 1);
  });
  const idb = new IDBFactory();
  const keys = new KeyStore(() => idb);
  const storage = memoryStorage();
  const client = new ApiClient(fetchFn as typeof fetch, { keys, origin: () => ORIGIN, storage: () => storage, now });
  return { calls, client, keys, storage };
}

const header = (call: Call, name: string) => (call.init.headers as Record<string, string>)[name];
const claims = (proof: string) => JSON.parse(new TextDecoder().decode(b64.decode(proof.split('.')[1]))) as Record<string, unknown>;
/** base64url(SHA-256(token)), computed without the client's own helpers. */
const ath = async (token: string) => b64.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))));

describe('ApiClient with a device key', () => {
  it('sends no proof before a key exists, and one on every call after', async () => {
    const { calls, client } = setup(() => json(200, { next: 'device_register', ticket: 'tk' }));
    await client.useLoginId('Yamada');
    await client.call('post', '/api/v1/auth/login', { body: { loginId: 'yamada', password: 'pw' } });
    expect(header(calls[0], 'DPoP')).toBeUndefined();

    const key = await client.ensureDeviceKey();
    await client.call('post', '/api/v1/auth/device', { body: { ticket: 'tk', name: '庁舎PC 3F-12', publicKey: key.publicJwk } });
    const proof = header(calls[1], 'DPoP');
    await compactVerify(proof, await importJWK(key.publicJwk, 'ES256'));
    expect(decodeProtectedHeader(proof).jwk).toEqual(key.publicJwk);
    expect(claims(proof)).toMatchObject({ htm: 'POST', htu: `${ORIGIN}/api/v1/auth/device` });
    expect(claims(proof)).not.toHaveProperty('ath');
    expect(header(calls[1], 'Authorization')).toBeUndefined();
  });

  it('binds the access token: Authorization DPoP, a proof with ath, htu without the query', async () => {
    const { calls, client } = setup(() => json(200, []));
    await client.useLoginId('yamada');
    await client.ensureDeviceKey();
    client.setSession(session('tok-1'));
    await client.call('get', '/api/v1/orgs/{orgId}/users', { params: { orgId: '10' }, query: { q: '山田' } });
    expect(calls[0].url).toBe('/api/v1/orgs/10/users?q=%E5%B1%B1%E7%94%B0');
    expect(header(calls[0], 'Authorization')).toBe('DPoP tok-1');
    expect(claims(header(calls[0], 'DPoP'))).toMatchObject({ htm: 'GET', htu: `${ORIGIN}/api/v1/orgs/10/users`, ath: await ath('tok-1') });
  });

  it('signs the refresh without ath, and a new proof for the retried call', async () => {
    const { calls, client } = setup((call) => {
      if (call.url === '/api/v1/auth/refresh') return json(200, session('t2'));
      return header(call, 'Authorization') === 'DPoP t2' ? json(200, me) : error(401, 'token_expired');
    });
    await client.useLoginId('yamada');
    await client.ensureDeviceKey();
    client.setSession(session('t1'));
    await client.call('get', '/api/v1/me');
    const [first, refresh, retry] = calls.map((c) => claims(header(c, 'DPoP')));
    expect(refresh).toMatchObject({ htm: 'POST', htu: `${ORIGIN}/api/v1/auth/refresh` });
    expect(refresh).not.toHaveProperty('ath');
    expect(first.ath).toBe(await ath('t1'));
    expect(retry.ath).toBe(await ath('t2'));
    expect(retry.jti).not.toBe(first.jti);
  });

  it('corrects iat by the server clock learned from the Date header', async () => {
    const local = Date.parse('2026-11-26T05:00:00Z');
    const { calls, client } = setup(() => json(200, me, { Date: 'Thu, 26 Nov 2026 05:10:00 GMT' }), () => local);
    await client.useLoginId('yamada');
    await client.ensureDeviceKey();
    await client.call('get', '/api/v1/me');
    await client.call('get', '/api/v1/me');
    expect(claims(header(calls[0], 'DPoP')).iat).toBe(local / 1000);
    expect(claims(header(calls[1], 'DPoP')).iat).toBe(local / 1000 + 600);
  });

  it('tells onDeviceRevoked once per answer and never retries device_revoked or dpop_invalid', async () => {
    const { calls, client } = setup((call) => (call.url === '/api/v1/me' ? error(401, 'device_revoked') : error(401, 'dpop_invalid')));
    await client.useLoginId('yamada');
    await client.ensureDeviceKey();
    client.setSession(session('t1'));
    const revoked: string[] = [];
    client.onDeviceRevoked = (e) => revoked.push(e?.code ?? 'gateway');
    await expect(client.call('get', '/api/v1/me')).rejects.toMatchObject({ code: 'device_revoked' });
    await expect(client.call('get', '/api/v1/rooms')).rejects.toMatchObject({ code: 'dpop_invalid' });
    expect(calls).toHaveLength(2);
    expect(revoked).toEqual(['device_revoked']);
  });

  it('leaves device_revoked during sign-in to the sign-in screen', async () => {
    const { client } = setup(() => error(401, 'device_revoked'));
    await client.useLoginId('yamada');
    await client.ensureDeviceKey();
    const revoked = vi.fn();
    client.onDeviceRevoked = revoked;
    await expect(client.call('post', '/api/v1/auth/otp', { body: { ticket: 't', method: 'totp', code: '123456' } }))
      .rejects.toMatchObject({ code: 'device_revoked' });
    expect(revoked).not.toHaveBeenCalled();
  });

  it('ends the session when the refresh is signed by the wrong key', async () => {
    const { client } = setup(() => error(401, 'dpop_invalid'));
    const ended: unknown[] = [];
    client.onSession = (s, cause) => ended.push([s, cause?.code]);
    await expect(client.refresh()).rejects.toMatchObject({ code: 'dpop_invalid' });
    expect(ended).toEqual([[null, 'dpop_invalid']]);
  });

  it('restores with the key of the login ID signed in last, its proof dated by the server clock', async () => {
    const local = Date.parse('2026-11-26T05:00:00Z');
    const { calls, client, keys, storage } = setup((call) => (call.url === '/api/v1/client-config'
      ? json(200, {}, { Date: 'Thu, 26 Nov 2026 05:05:00 GMT' }) : json(200, session('t9'))), () => local);
    const sato = await keys.create('sato');
    await keys.create('yamada');
    storage.setItem('kairan.device.loginId', 'sato');
    await client.restore();
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/client-config', '/api/v1/auth/refresh']);
    expect(header(calls[0], 'DPoP')).toBeUndefined();
    const proof = header(calls[1], 'DPoP');
    expect(decodeProtectedHeader(proof).jwk).toEqual(sato.publicJwk);
    expect(claims(proof).iat).toBe(local / 1000 + 300);
    expect(client.deviceKey?.loginId).toBe('sato');
  });

  it('restores with the only key when nothing is remembered, and remembers the login ID of a session', async () => {
    const { calls, client, keys, storage } = setup(() => json(200, session('t9')));
    const only = await keys.create('yamada');
    await client.restore();
    expect(decodeProtectedHeader(header(calls.at(-1)!, 'DPoP')).jwk).toEqual(only.publicJwk);
    expect(storage.getItem('kairan.device.loginId')).toBe('yamada');
  });

  it('restores without a proof when this browser has no key', async () => {
    const { calls, client } = setup(() => error(401, 'refresh_invalid'));
    await expect(client.restore()).rejects.toMatchObject({ code: 'refresh_invalid' });
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/auth/refresh']);
    expect(header(calls[0], 'DPoP')).toBeUndefined();
  });

  it('replaces a revoked key: confirms the wipe of the old one with its proof, then makes a new key', async () => {
    const { calls, client, keys } = setup(() => new Response(null, { status: 204 }));
    await client.useLoginId('yamada');
    const old = await client.ensureDeviceKey();
    const fresh = await client.replaceRevokedKey();
    expect(fresh.jkt).not.toBe(old.jkt);
    expect((await keys.load('yamada'))?.jkt).toBe(fresh.jkt);
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/devices/wipe-confirm']);
    const proof = header(calls[0], 'DPoP');
    expect(decodeProtectedHeader(proof).jwk).toEqual(old.publicJwk);
    expect(claims(proof)).toMatchObject({ htm: 'POST', htu: `${ORIGIN}/api/v1/devices/wipe-confirm` });
  });

  it('sends the wipe confirmation with the pre-signed proof, no token and no body', async () => {
    const { calls, client } = setup(() => new Response(null, { status: 204 }));
    await client.useLoginId('yamada');
    const key = await client.ensureDeviceKey();
    client.setSession(session('t1'));
    const proof = await client.signWipeConfirmation();
    client.forget();
    expect(client.deviceKey).toBeNull();
    await client.confirmWipe(proof!);
    expect(calls[0].init.method).toBe('POST');
    expect(header(calls[0], 'DPoP')).toBe(proof);
    expect(header(calls[0], 'Authorization')).toBeUndefined();
    expect(calls[0].init.body).toBeUndefined();
    await compactVerify(proof!, await importJWK(key.publicJwk, 'ES256'));
  });

  it('makes gateway proofs: GET of the WebSocket URL with ath and nonce', async () => {
    const { client } = setup(() => json(200, {}));
    await client.useLoginId('yamada');
    await client.ensureDeviceKey();
    const proof = await client.gatewayProof('wss://chat.city.example.jp/ws', 'tok', 'nonce-1');
    expect(claims(proof)).toMatchObject({ htm: 'GET', htu: 'wss://chat.city.example.jp/ws', ath: await ath('tok'), nonce: 'nonce-1' });
  });
});
