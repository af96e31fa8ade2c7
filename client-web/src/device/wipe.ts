/**
 * The remote wipe of a revoked device (`protocol/DEVICES.md`, "Remote wipe"): sign the confirmation with the
 * key still in memory, close the connections, erase everything this origin keeps in the browser, then send
 * the signed confirmation and tell the screen.
 */

/** What erasing the origin's data did; `ok` only when every part is gone. */
export interface EraseResult {
  ok: boolean;
  /** What could not be erased, for the log and the notice. */
  failures: string[];
}

/** What a wipe did: whether the data is gone and whether the server recorded the confirmation. */
export interface WipeResult {
  erased: boolean;
  confirmed: boolean;
  failures: string[];
}

/** The parts of the client the wipe works with (the ApiClient implements it). */
export interface WipeTarget {
  /** Signs the wipe confirmation with the device key in memory; null when there is no key. */
  signWipeConfirmation(): Promise<string | null>;
  /** Forgets the session and the device key in memory (no call to the server). */
  forget(): void;
  /** Sends the signed confirmation; resolves when the server recorded it, rejects otherwise. */
  confirmWipe(proof: string): Promise<void>;
}

const DELETE_TIMEOUT_MS = 10_000;
const CONFIRM_ATTEMPTS = 3;
const CONFIRM_RETRY_MS = 1_000;

/**
 * Runs the wipe at most once at a time: calls while it runs get the same promise (a `device.revoked` frame,
 * the 4004 close and a `device_revoked` answer usually arrive together), and after it ran further triggers
 * are ignored until `rearm()` (a new session). Not thread-safe (the browser has one thread).
 */
export class RemoteWipe {
  private running: Promise<WipeResult> | null = null;
  private done = false;
  private last: WipeResult | null = null;
  private readonly closers = new Set<() => void>();
  /** Told when a wipe starts (to show that it runs) and when it has ended. */
  onStart: () => void = () => {};
  onDone: (result: WipeResult) => void = () => {};

  constructor(
    private readonly target: WipeTarget,
    private readonly erase: () => Promise<EraseResult> = eraseOriginData,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Registers something to close before the data is erased (the gateway connection); returns the unregister. */
  addCloser(close: () => void): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  /** Whether a wipe is running or has run since the last `rearm()`. */
  get triggered(): boolean {
    return this.running !== null || this.done;
  }

  /** Allows the next wipe (after a new sign-in). */
  rearm(): void {
    if (this.running) return;
    this.done = false;
    this.last = null;
  }

  /** Wipes, once; a trigger while it runs or after it ran returns the same result. */
  run(): Promise<WipeResult> {
    if (this.running) return this.running;
    if (this.done && this.last) return Promise.resolve(this.last);
    this.running = this.wipe().then((result) => {
      this.last = result;
      this.done = true;
      this.running = null;
      this.onDone(result);
      return result;
    });
    return this.running;
  }

  private async wipe(): Promise<WipeResult> {
    this.onStart();
    // 1. Sign first: the key is about to be erased, and the proof is what shows the server it was this device.
    let proof: string | null = null;
    try {
      proof = await this.target.signWipeConfirmation();
    } catch {
      proof = null;
    }
    // 2. Close, forget, erase.
    this.target.forget();
    for (const close of [...this.closers]) {
      try {
        close();
      } catch {
        // closing must never stop the wipe
      }
    }
    let erased: EraseResult;
    try {
      erased = await this.erase();
    } catch (e) {
      erased = { ok: false, failures: [String(e)] };
    }
    // 3. Confirm only what is true: the server records "wipe confirmed" only when everything is gone.
    let confirmed = false;
    if (erased.ok && proof) {
      for (let attempt = 1; attempt <= CONFIRM_ATTEMPTS && !confirmed; attempt++) {
        try {
          await this.target.confirmWipe(proof);
          confirmed = true;
        } catch (e) {
          if (!isTransient(e) || attempt === CONFIRM_ATTEMPTS) break;
          await this.sleep(CONFIRM_RETRY_MS * attempt);
        }
      }
    }
    return { erased: erased.ok, confirmed, failures: erased.failures };
  }
}

function isTransient(e: unknown): boolean {
  const error = e as { code?: unknown; status?: unknown } | null;
  return error?.code === 'network_error' || error?.code === 'server_busy' || error?.code === 'database_unavailable' || (typeof error?.status === 'number' && error.status >= 500);
}

/** The storage areas of an origin, injectable for tests. */
export interface OriginStorage {
  indexedDB?: IDBFactory;
  localStorage?: Storage;
  sessionStorage?: Storage;
  caches?: CacheStorage;
}

/**
 * Erases every IndexedDB database of the origin (waiting for each deletion to succeed), localStorage,
 * sessionStorage and Cache Storage. The device-key database `kairan` is deleted even where
 * `indexedDB.databases()` is missing (older browsers).
 */
export async function eraseOriginData(storage: OriginStorage = globalThis): Promise<EraseResult> {
  const failures: string[] = [];
  const idb = storage.indexedDB;
  if (idb) {
    const names = new Set<string>(['kairan']);
    try {
      if (typeof idb.databases === 'function') {
        for (const info of await idb.databases()) if (info.name) names.add(info.name);
      }
    } catch (e) {
      failures.push(`indexedDB.databases: ${String(e)}`);
    }
    const results = await Promise.allSettled([...names].map((name) => deleteDatabase(idb, name)));
    results.forEach((r, i) => {
      if (r.status === 'rejected') failures.push(`indexedDB ${[...names][i]}: ${String(r.reason)}`);
    });
  }
  for (const [name, area] of [['localStorage', storage.localStorage], ['sessionStorage', storage.sessionStorage]] as const) {
    try {
      area?.clear();
    } catch (e) {
      failures.push(`${name}: ${String(e)}`);
    }
  }
  if (storage.caches) {
    try {
      for (const key of await storage.caches.keys()) {
        if (!(await storage.caches.delete(key))) failures.push(`cache ${key}: not deleted`);
      }
    } catch (e) {
      failures.push(`caches: ${String(e)}`);
    }
  }
  return { ok: failures.length === 0, failures };
}

/** Deletes one database; resolves on success. A blocked deletion waits (open connections close themselves). */
function deleteDatabase(idb: IDBFactory, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`deletion still blocked after ${DELETE_TIMEOUT_MS} ms`)), DELETE_TIMEOUT_MS);
    const request = idb.deleteDatabase(name);
    request.onsuccess = () => {
      clearTimeout(timer);
      resolve();
    };
    request.onerror = () => {
      clearTimeout(timer);
      reject(request.error ?? new Error('deleteDatabase failed'));
    };
  });
}
