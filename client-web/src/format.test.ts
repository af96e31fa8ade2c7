import { describe, expect, it } from 'vitest';
import { departmentTree, flatten, groupSecret, indented, isLgCode, normalizeCode, subtreeIds, svgDataUrl } from './format';

describe('groupSecret', () => {
  it('groups a base32 secret by four', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('JBSWY3DPEHPK3PXPQ')).toBe('JBSW Y3DP EHPK 3PXP Q');
  });

  it('drops padding and spaces and upper-cases', () => {
    expect(groupSecret('jbsw y3dp==')).toBe('JBSW Y3DP');
    expect(groupSecret('')).toBe('');
  });
});

describe('normalizeCode', () => {
  it('turns full-width digits into ASCII and drops separators', () => {
    expect(normalizeCode('１２３　４５６')).toBe('123456');
    expect(normalizeCode(' 123-456 ')).toBe('123456');
  });
});

describe('svgDataUrl', () => {
  it('is a base64 data URL of the UTF-8 bytes', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><title>回覧</title></svg>';
    const url = svgDataUrl(svg);
    expect(url.startsWith('data:image/svg+xml;base64,')).toBe(true);
    const bytes = Uint8Array.from(atob(url.split(',')[1]), (c) => c.charCodeAt(0));
    expect(new TextDecoder().decode(bytes)).toBe(svg);
  });
});

describe('isLgCode', () => {
  it('accepts real codes with their check digit', () => {
    for (const code of ['131016', '011002', '271004', '141003']) expect(isLgCode(code), code).toBe(true);
  });

  it('rejects a wrong check digit or a wrong shape', () => {
    for (const code of ['131017', '13101', '1310160', '13101a', '']) expect(isLgCode(code), code).toBe(false);
  });
});

describe('departmentTree', () => {
  const depts = [
    { id: '3', name: '総務課', parentId: '1' },
    { id: '1', name: '総務部', parentId: null },
    { id: '2', name: '企画部', parentId: null },
    { id: '4', name: '人事係', parentId: '3' },
    { id: '5', name: '迷子', parentId: '99' },
  ];

  it('nests by parent, sorts siblings and shows orphans at the top level', () => {
    const flat = flatten(departmentTree(depts));
    expect(flat.map((n) => [n.dept.id, n.depth])).toEqual([['2', 0], ['1', 0], ['3', 1], ['4', 2], ['5', 0]]);
    expect(indented(flat[3])).toBe('\u3000\u3000人事係');
  });

  it('knows a subtree, which cannot become its own parent', () => {
    const soumu = departmentTree(depts).find((n) => n.dept.id === '1')!;
    expect([...subtreeIds(soumu)].sort()).toEqual(['1', '3', '4']);
  });
});
