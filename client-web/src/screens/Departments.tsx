import { useState } from 'preact/hooks';
import { api, type Schemas } from '../api/client';
import { DeptSelect } from '../components/DeptSelect';
import { ConfirmButton, ErrorMessage, Field } from '../components/ui';
import { departmentTree, flatten, subtreeIds, type DepartmentNode } from '../format';
import { useAction, useLoad } from '../hooks';
import { t } from '../i18n/i18n';

/** Owner/admin: the department tree; create, rename, move and delete. */
export function Departments({ orgId }: { orgId: string }) {
  const depts = useLoad(() => api.call('get', '/api/v1/orgs/{orgId}/departments', { params: { orgId } }), [orgId]);
  const tree = departmentTree(depts.data ?? []);
  const [name, setName] = useState('');
  const [parentId, setParentId] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const action = useAction();

  const run = (request: () => Promise<unknown>) => action.run(async () => {
    await request();
    depts.reload();
  });

  function create(e: Event) {
    e.preventDefault();
    run(async () => {
      await api.call('post', '/api/v1/orgs/{orgId}/departments', {
        params: { orgId }, body: { name: name.trim(), parentId: parentId || null },
      });
      setName('');
    });
  }

  const renderNode = (node: DepartmentNode) => {
    const { dept } = node;
    return (
      <li key={dept.id} data-testid="dept-node" data-id={dept.id}>
        {editing === dept.id ? (
          <EditForm node={node} all={flatten(tree)} busy={action.busy} onCancel={() => setEditing(null)}
            onSave={(body) => run(async () => {
              await api.call('patch', '/api/v1/orgs/{orgId}/departments/{deptId}', { params: { orgId, deptId: dept.id }, body });
              setEditing(null);
            })} />
        ) : (
          <div class="tree-row">
            <span class="tree-name" data-testid="dept-name">{dept.name}</span>
            <span class="row-actions">
              <button type="button" class="button" data-testid="dept-edit" onClick={() => setEditing(dept.id)}>
                {t('common.edit')}
              </button>
              <ConfirmButton label={t('common.delete')} question={t('dept.deleteQuestion', { name: dept.name })}
                testid="dept-delete" danger disabled={action.busy}
                onConfirm={() => run(() => api.call('delete', '/api/v1/orgs/{orgId}/departments/{deptId}', {
                  params: { orgId, deptId: dept.id },
                }))} />
            </span>
          </div>
        )}
        {node.children.length > 0 && <ul>{node.children.map(renderNode)}</ul>}
      </li>
    );
  };

  return (
    <section class="page">
      <h1>{t('dept.title')}</h1>
      <div class="card">
        <h2>{t('dept.create')}</h2>
        <form class="inline-form" onSubmit={create}>
          <Field label={t('dept.name')}>
            <input data-testid="dept-create-name" value={name} required maxLength={100}
              onInput={(e) => setName(e.currentTarget.value)} />
          </Field>
          <Field label={t('dept.parent')}>
            <DeptSelect testid="dept-create-parent" value={parentId} options={flatten(tree)} onChange={setParentId} />
          </Field>
          <button type="submit" class="button primary" data-testid="dept-create-submit" disabled={action.busy}>
            {t('dept.createSubmit')}
          </button>
        </form>
      </div>
      <ErrorMessage error={action.error ?? depts.error} />
      <div class="card">
        {depts.data?.length === 0 && <p class="muted" data-testid="dept-empty">{t('dept.empty')}</p>}
        <ul class="tree" data-testid="dept-tree">
          {tree.map(renderNode)}
        </ul>
      </div>
    </section>
  );
}

function EditForm({ node, all, busy, onSave, onCancel }: {
  node: DepartmentNode; all: DepartmentNode[]; busy: boolean;
  onSave: (body: Schemas['UpdateDepartmentRequest']) => void; onCancel: () => void;
}) {
  const [name, setName] = useState(node.dept.name);
  const [parentId, setParentId] = useState(node.dept.parentId ?? '');
  const excluded = subtreeIds(node);
  function save(e: Event) {
    e.preventDefault();
    const body: Schemas['UpdateDepartmentRequest'] = {};
    if (name.trim() !== node.dept.name) body.name = name.trim();
    if (parentId !== (node.dept.parentId ?? '')) body.parentId = parentId; // '' moves it to the top level
    if (Object.keys(body).length === 0) onCancel();
    else onSave(body);
  }
  return (
    <form class="inline-form tree-edit" onSubmit={save}>
      <Field label={t('dept.name')}>
        <input data-testid="dept-edit-name" value={name} required maxLength={100} autoFocus
          onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <Field label={t('dept.parent')}>
        <DeptSelect testid="dept-edit-parent" value={parentId} options={all.filter((n) => !excluded.has(n.dept.id))}
          onChange={setParentId} />
      </Field>
      <button type="submit" class="button primary small" data-testid="dept-edit-save" disabled={busy}>{t('common.save')}</button>
      <button type="button" class="button small" data-testid="dept-edit-cancel" onClick={onCancel}>{t('common.cancel')}</button>
    </form>
  );
}
