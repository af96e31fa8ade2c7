import { useEffect, useState } from 'preact/hooks';
import { api, isApiError, type Schemas } from '../api/client';
import {
  CLASSES, invalidTerms, MAX_TERM_CHARS, MAX_TERMS, PolicyApi, termIndexOfField, TERM_KINDS, type ImportanceClass, type OrgPolicy, type Term, type TermCategory, type TermKind,
  type TermsView,
} from '../api/policy';
import { ErrorMessage, Field, SuccessMessage } from '../components/ui';
import { UiError } from '../errors';
import { useAction, useLoad } from '../hooks';
import { t, tables, type MessageKey } from '../i18n/i18n';
import { isOwner } from '../roles';
import { classLabel } from './chat/policy';

const policyApi = new PolicyApi(api);
/** The category of guard words of no particular ledger: it has no cues (POLICY.md). */
const GUARDS_ONLY = 'general';

/** A category's name on screen (its id when this client does not know it). */
export function categoryLabel(category: string): string {
  const key = `policy.category.${category}`;
  return key in tables.ja ? t(key as MessageKey) : category;
}

/**
 * `#/policy` (org owners and admins): the org's policy (owners change it; admins see it) and the org's own
 * dictionary words next to the built-in ones (POLICY.md, "Org policy and dictionaries").
 */
export function Policy({ orgId, me }: { orgId: string; me: Schemas['Me'] }) {
  return (
    <section class="page">
      <h1>{t('policyAdmin.title')}</h1>
      <OrgPolicyCard orgId={orgId} owner={isOwner(me)} />
      <TermsEditor orgId={orgId} />
    </section>
  );
}

function OrgPolicyCard({ orgId, owner }: { orgId: string; owner: boolean }) {
  const load = useLoad(() => policyApi.orgPolicy(orgId), [orgId]);
  const [defaultCeiling, setDefaultCeiling] = useState<ImportanceClass>('II');
  const [maxHours, setMaxHours] = useState('');
  const [single, setSingle] = useState(false);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  useEffect(() => {
    if (!load.data) return;
    setDefaultCeiling(load.data.defaultCeiling);
    setMaxHours(String(load.data.emergencyMaxHours));
    setSingle(load.data.emergencySingleApprover);
  }, [load.data]);

  function save(e: Event) {
    e.preventDefault();
    setSaved(false);
    void action.run(async () => {
      const hours = Number(maxHours.trim());
      if (!/^\d+$/.test(maxHours.trim()) || hours < 1) throw new UiError('policyAdmin.maxHoursInvalid');
      const policy: OrgPolicy = { defaultCeiling, emergencyMaxHours: hours, emergencySingleApprover: single };
      await policyApi.setOrgPolicy(orgId, policy);
      setSaved(true);
      load.reload();
    });
  }

  const changed = () => setSaved(false);
  return (
    <form class="card stack" data-testid="org-policy" onSubmit={save}>
      <h2>{t('policyAdmin.org')}</h2>
      <ErrorMessage error={load.error ?? action.error} />
      <SuccessMessage text={saved ? t('policyAdmin.saved') : null} />
      {!owner && <p class="field-hint">{t('policyAdmin.ownerOnly')}</p>}
      {load.data && (
        <>
          <Field label={t('policyAdmin.defaultCeiling')} hint={t('policyAdmin.defaultCeilingHint')}>
            <select data-testid="org-policy-default-ceiling" value={defaultCeiling} disabled={!owner}
              onChange={(e) => { changed(); setDefaultCeiling(e.currentTarget.value as ImportanceClass); }}>
              {CLASSES.map((c) => <option key={c} value={c}>{classLabel(c)}</option>)}
            </select>
          </Field>
          <Field label={t('policyAdmin.maxHours')} hint={t('policyAdmin.maxHoursHint')}>
            <input type="number" data-testid="org-policy-max-hours" value={maxHours} min={1} step={1} required inputMode="numeric"
              disabled={!owner} onInput={(e) => { changed(); setMaxHours(e.currentTarget.value); }} />
          </Field>
          <label class="check">
            <input type="checkbox" data-testid="org-policy-single-approver" checked={single} disabled={!owner}
              onChange={(e) => { changed(); setSingle(e.currentTarget.checked); }} />
            {t('policyAdmin.singleApprover')}
          </label>
          {owner && (
            <div class="form-actions">
              <button type="submit" class="button primary" data-testid="org-policy-save" disabled={action.busy}>{t('policyAdmin.save')}</button>
            </div>
          )}
        </>
      )}
    </form>
  );
}

interface Row extends Term {
  /** A stable key for the list (rows have no id). */
  key: number;
}

let nextKey = 1;
const toRow = (term: Term): Row => ({ ...term, key: nextKey++ });

