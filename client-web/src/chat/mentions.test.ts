import { describe, expect, it } from 'vitest';
import { extractMentions, insertMention, matchPeople, mentionQuery, segments } from './mentions';

const people = [
  { userId: '1', displayName: '山田' },
  { userId: '2', displayName: '山田 花子' },
  { userId: '3', displayName: '佐藤 一郎' },
  { userId: '9', displayName: '自分' },
];

describe('mentionQuery', () => {
  it('finds the @word the caret is in', () => {
    expect(mentionQuery('こんにちは @山', 8)).toEqual({ start: 6, query: '山' });
    expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQuery('@佐藤 さん', 6)).toBeNull();
    expect(mentionQuery('mail@example', 12)).toBeNull();
    expect(mentionQuery('no at sign', 5)).toBeNull();
  });

  it('inserts the chosen name and puts the caret after it', () => {
    expect(insertMention('よろしく @山 です', 5, 7, '山田 花子')).toEqual({ text: 'よろしく @山田 花子  です', caret: 12 });
  });

  it('matches names starting with the query first', () => {
    expect(matchPeople(people, '花').map((p) => p.userId)).toEqual(['2']);
    expect(matchPeople(people, '山田').map((p) => p.userId)).toEqual(['1', '2']);
    expect(matchPeople(people, '').length).toBe(4);
  });
});

describe('extractMentions', () => {
  it('finds mentioned members, the longest name winning, never the sender', () => {
    expect(extractMentions('@山田 花子 さん、@佐藤 一郎 さん、@自分', people, '9')).toEqual({ mentions: ['2', '3'], mentionAll: false });
    expect(extractMentions('@山田 さん', people, '9')).toEqual({ mentions: ['1'], mentionAll: false });
  });

  it('sees @all and @全員 as words only', () => {
    expect(extractMentions('@all 14時から', people, '9').mentionAll).toBe(true);
    expect(extractMentions('@全員 確認してください', people, '9').mentionAll).toBe(true);
    expect(extractMentions('@allison', people, '9').mentionAll).toBe(false);
    expect(extractMentions('mail@all', people, '9').mentionAll).toBe(false);
  });
});

describe('segments', () => {
  it('marks mentions of the mentioned people and links, leaving the rest as text', () => {
    expect(segments('@山田 花子 さん 資料は https://intra.example.jp/a?b=1 です。@佐藤 一郎', people.slice(1, 2), false, '2')).toEqual([
      { kind: 'mention', text: '@山田 花子', self: true },
      { kind: 'text', text: ' さん 資料は ' },
      { kind: 'link', text: 'https://intra.example.jp/a?b=1', href: 'https://intra.example.jp/a?b=1' },
      { kind: 'text', text: ' です。@佐藤 一郎' },
    ]);
  });

  it('highlights @all only when the message mentions all', () => {
    expect(segments('@all 集合', [], true, '2')[0]).toEqual({ kind: 'mention', text: '@all', self: true });
    expect(segments('@all 集合', [], false, '2')).toEqual([{ kind: 'text', text: '@all 集合' }]);
  });
});
