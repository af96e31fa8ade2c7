/**
 * The device keys of this browser (`protocol/DEVICES.md`): one ECDSA P-256 key pair per login ID, made by
 * WebCrypto with a non-extractable private key and kept in IndexedDB (database `kairan`, object store
 * `devices`, key = the normalized login ID). The private key never leaves WebCrypto: scripts can sign with
 * it, but not read it.
 */

/** The public key as sent to the server: exactly these members (RFC 7517/7518). */
export interface PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

/** A device key of one login ID, ready to sign. */
export interface DeviceKey {
  /** The normalized login ID it belongs to. */
  loginId: string;
  keyPair: CryptoKeyPair;
  publicJwk: PublicJwk;
  /** The JWK thumbprint (RFC 7638, SHA-256, base64url): the device's name on the wire. */
  jkt: string;
  createdAt: string;
}

/** What IndexedDB holds per login ID. The public members are derived again when loaded. */
interface StoredKey {
  loginId: string;
  keyPair: CryptoKeyPair;
  createdAt: string;
}

export const DB_NAME = 'kairan';
export const STORE = 'devices';
const DB_VERSION = 1;
const ALGORITHM: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };

/** Login IDs are case-insensitive: the key is found by the trimmed, lower-case ID. */
export function normalizeLoginId(loginId: string): string {
  return loginId.trim().toLowerCase();
}

/**
 * The device keys in IndexedDB. Every operation opens the database and closes it when done, and a connection
 * closes itself when another page asks to delete the database (`versionchange`), so that a remote wipe is
 * never blocked by this store. Fails with an `Error` whose message says what IndexedDB refused.
 */
export class KeyStore {
  constructor(private readonly idb: () => IDBFactory = () => globalThis.indexedDB) {}

  /** The key of this login ID, or null when this browser has none. */
  async load(loginId: string): Promise<DeviceKey | null> {
    const id = normalizeLoginId(loginId);
    const stored = await this.run<StoredKey | undefined>('readonly', (store) => store.get(id));
    if (!stored || !isKeyPair(stored.keyPair)) return null;
    return describe(stored);
  }

  /** Makes a new key pair for this login ID and stores it, replacing any earlier one. */
  async create(loginId: string): Promise<DeviceKey> {
    const id = normalizeLoginId(loginId);
    if (!id) throw new Error('A device key needs a login ID');
    const keyPair = await crypto.subtle.generateKey(ALGORITHM, false, ['sign', 'verify']);
    const stored: StoredKey = { loginId: id, keyPair, createdAt: new Date().toISOString() };
    await this.run('readwrite', (store) => store.put(stored, id));
    return describe(stored);
  }

  async delete(loginId: string): Promise<void> {
    const id = normalizeLoginId(loginId);
    await this.run('readwrite', (store) => store.delete(id));
  }

  /** The login IDs that have a key in this browser. */
  async loginIds(): Promise<string[]> {
    const keys = await this.run<IDBValidKey[]>('readonly', (store) => store.getAllKeys());
    return keys.filter((k): k is string => typeof k === 'string');
  }

  private async run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest): Promise<T> {
    const db = await this.open();
    try {
      return await new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const request = work(tx.objectStore(STORE));
        let result: T;
        request.onsuccess = () => {
          result = request.result as T;
        };
        tx.oncomplete = () => resolve(result);
        tx.onerror = () => reject(idbError(`device key ${mode}`, tx.error ?? request.error));
        tx.onabort = () => reject(idbError(`device key ${mode} aborted`, tx.error));
      });
    } finally {
      db.close();
    }
  }

  private open(): Promise<IDBDatabase> {
    const factory = this.idb();
    if (!factory) return Promise.reject(new Error('IndexedDB is not available in this browser'));
    return new Promise((resolve, reject) => {
      const request = factory.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE);
      };
      request.onsuccess = () => {
        const db = request.result;
        db.onversionchange = () => db.close();
        resolve(db);
      };
      request.onerror = () => reject(idbError('opening IndexedDB', request.error));
    });
  }
}

/** The public JWK of a key pair: only `kty`, `crv`, `x`, `y`. */
export async function exportPublicJwk(publicKey: CryptoKey): Promise<PublicJwk> {
  const jwk = await crypto.subtle.exportKey('jwk', publicKey);
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw new Error('not a P-256 public key');
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}

/** Members that make up the thumbprint of each key type (RFC 7638 section 3.2, RFC 8037 for OKP). */
const THUMBPRINT_MEMBERS: Record<string, string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  RSA: ['e', 'kty', 'n'],
  OKP: ['crv', 'kty', 'x'],
  oct: ['k', 'kty'],
};

/**
 * The JWK thumbprint (RFC 7638): SHA-256 over the required members in lexicographic order, without white
 * space, base64url-encoded. The members are base64url or plain ASCII strings, so `JSON.stringify` gives the
 * RFC's exact serialization.
 */
export async function jwkThumbprint(jwk: Record<string, unknown>): Promise<string> {
  const members = THUMBPRINT_MEMBERS[String(jwk.kty)];
  if (!members) throw new Error(`no thumbprint for key type ${String(jwk.kty)}`);
  const canonical: Record<string, string> = {};
  for (const name of members) {
    const value = jwk[name];
    if (typeof value !== 'string' || value === '') throw new Error(`JWK member ${name} is missing`);
    canonical[name] = value;
  }
  return base64url(await sha256(JSON.stringify(canonical)));
}

export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function describe(stored: StoredKey): Promise<DeviceKey> {
  const publicJwk = await exportPublicJwk(stored.keyPair.publicKey);
  return { loginId: stored.loginId, keyPair: stored.keyPair, publicJwk, jkt: await jwkThumbprint({ ...publicJwk }), createdAt: stored.createdAt };
}

function isKeyPair(value: unknown): value is CryptoKeyPair {
  const pair = value as Partial<CryptoKeyPair> | null;
  return !!pair && typeof pair === 'object' && !!pair.privateKey && !!pair.publicKey;
}

function idbError(what: string, cause: DOMException | null): Error {
  return new Error(`IndexedDB failed while ${what}: ${cause?.name ?? 'unknown'} ${cause?.message ?? ''}`.trim());
}