function TermsEditor({ orgId }: { orgId: string }) {
  const load = useLoad(() => policyApi.terms(orgId), [orgId]);
  const [rows, setRows] = useState<Row[]>([]);
  const [bad, setBad] = useState<number[]>([]);
  const [saved, setSaved] = useState<number | null>(null);
  const action = useAction();
  useEffect(() => {
    if (load.data) setRows(load.data.terms.map(toRow));
  }, [load.data]);
  const view: TermsView | undefined = load.data;
  const categories = view?.categories ?? [];

  function change(index: number, patch: Partial<Term>) {
    setSaved(null);
    setBad((b) => b.filter((i) => i !== index));
    setRows((rs) => rs.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  }

  function add() {
    setSaved(null);
    setRows((rs) => [...rs, toRow({ category: (categories[0] ?? 'welfare') as TermCategory, kind: 'cue', term: '' })]);
    requestAnimationFrame(() => {
      const inputs = document.querySelectorAll<HTMLInputElement>('[data-testid="term-input"]');
      inputs[inputs.length - 1]?.focus();
    });
  }

  function remove(index: number) {
    setSaved(null);
    setBad([]);
    setRows((rs) => rs.filter((_, i) => i !== index));
  }

  function save(e: Event) {
    e.preventDefault();
    setSaved(null);
    void action.run(async () => {
      const terms: Term[] = rows.map((r) => ({ category: r.category, kind: r.kind, term: r.term.trim() }));
      if (terms.length > MAX_TERMS) throw new UiError('policyAdmin.tooMany');
      const invalid = invalidTerms(terms);
      setBad(invalid);
      if (invalid.length > 0) throw new UiError('policyAdmin.termInvalid');
      try {
        const stored = await policyApi.setTerms(orgId, terms);
        setRows(stored.map(toRow));
        setSaved(stored.length);
      } catch (err) {
        const row = isApiError(err) ? termIndexOfField(err.body?.field) : null;
        if (row !== null) setBad([row]);
        throw err;
      }
    });
  }

  return (
    <div class="card stack" data-testid="policy-terms">
      <h2>{t('policyAdmin.terms')}</h2>
      <p class="field-hint">{t('policyAdmin.termsHelp')}</p>
      <ErrorMessage error={load.error ?? action.error} />
      <SuccessMessage text={saved !== null ? t('policyAdmin.termsSaved', { count: saved }) : null} />
      {view && (
        <form class="stack" onSubmit={save}>
          {rows.length === 0 ? (
            <p class="muted" data-testid="terms-empty">{t('policyAdmin.termsEmpty')}</p>
          ) : (
            <table class="terms-table" data-testid="terms-table">
              <thead>
                <tr>
                  <th scope="col">{t('policyAdmin.category')}</th>
                  <th scope="col">{t('policyAdmin.kind')}</th>
                  <th scope="col">{t('policyAdmin.term')}</th>
                  <th scope="col"><span class="visually-hidden">{t('policyAdmin.removeTerm')}</span></th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => {
                  const invalid = bad.includes(i);
                  return (
                    <tr key={r.key} class={invalid ? 'invalid' : undefined} data-testid="term-row" data-index={i}>
                      <td>
                        <select data-testid="term-category" value={r.category} aria-label={t('policyAdmin.category')}
                          onChange={(e) => {
                            const category = e.currentTarget.value as TermCategory;
                            change(i, category === GUARDS_ONLY ? { category, kind: 'guard' } : { category });
                          }}>
                          {(categories.includes(r.category) ? categories : [...categories, r.category]).map((c) => (
                            <option key={c} value={c}>{categoryLabel(c)}</option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <select data-testid="term-kind" value={r.kind} aria-label={t('policyAdmin.kind')}
                          onChange={(e) => change(i, { kind: e.currentTarget.value as TermKind })}>
                          {TERM_KINDS.filter((k) => r.category !== GUARDS_ONLY || k === 'guard').map((k) => (
                            <option key={k} value={k}>{t(`policy.kind.${k}`)}</option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <input data-testid="term-input" value={r.term} maxLength={MAX_TERM_CHARS * 2} aria-label={t('policyAdmin.term')}
                          aria-invalid={invalid || undefined} onInput={(e) => change(i, { term: e.currentTarget.value })} />
                      </td>
                      <td>
                        <button type="button" class="button small danger" data-testid="term-remove"
                          aria-label={t('policyAdmin.removeTermLabel', { term: r.term })} onClick={() => remove(i)}>
                          {t('policyAdmin.removeTerm')}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          <p class="field-hint" data-testid="terms-count">{t('policyAdmin.termCount', { count: rows.length })}</p>
          <div class="form-actions">
            <button type="button" class="button" data-testid="term-add" disabled={rows.length >= MAX_TERMS} onClick={add}>
              {t('policyAdmin.addTerm')}
            </button>
            <button type="submit" class="button primary" data-testid="terms-save" disabled={action.busy}>{t('policyAdmin.saveTerms')}</button>
          </div>
        </form>
      )}
      {view && <BuiltIn view={view} />}
    </div>
  );
}

/** The words that ship with the server, per category, read-only. */
function BuiltIn({ view }: { view: TermsView }) {
  const categories = [...new Set([...view.categories, ...Object.keys(view.builtIn)])].filter((c) => view.builtIn[c]);
  if (categories.length === 0) return null;
  return (
    <div class="built-in" data-testid="built-in-terms">
      <h3>{t('policyAdmin.builtIn')}</h3>
      {categories.map((c) => {
        const lists = view.builtIn[c];
        return (
          <details key={c} data-testid={`built-in-${c}`}>
            <summary>{t('policyAdmin.builtInCount', { category: categoryLabel(c), cue: lists.cue.length, guard: lists.guard.length })}</summary>
            {TERM_KINDS.map((k) => lists[k].length > 0 && (
              <div key={k}>
                <span class="field-label">{t(`policy.kind.${k}`)}</span>
                <ul class="word-list">{lists[k].map((w) => <li key={w}>{w}</li>)}</ul>
              </div>
            ))}
          </details>
        );
      })}
    </div>
  );
}
