import { IDBFactory } from 'fake-indexeddb';
import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { base64url, DB_NAME, jwkThumbprint, KeyStore, normalizeLoginId, STORE } from './keys';

function store() {
  const idb = new IDBFactory();
  return { idb, keys: new KeyStore(() => idb) };
}

/** The raw record IndexedDB holds under a key. */
function rawRecord(idb: IDBFactory, key: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const open = idb.open(DB_NAME);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const get = open.result.transaction(STORE).objectStore(STORE).get(key);
      get.onsuccess = () => {
        open.result.close();
        resolve(get.result);
      };
      get.onerror = () => reject(get.error);
    };
  });
}

describe('KeyStore', () => {
  it('creates one non-extractable P-256 key per normalized login ID in db kairan, store devices', async () => {
    const { idb, keys } = store();
    const created = await keys.create('  Yamada.Hanako ');
    expect(created.loginId).toBe('yamada.hanako');
    expect(created.keyPair.privateKey.extractable).toBe(false);
    expect(created.keyPair.privateKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    expect(created.keyPair.privateKey.usages).toEqual(['sign']);
    await expect(crypto.subtle.exportKey('jwk', created.keyPair.privateKey)).rejects.toThrow();
    expect(Object.keys(created.publicJwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(created.publicJwk.x).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.publicJwk.y).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const record = await rawRecord(idb, 'yamada.hanako') as { keyPair: CryptoKeyPair };
    expect(record.keyPair.privateKey.extractable).toBe(false);
    expect((await idb.databases()).map((d) => d.name)).toEqual(['kairan']);
  });

  it('loads the same key again, by any spelling of the login ID', async () => {
    const { keys } = store();
    const created = await keys.create('yamada');
    const loaded = await keys.load('YAMADA ');
    expect(loaded?.jkt).toBe(created.jkt);
    expect(loaded?.publicJwk).toEqual(created.publicJwk);
    const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, loaded!.keyPair.privateKey, new Uint8Array([1, 2, 3]));
    await expect(crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, created.keyPair.publicKey, signature, new Uint8Array([1, 2, 3])))
      .resolves.toBe(true);
  });

  it('keeps the keys of several staff on one PC apart, and deletes one', async () => {
    const { keys } = store();
    const a = await keys.create('sato');
    const b = await keys.create('suzuki');
    expect(a.jkt).not.toBe(b.jkt);
    expect((await keys.loginIds()).sort()).toEqual(['sato', 'suzuki']);
    await keys.delete('SATO');
    expect(await keys.load('sato')).toBeNull();
    expect((await keys.load('suzuki'))?.jkt).toBe(b.jkt);
  });

  it('answers null for a login ID without a key, and replaces a key on create', async () => {
    const { keys } = store();
    expect(await keys.load('nobody')).toBeNull();
    const first = await keys.create('tanaka');
    const second = await keys.create('tanaka');
    expect(second.jkt).not.toBe(first.jkt);
    expect((await keys.load('tanaka'))?.jkt).toBe(second.jkt);
  });

  it('refuses an empty login ID', async () => {
    await expect(store().keys.create('   ')).rejects.toThrow(/login ID/);
  });

  it('does not block a deletion of the database while it is idle', async () => {
    const { idb, keys } = store();
    await keys.create('yamada');
    await new Promise<void>((resolve, reject) => {
      const request = idb.deleteDatabase(DB_NAME);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    });
    expect(await idb.databases()).toEqual([]);
  });
});

describe('normalizeLoginId', () => {
  it('trims and lower-cases', () => {
    expect(normalizeLoginId('  Sato.Hanako@City ')).toBe('sato.hanako@city');
  });
});

describe('jwkThumbprint (RFC 7638)', () => {
  it('matches the worked example of RFC 7638 section 3.1 (RSA)', async () => {
    const jwk = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3o'
        + 'knjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHz'
        + 'u6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8a'
        + 'wapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };
    await expect(jwkThumbprint(jwk)).resolves.toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('matches a P-256 vector (RFC 7517 A.1) computed independently by jose, ignoring other members', async () => {
    const jwk = {
      kty: 'EC', crv: 'P-256', x: 'MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4', y: '4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM',
      use: 'enc', kid: '1',
    };
    const expected = await calculateJwkThumbprint(jwk, 'sha256');
    expect(expected).toBe('cn-I_WNMClehiVp51i_0VpOENW1upEerA8sEam5hn-s');
    await expect(jwkThumbprint(jwk)).resolves.toBe(expected);
  });

  it('agrees with jose for freshly made device keys', async () => {
    const keys = store().keys;
    for (const id of ['a', 'b', 'c']) {
      const key = await keys.create(id);
      expect(key.jkt).toBe(await calculateJwkThumbprint(key.publicJwk, 'sha256'));
    }
  });

  it('refuses a key without its required members', async () => {
    await expect(jwkThumbprint({ kty: 'EC', crv: 'P-256', x: 'abc' })).rejects.toThrow(/y/);
    await expect(jwkThumbprint({ kty: 'XYZ' })).rejects.toThrow(/XYZ/);
  });
});

describe('base64url', () => {
  it('has no padding and uses - and _', () => {
    expect(base64url(new Uint8Array([0xfb, 0xff, 0xfe]))).toBe('-__-');
    expect(base64url(new Uint8Array([1]))).toBe('AQ');
  });
});
