/**
 * The live board (`#/board`, admin and operator): the day's parcels by state and by courier, the day's waves and
 * their routes, open cold-chain alarms and SLA alerts, and dead letters waiting. Every block loads on its own
 * and refreshes every 15 s, so one service down leaves the others on screen.
 */
import { useState } from 'preact/hooks';
import { defineMessages, formats, useLang, useT } from '../i18n';
import { Alarms, DeadLetters, SlaAlerts } from './board/alerts';
import { ParcelCounts } from './board/parcels';
import { Waves } from './board/waves';
import { hashQuery, setHashQuery } from './parcels-terms';
import './board/board.css';

const m = defineMessages(
  { title: '实时看板', date: '日期', refresh: '每 15 秒自动刷新', today: '今天' },
  { title: 'Live board', date: 'Date', refresh: 'Refreshes every 15 s', today: 'Today' },
);

export default function Board() {
  const t = useT(m);
  const { lang } = useLang();
  const today = formats(lang).localDate();
  const [date, setDate] = useState(() => {
    const d = hashQuery().get('date');
    return d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : today;
  });
  const choose = (d: string) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return;
    setDate(d);
    setHashQuery('board', { date: d === today ? undefined : d });
  };
  return (
    <div class="board" data-testid="board">
      <div class="page-head">
        <h1>{t('title')}</h1>
        <div class="page-tools">
          <label class="inline-field">
            <span>{t('date')}</span>
            <input type="date" name="date" value={date} onChange={(e) => choose((e.target as HTMLInputElement).value)} />
          </label>
          {date !== today ? (
            <button type="button" class="secondary" onClick={() => choose(today)}>
              {t('today')}
            </button>
          ) : null}
          <span class="muted small">{t('refresh')}</span>
        </div>
      </div>
      <ParcelCounts date={date} />
      <Waves date={date} />
      <div class="grid">
        <Alarms />
        <SlaAlerts />
        <DeadLetters />
      </div>
    </div>
  );
}
