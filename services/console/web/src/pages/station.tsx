/**
 * The station keeper's page (`#/station`, station keys; admins and operators choose a station from intake's
 * `GET /stations`, kept in the address as `#/station?station=<id>`): the parcels waiting at the station with
 * their deliveries and exceptions scanned (station/waiting.tsx), a pickup of produce booked
 * (station/booking.tsx), and the station's upstream parcels today (station/upstream.tsx). Phone first.
 */
import { useState } from 'preact/hooks';
import { ErrorNote, Loading, useAsync } from '../components';
import { useT } from '../i18n';
import { useSession } from '../session';
import { hashQuery, loadMasterdata, setHashQuery } from './parcels-terms';
import { Booking } from './station/booking';
import { m } from './station/messages';
import { Upstream } from './station/upstream';
import { Waiting } from './station/waiting';
import './station/station.css';

export default function StationPage() {
  const t = useT(m);
  const { api, principal } = useSession();
  const bound = principal.role === 'station' ? principal.stationId ?? '' : '';
  const [picked, setPicked] = useState(() => hashQuery().get('station') ?? '');
  const [version, setVersion] = useState(0);
  const master = useAsync((signal) => loadMasterdata(api, signal), []);
  const stationId = bound || picked;
  const stations = [...(master.data?.stations.values() ?? [])].filter((s) => s.kind !== 'center');
  const name = master.data?.stations.get(stationId)?.name;
  const couriers = master.data?.couriers;

  return (
    <div class="station-page">
      <h1>
        {t('title')}
        {name ? <span class="muted" data-testid="station-name"> · {name}</span> : null}
      </h1>
      {bound ? null : (
        <label class="st-pick">
          <span class="field-label">{t('pickStation')}</span>
          <select
            name="station"
            value={picked}
            onChange={(e) => {
              const id = (e.target as HTMLSelectElement).value;
              setPicked(id);
              setHashQuery('station', { station: id });
            }}
          >
            <option value="">{master.data ? (stations.length ? t('pickStation') : t('noStations')) : '…'}</option>
            {stations.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.id})
              </option>
            ))}
          </select>
        </label>
      )}
      <ErrorNote error={master.error} onRetry={master.reload} />
      {!stationId ? (
        master.data || master.error ? null : <Loading />
      ) : (
        <div class="st-columns" key={stationId}>
          <div>
            <Waiting stationId={stationId} couriers={couriers} />
          </div>
          <div>
            <Booking stationId={stationId} couriers={couriers} onBooked={() => setVersion((v) => v + 1)} />
            <Upstream stationId={stationId} couriers={couriers} version={version} />
          </div>
        </div>
      )}
    </div>
  );
}
