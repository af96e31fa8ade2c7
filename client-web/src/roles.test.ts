import { describe, expect, it } from 'vitest';
import type { Schemas } from './api/client';
import { mayApproveOwnDevice, mayManage } from './roles';

const me = (id: string, ...roles: string[]) => ({ id, roles } as unknown as Schemas['Me']);
const user = (id: string, status: 'active' | 'suspended', ...roles: string[]) =>
  ({ id, status, roles } as unknown as Schemas['User']);

describe('who manages whom (HTTP-API.md "Role rules")', () => {
  it('lets only an owner manage an owner, admin or auditor', () => {
    const admin = me('1', 'admin', 'member');
    expect(mayManage(admin, ['owner', 'member'])).toBe(false);
    expect(mayManage(admin, ['admin', 'member'])).toBe(false);
    expect(mayManage(admin, ['auditor', 'member'])).toBe(false);
    expect(mayManage(admin, ['dept_head', 'member'])).toBe(true);
    expect(mayManage(admin, ['member'])).toBe(true);
    expect(mayManage(me('2', 'dept_head', 'member'), ['admin', 'member'])).toBe(false);
    const owner = me('3', 'owner', 'member');
    for (const roles of [['owner'], ['admin'], ['auditor'], ['member']]) expect(mayManage(owner, roles)).toBe(true);
  });

  it('lets an owner approve their own device only when no other active owner could', () => {
    const owner = me('3', 'owner', 'member');
    expect(mayApproveOwnDevice(owner, [user('3', 'active', 'owner')])).toBe(true);
    expect(mayApproveOwnDevice(owner, [user('3', 'active', 'owner'), user('4', 'suspended', 'owner')])).toBe(true);
    expect(mayApproveOwnDevice(owner, [user('3', 'active', 'owner'), user('4', 'active', 'owner')])).toBe(false);
    expect(mayApproveOwnDevice(me('1', 'admin'), [user('1', 'active', 'admin')])).toBe(false);
  });
});
