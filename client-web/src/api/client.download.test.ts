import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, fileNameOf, type Schemas, type Session } from './client';

const me: Schemas['Me'] = {
  id: '1', loginId: 'yamada', displayName: '山田 花子', orgId: '10', orgName: '架空市', departmentId: null,
  email: null, roles: ['owner'], totpEnrolled: true,
};
const session = (token: string): Session => ({ accessToken: token, tokenType: 'DPoP', expiresIn: 300, user: me });
const CSV = '\uFEFFchainSeq,occurredAt\r\n3,2026-11-26T00:00:00Z\r\n';

function csv(): Response {
  return new Response(CSV, {
    status: 200,
    headers: {
      'Content-Type': 'text/csv; charset=utf-8', 'X-Request-Id': 'r1', 'X-Kairan-Audit-Rows': '1',
      'Content-Disposition': 'attachment; filename="kairan-audit-10-20261126-000000Z.csv"',
    },
  });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'r2' } });
}

function stub(handler: (url: string, init: RequestInit) => Response) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchFn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {} });
    return handler(String(input), init ?? {});
  });
  return { calls, client: new ApiClient(fetchFn as typeof fetch) };
}

describe('ApiClient.download', () => {
  it('fetches a file with the token and hands back its bytes, name and headers', async () => {
    const { calls, client } = stub(() => csv());
    client.setSession(session('t1'));
    const file = await client.download('/api/v1/orgs/{orgId}/audit.csv', {
      params: { orgId: '10' }, query: { action: 'policy.', actor: undefined, from: '2026-11-26T09:00:00+09:00' },
    });
    expect(calls[0].url).toBe('/api/v1/orgs/10/audit.csv?action=policy.&from=2026-11-26T09%3A00%3A00%2B09%3A00');
    expect(calls[0].init.method).toBe('GET');
    expect(calls[0].init.headers).toMatchObject({ Authorization: 'DPoP t1' });
    expect(file.fileName).toBe('kairan-audit-10-20261126-000000Z.csv');
    expect(file.headers.get('X-Kairan-Audit-Rows')).toBe('1');
    const bytes = new Uint8Array(await file.blob.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toBe(CSV.slice(1));
  });

  it('answers a refusal with the server error, and refreshes an expired token once', async () => {
    const refused = stub(() => json(403, { code: 'forbidden', message: 'Forbidden.', messageJa: '権限がありません。', retryable: false }));
    refused.client.setSession(session('t1'));
    const e = await refused.client.download('/api/v1/orgs/{orgId}/audit.csv', { params: { orgId: '10' } }).catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 403, code: 'forbidden' });

    const { calls, client } = stub((url, init) => {
      if (url === '/api/v1/auth/refresh') return json(200, session('t2'));
      return (init.headers as Record<string, string>).Authorization === 'DPoP t2'
        ? csv() : json(401, { code: 'token_expired', message: 'x', messageJa: 'x', retryable: false });
    });
    client.setSession(session('t1'));
    const file = await client.download('/api/v1/orgs/{orgId}/audit.csv', { params: { orgId: '10' } });
    expect(file.fileName).toMatch(/\.csv$/);
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/orgs/10/audit.csv', '/api/v1/auth/refresh', '/api/v1/orgs/10/audit.csv']);
  });

  it('reads file names from Content-Disposition, never with a path', () => {
    expect(fileNameOf(null)).toBeNull();
    expect(fileNameOf('attachment')).toBeNull();
    expect(fileNameOf('attachment; filename="a.csv"')).toBe('a.csv');
    expect(fileNameOf('attachment; filename=b.csv')).toBe('b.csv');
    expect(fileNameOf("attachment; filename=\"x.csv\"; filename*=UTF-8''%E7%9B%A3%E6%9F%BB.csv")).toBe('監査.csv');
    expect(fileNameOf('attachment; filename="../../etc/passwd"')).toBe('.._.._etc_passwd');
  });
});
