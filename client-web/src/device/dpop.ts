/**
 * DPoP proofs (RFC 9449) as `protocol/DEVICES.md` asks for them: a compact JWS, ES256, header
 * `{typ: "dpop+jwt", alg: "ES256", jwk}`, claims `jti`, `htm`, `htu`, `iat`, and `ath` / `nonce` when given.
 */
import { newId } from '../gateway/connection';
import { base64url, sha256, type PublicJwk } from './keys';

export interface ProofRequest {
  /** The HTTP method, e.g. `POST` (`GET` for the gateway). */
  htm: string;
  /** The absolute URL of the request; query and fragment are dropped. */
  htu: string;
  /** The access token the request carries, for `ath`. */
  accessToken?: string | null;
  /** The gateway's nonce. */
  nonce?: string | null;
  /** Now, as the server sees it (ms since the epoch). */
  nowMs: number;
}

/** Signs one proof with the device's private key. */
export async function createProof(privateKey: CryptoKey, jwk: PublicJwk, request: ProofRequest): Promise<string> {
  const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } };
  const claims: Record<string, string | number> = {
    jti: newId(),
    htm: request.htm.toUpperCase(),
    htu: proofUrl(request.htu),
    iat: Math.floor(request.nowMs / 1000),
  };
  if (request.accessToken) claims.ath = await accessTokenHash(request.accessToken);
  if (request.nonce) claims.nonce = request.nonce;
  const input = `${encodeJson(header)}.${encodeJson(claims)}`;
  // WebCrypto's ECDSA signature is already r‖s (64 bytes), the JOSE form.
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, new TextEncoder().encode(input));
  return `${input}.${base64url(new Uint8Array(signature))}`;
}

/** `ath`: base64url(SHA-256(the access token as ASCII)). */
export async function accessTokenHash(token: string): Promise<string> {
  return base64url(await sha256(token));
}

/** The request URL as `htu`: absolute, without query and fragment; `URL` drops default ports. */
export function proofUrl(url: string): string {
  const u = new URL(url);
  u.search = '';
  u.hash = '';
  return u.href;
}

function encodeJson(value: unknown): string {
  return base64url(new TextEncoder().encode(JSON.stringify(value)));
}

/**
 * The server's clock as learned from `Date` response headers, so that `iat` falls inside the server's window
 * (−120 s … +60 s) even when this computer's clock is off. `Date` has whole seconds; the error is below 1 s.
 */
export class ServerClock {
  /** Server time minus local time, in ms. */
  offsetMs = 0;

  constructor(private readonly localNow: () => number = Date.now) {}

  /** Learns from a `Date` header (RFC 9110 IMF-fixdate) or an ISO-8601 time; ignores a missing or unreadable one. */
  learn(dateHeader: string | null | undefined): void {
    if (!dateHeader) return;
    const server = Date.parse(dateHeader);
    if (Number.isFinite(server)) this.offsetMs = server - this.localNow();
  }

  now(): number {
    return this.localNow() + this.offsetMs;
  }
}
