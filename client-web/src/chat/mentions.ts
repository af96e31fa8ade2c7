/**
 * Mentions and message text: finding the `@…` being typed, choosing who a message mentions, and splitting a
 * message into text, mentions and links for display. Pure functions.
 */

/** Words that mention everybody in the room (`@all`, `@全員`). */
export const ALL_WORDS = ['all', '全員'];

export interface Person {
  userId: string;
  displayName: string;
}

/** The `@query` the caret is in, if any: where its `@` is and what follows it up to the caret. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0) return null;
  if (at > 0 && !/\s/.test(before[at - 1])) return null;
  const query = before.slice(at + 1);
  if (/[\s@]/.test(query) || query.length > 30) return null;
  return { start: at, query };
}

/** Replaces the `@query` from `start` to `caret` with `@label ` and says where the caret goes. */
export function insertMention(text: string, start: number, caret: number, label: string): { text: string; caret: number } {
  const inserted = `@${label} `;
  return { text: text.slice(0, start) + inserted + text.slice(caret), caret: start + inserted.length };
}

/** People whose name or reading matches what follows `@`, best first (name start before anywhere in the name). */
export function matchPeople<T extends Person>(people: T[], query: string): T[] {
  const q = query.toLowerCase();
  const starts = people.filter((p) => p.displayName.toLowerCase().startsWith(q));
  const contains = people.filter((p) => !starts.includes(p) && p.displayName.toLowerCase().includes(q));
  return [...starts, ...contains];
}

/**
 * Whom a text mentions: every member whose `@display name` it contains (the longest name wins where names
 * overlap, e.g. `@山田 花子` over `@山田`), and whether it mentions all.
 */
export function extractMentions(text: string, members: Person[], me: string): { mentions: string[]; mentionAll: boolean } {
  const mentions = new Set<string>();
  let mentionAll = false;
  for (const { person, all } of scanMentions(text, members)) {
    if (all) mentionAll = true;
    else if (person && person.userId !== me) mentions.add(person.userId);
  }
  return { mentions: [...mentions], mentionAll };
}

interface Hit {
  index: number;
  length: number;
  person?: Person;
  all?: boolean;
}

function scanMentions(text: string, people: Person[], allowAll = true): Hit[] {
  const byLength = [...people].filter((p) => p.displayName).sort((a, b) => b.displayName.length - a.displayName.length);
  const hits: Hit[] = [];
  for (let i = text.indexOf('@'); i >= 0; i = text.indexOf('@', i + 1)) {
    if (i > 0 && !/[\s(（「『、。]/.test(text[i - 1])) continue;
    const rest = text.slice(i + 1);
    const person = byLength.find((p) => rest.startsWith(p.displayName));
    if (person) {
      hits.push({ index: i, length: person.displayName.length + 1, person });
      i += person.displayName.length;
      continue;
    }
    const word = allowAll ? ALL_WORDS.find((w) => rest.startsWith(w) && !/[\p{L}\p{N}_]/u.test(rest[w.length] ?? '')) : undefined;
    if (word) hits.push({ index: i, length: word.length + 1, all: true });
  }
  return hits;
}

/** A piece of a message as shown. */
export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'mention'; text: string; self: boolean }
  | { kind: 'link'; text: string; href: string };

const URL = /https?:\/\/[^\s<>"'`、。「」（）]+/g;

/**
 * Splits a message for display: the mentions it carries (`@name` of the mentioned people, `@all`/`@全員`
 * when it mentions all) and web links; the rest is plain text (escaped by the UI, never HTML).
 */
export function segments(text: string, mentioned: Person[], mentionAll: boolean, me: string): Segment[] {
  const hits = scanMentions(text, mentioned, mentionAll);
  const out: Segment[] = [];
  let pos = 0;
  const plain = (until: number) => {
    if (until > pos) out.push(...linkify(text.slice(pos, until)));
    pos = until;
  };
  for (const hit of hits) {
    plain(hit.index);
    out.push({ kind: 'mention', text: text.slice(hit.index, hit.index + hit.length), self: !!hit.all || hit.person?.userId === me });
    pos = hit.index + hit.length;
  }
  plain(text.length);
  return out;
}

function linkify(text: string): Segment[] {
  const out: Segment[] = [];
  let pos = 0;
  for (const m of text.matchAll(URL)) {
    const href = m[0].replace(/[.,!?！？)]+$/, '');
    if (m.index > pos) out.push({ kind: 'text', text: text.slice(pos, m.index) });
    out.push({ kind: 'link', text: href, href });
    pos = m.index + href.length;
  }
  if (pos < text.length) out.push({ kind: 'text', text: text.slice(pos) });
  return out;
}
