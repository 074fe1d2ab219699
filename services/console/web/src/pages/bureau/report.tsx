/** The monthly report, downloaded as JSON or CSV (sla `GET /v1/reports/monthly?month=`, CSV with Accept: text/csv). */
import { useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { Field, FormError } from '../../components';
import { defineMessages, useT } from '../../i18n';
import { useSession } from '../../session';

const m = defineMessages(
  {
    title: '月度报表',
    month: '月份',
    json: '下载 JSON',
    csv: '下载 CSV',
    saved: '已下载 {file}',
    bad: '请选择月份（YYYY-MM）',
  },
  {
    title: 'Monthly report',
    month: 'Month',
    json: 'Download JSON',
    csv: 'Download CSV',
    saved: 'Downloaded {file}',
    bad: 'Choose a month (YYYY-MM)',
  },
);

function save(blob: Blob, file: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function MonthlyReport({ defaultMonth }: { defaultMonth: string }) {
  const t = useT(m);
  const { api } = useSession();
  const [month, setMonth] = useState(defaultMonth);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  async function download(kind: 'json' | 'csv') {
    setError(undefined);
    setSaved(null);
    if (!/^\d{4}-\d{2}$/.test(month)) return setError(new ApiError(400, 'VALIDATION_FAILED', t('bad'), [{ path: 'querystring.month', reason: t('bad') }], 'sla'));
    setBusy(true);
    try {
      const file = `monthly-report-${month}.${kind}`;
      if (kind === 'csv') {
        const text = await api.get<string>('sla', '/v1/reports/monthly', { query: { month }, as: 'text' });
        save(new Blob([text], { type: 'text/csv;charset=utf-8' }), file);
      } else {
        const body = await api.get<unknown>('sla', '/v1/reports/monthly', { query: { month } });
        save(new Blob([JSON.stringify(body, null, 2)], { type: 'application/json' }), file);
      }
      setSaved(file);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div data-testid="monthly-report">
      <h2>{t('title')}</h2>
      <div class="report-row">
        <Field label={t('month')} name="month" error={error}>
          <input type="month" name="month" value={month} placeholder="YYYY-MM" onInput={(e) => setMonth((e.target as HTMLInputElement).value)} />
        </Field>
        <button type="button" disabled={busy} onClick={() => void download('json')}>
          {t('json')}
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={() => void download('csv')}>
          {t('csv')}
        </button>
      </div>
      <FormError error={error} fields={['month']} />
      {saved ? (
        <p class="muted small" role="status">
          {t('saved', { file: saved })}
        </p>
      ) : null}
    </div>
  );
}
