import type { Schemas } from './api/client';

type Department = Schemas['Department'];

/** `JBSWY3DPEHPK3PXP` → `JBSW Y3DP EHPK 3PXP`, for typing a TOTP secret by hand. */
export function groupSecret(secret: string, size = 4): string {
  const plain = secret.replace(/[\s=]/g, '').toUpperCase();
  return plain.match(new RegExp(`.{1,${size}}`, 'g'))?.join(' ') ?? '';
}

/** A one-time code as typed: full-width digits (from a Japanese IME) made ASCII, spaces dropped. */
export function normalizeCode(input: string): string {
  return input
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000-]/g, '');
}

/** An SVG document as a `data:` URL (allowed by the CSP's `img-src data:`). */
export function svgDataUrl(svg: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(svg)) binary += String.fromCharCode(byte);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/**
 * Whether `code` is a valid 全国地方公共団体コード: five digits and a check digit, which is the last
 * digit of 11 minus (the digits weighted 6, 5, 4, 3, 2, modulo 11).
 */
export function isLgCode(code: string): boolean {
  if (!/^[0-9]{6}$/.test(code)) return false;
  const sum = [6, 5, 4, 3, 2].reduce((acc, w, i) => acc + w * Number(code[i]), 0);
  return (11 - (sum % 11)) % 10 === Number(code[5]);
}

export interface DepartmentNode {
  dept: Department;
  depth: number;
  children: DepartmentNode[];
}

/** Builds the department tree, siblings sorted by name. An orphan is shown at the top level. */
export function departmentTree(depts: Department[]): DepartmentNode[] {
  const ids = new Set(depts.map((d) => d.id));
  const byParent = new Map<string | null, Department[]>();
  for (const d of depts) {
    const parent = d.parentId !== null && ids.has(d.parentId) ? d.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), d]);
  }
  const build = (parent: string | null, depth: number): DepartmentNode[] =>
    (byParent.get(parent) ?? [])
      .sort((a, b) => a.name.localeCompare(b.name, 'ja'))
      .map((dept) => ({ dept, depth, children: build(dept.id, depth + 1) }));
  return build(null, 0);
}

/** The tree in display order, depth first. */
export function flatten(nodes: DepartmentNode[]): DepartmentNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

/** The IDs of a department and of everything below it: not valid as its new parent. */
export function subtreeIds(node: DepartmentNode): Set<string> {
  return new Set(flatten([node]).map((n) => n.dept.id));
}

/** A select option's label: the name indented by depth with ideographic spaces. */
export function indented(node: DepartmentNode): string {
  return '\u3000'.repeat(node.depth) + node.dept.name;
}

/** An ISO timestamp as a local date and time, or `—`. */
export function dateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The local calendar day of a time, e.g. `2026-11-26`, for grouping messages by day. */
export function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** A message's time of day, `14:05`. */
export function clockTime(iso: string, locale: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}

/**
 * A short time for the room list: the time of day for today, else the date (with the year when it is not
 * this year's).
 */
export function shortTime(iso: string, locale: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  if (dayKey(iso) === dayKey(now.toISOString())) return clockTime(iso, locale);
  const sameYear = d.getFullYear() === now.getFullYear();
  return d.toLocaleDateString(locale, sameYear ? { month: 'numeric', day: 'numeric' } : { year: 'numeric', month: 'numeric', day: 'numeric' });
}

/** A day separator in a conversation, e.g. `2026年11月26日(木)`. */
export function dayLabel(iso: string, locale: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleDateString(locale, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' });
}
