import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { KeyStore } from './keys';
import { eraseOriginData, RemoteWipe, type EraseResult, type WipeTarget } from './wipe';

/** A Storage in memory. */
class MemoryStorage implements Storage {
  private map = new Map<string, string>();
  get length() { return this.map.size; }
  clear() { this.map.clear(); }
  getItem(k: string) { return this.map.get(k) ?? null; }
  key(i: number) { return [...this.map.keys()][i] ?? null; }
  removeItem(k: string) { this.map.delete(k); }
  setItem(k: string, v: string) { this.map.set(k, String(v)); }
}

class MemoryCaches {
  names = new Set(['static-v1', 'api']);
  async keys() { return [...this.names]; }
  async delete(name: string) { return this.names.delete(name); }
}

function openDb(idb: IDBFactory, name: string, keepOpen = false): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = idb.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore('s');
    request.onsuccess = () => {
      const db = request.result;
      if (keepOpen) db.onversionchange = () => db.close();
      resolve(db);
    };
    request.onerror = () => reject(request.error);
  });
}

describe('eraseOriginData', () => {
  it('deletes every IndexedDB database, both storages and Cache Storage', async () => {
    const idb = new IDBFactory();
    await new KeyStore(() => idb).create('yamada');
    (await openDb(idb, 'other-cache')).close();
    // An open connection (another part of the page) closes itself on versionchange and does not block.
    await openDb(idb, 'still-open', true);
    const localStorage = new MemoryStorage();
    localStorage.setItem('kairan.lang', 'en');
    const sessionStorage = new MemoryStorage();
    sessionStorage.setItem('draft', 'x');
    const caches = new MemoryCaches();

    const result = await eraseOriginData({ indexedDB: idb, localStorage, sessionStorage, caches: caches as unknown as CacheStorage });

    expect(result).toEqual({ ok: true, failures: [] });
    expect(await idb.databases()).toEqual([]);
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
    expect(caches.names.size).toBe(0);
  });

  it('reports what it could not erase', async () => {
    const broken = new MemoryStorage();
    broken.clear = () => {
      throw new Error('SecurityError');
    };
    const result = await eraseOriginData({ indexedDB: new IDBFactory(), localStorage: broken });
    expect(result.ok).toBe(false);
    expect(result.failures).toEqual([expect.stringContaining('localStorage')]);
  });
});

function target(log: string[], options: { confirmFails?: unknown[] } = {}): WipeTarget {
  const failures = [...(options.confirmFails ?? [])];
  return {
    signWipeConfirmation: async () => {
      log.push('sign');
      return 'proof-1';
    },
    forget: () => log.push('forget'),
    confirmWipe: async (proof) => {
      log.push(`confirm ${proof}`);
      const failure = failures.shift();
      if (failure) throw failure;
    },
  };
}

const erased = (log: string[], result: EraseResult = { ok: true, failures: [] }) => async () => {
  log.push('erase');
  return result;
};

describe('RemoteWipe', () => {
  it('signs first, closes, erases, then confirms, and tells the screen', async () => {
    const log: string[] = [];
    const wipe = new RemoteWipe(target(log), erased(log), async () => {});
    wipe.addCloser(() => log.push('close gateway'));
    const done: unknown[] = [];
    wipe.onDone = (r) => done.push(r);
    await expect(wipe.run()).resolves.toEqual({ erased: true, confirmed: true, failures: [] });
    expect(log).toEqual(['sign', 'forget', 'close gateway', 'erase', 'confirm proof-1']);
    expect(done).toHaveLength(1);
  });

  it('runs once when triggered by several paths at once, and again only after rearm', async () => {
    const log: string[] = [];
    const wipe = new RemoteWipe(target(log), erased(log), async () => {});
    const [a, b, c] = [wipe.run(), wipe.run(), wipe.run()];
    expect(a).toBe(b);
    expect(b).toBe(c);
    await a;
    await wipe.run();
    expect(log.filter((l) => l === 'erase')).toHaveLength(1);
    expect(wipe.triggered).toBe(true);
    wipe.rearm();
    expect(wipe.triggered).toBe(false);
    await wipe.run();
    expect(log.filter((l) => l === 'erase')).toHaveLength(2);
  });

  it('does not confirm a wipe that did not erase everything', async () => {
    const log: string[] = [];
    const wipe = new RemoteWipe(target(log), erased(log, { ok: false, failures: ['indexedDB kairan: blocked'] }), async () => {});
    await expect(wipe.run()).resolves.toEqual({ erased: false, confirmed: false, failures: ['indexedDB kairan: blocked'] });
    expect(log).not.toContain('confirm proof-1');
  });

  it('retries the confirmation after a network failure, not after a refusal', async () => {
    const log: string[] = [];
    const network = { code: 'network_error', status: 0 };
    const wipe = new RemoteWipe(target(log, { confirmFails: [network] }), erased(log), async () => {});
    await expect(wipe.run()).resolves.toMatchObject({ confirmed: true });
    expect(log.filter((l) => l.startsWith('confirm'))).toHaveLength(2);

    const log2: string[] = [];
    const refused = { code: 'dpop_invalid', status: 401 };
    const wipe2 = new RemoteWipe(target(log2, { confirmFails: [refused] }), erased(log2), async () => {});
    await expect(wipe2.run()).resolves.toMatchObject({ erased: true, confirmed: false });
    expect(log2.filter((l) => l.startsWith('confirm'))).toHaveLength(1);
  });

  it('still erases when there is no key to sign with', async () => {
    const log: string[] = [];
    const t = target(log);
    t.signWipeConfirmation = async () => null;
    const wipe = new RemoteWipe(t, erased(log), async () => {});
    await expect(wipe.run()).resolves.toEqual({ erased: true, confirmed: false, failures: [] });
    expect(log).toEqual(['forget', 'erase']);
  });
});
