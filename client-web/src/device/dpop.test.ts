import { IDBFactory } from 'fake-indexeddb';
import { base64url as b64, compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { accessTokenHash, createProof, proofUrl, ServerClock } from './dpop';
import { KeyStore } from './keys';

const newKey = () => new KeyStore(() => new IDBFactory()).create('yamada');

function claimsOf(proof: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(b64.decode(proof.split('.')[1])));
}

describe('createProof', () => {
  it('is a compact ES256 JWS that verifies with the public key (jose and WebCrypto)', async () => {
    const key = await newKey();
    const proof = await createProof(key.keyPair.privateKey, key.publicJwk,
      { htm: 'post', htu: 'https://chat.city.example.jp/api/v1/rooms?x=1#y', nowMs: 1_800_000_000_500 });
    expect(proof.split('.')).toHaveLength(3);

    const verified = await compactVerify(proof, await importJWK(key.publicJwk, 'ES256'));
    expect(verified.protectedHeader.alg).toBe('ES256');

    const [h, c, s] = proof.split('.');
    const ok = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key.keyPair.publicKey,
      new Uint8Array(b64.decode(s)), new TextEncoder().encode(`${h}.${c}`));
    expect(ok).toBe(true);
    expect(b64.decode(s)).toHaveLength(64);
  });

  it('has the header and claims of DEVICES.md', async () => {
    const key = await newKey();
    const proof = await createProof(key.keyPair.privateKey, key.publicJwk,
      { htm: 'post', htu: 'https://chat.city.example.jp:443/api/v1/rooms?x=1#frag', nowMs: 1_800_000_000_999 });
    expect(decodeProtectedHeader(proof)).toEqual({
      typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256', x: key.publicJwk.x, y: key.publicJwk.y },
    });
    const claims = claimsOf(proof);
    expect(Object.keys(claims).sort()).toEqual(['htm', 'htu', 'iat', 'jti']);
    expect(claims.htm).toBe('POST');
    expect(claims.htu).toBe('https://chat.city.example.jp/api/v1/rooms');
    expect(claims.iat).toBe(1_800_000_000);
    expect(claims.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('carries ath of the token and the gateway nonce when given, and a new jti every time', async () => {
    const key = await newKey();
    const token = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln';
    const request = { htm: 'GET', htu: 'wss://chat.city.example.jp/ws', accessToken: token, nonce: 'n-0123', nowMs: Date.now() };
    const a = claimsOf(await createProof(key.keyPair.privateKey, key.publicJwk, request));
    const b = claimsOf(await createProof(key.keyPair.privateKey, key.publicJwk, request));
    expect(a.ath).toBe(b64.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)))));
    expect(a.nonce).toBe('n-0123');
    expect(a.htu).toBe('wss://chat.city.example.jp/ws');
    expect(a.jti).not.toBe(b.jti);
  });
});

describe('accessTokenHash', () => {
  it('is base64url(SHA-256(token))', async () => {
    // RFC 9449 section 7.1's example token and its ath.
    await expect(accessTokenHash('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU')).resolves.toBe('fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo');
  });
});

describe('proofUrl', () => {
  it('drops query, fragment and default ports, keeps other ports', () => {
    expect(proofUrl('https://a.example:443/p?q#f')).toBe('https://a.example/p');
    expect(proofUrl('ws://a.example:8081/ws')).toBe('ws://a.example:8081/ws');
    expect(proofUrl('HTTP://A.Example/x')).toBe('http://a.example/x');
  });
});

describe('ServerClock', () => {
  it('follows the Date header of the server', () => {
    let local = Date.parse('2026-11-26T05:00:00Z');
    const clock = new ServerClock(() => local);
    expect(clock.now()).toBe(local);
    clock.learn('Thu, 26 Nov 2026 05:03:00 GMT');
    expect(clock.offsetMs).toBe(180_000);
    local += 10_000;
    expect(new Date(clock.now()).toISOString()).toBe('2026-11-26T05:03:10.000Z');
  });

  it('ignores missing and unreadable dates', () => {
    const clock = new ServerClock(() => 0);
    clock.learn(null);
    clock.learn('not a date');
    expect(clock.offsetMs).toBe(0);
  });
});
