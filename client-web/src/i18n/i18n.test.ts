import { describe, expect, it } from 'vitest';
import { t, tables } from './i18n';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message tables', () => {
  it('ja and en have exactly the same keys', () => {
    expect(Object.keys(tables.en).sort()).toEqual(Object.keys(tables.ja).sort());
  });

  it('every message is non-empty and uses the same placeholders in both languages', () => {
    for (const key of Object.keys(tables.ja) as (keyof typeof tables.ja)[]) {
      expect(tables.ja[key].trim(), key).not.toBe('');
      expect(tables.en[key].trim(), key).not.toBe('');
      expect(placeholders(tables.en[key]), key).toEqual(placeholders(tables.ja[key]));
    }
  });

  it('defaults to Japanese and fills placeholders', () => {
    expect(t('home.welcome', { name: '山田 花子' })).toBe('ようこそ、山田 花子 さん');
    expect(t('error.requestId')).toBe('（リクエストID: {id}）');
  });
});
