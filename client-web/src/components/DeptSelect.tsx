import { indented, type DepartmentNode } from '../format';
import { t } from '../i18n/i18n';

/** A department select whose first option is "none" (top level / no department). */
export function DeptSelect({ testid, value, options, onChange, noneLabel = t('dept.topLevel') }: {
  testid: string; value: string; options: DepartmentNode[]; onChange: (id: string) => void; noneLabel?: string;
}) {
  return (
    <select data-testid={testid} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
      <option value="">{noneLabel}</option>
      {options.map((n) => <option key={n.dept.id} value={n.dept.id}>{indented(n)}</option>)}
    </select>
  );
}
