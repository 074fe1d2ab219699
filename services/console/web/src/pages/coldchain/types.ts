/** What the cold-chain page reads (services/coldchain: monitoring/views.ts, monitoring/live.ts, catalogue/http/schemas.ts). */
export type Severity = 'critical' | 'major' | 'minor' | 'warning';

export interface LiveContainer {
  containerId: string;
  profileId: string | null;
  temperatureC: number | null;
  measuredAt: string | null;
  sensorId: string | null;
  state: 'in_range' | 'excursion' | 'silent' | 'no_readings';
  openExcursion: { excursionId: string; startedAt: string; side: 'above' | 'below'; minutesOutOfRange: number; minC: number; maxC: number; severity: Severity; exceededAt: string | null } | null;
  silentAlarmId: string | null;
}

export interface Container {
  containerId: string;
  kind: 'vehicle_compartment' | 'cold_room';
  vehicleId: string | null;
  stationId: string | null;
  capacityM3: number | null;
  active: boolean;
  profileId: string;
}

export interface Profile {
  id: string;
  name: string;
  nameZh: string | null;
  minC: number;
  maxC: number;
  toleratedMinutes: number;
}

export type Resolution = 'released' | 'downgraded' | 'discarded';

export interface Reading {
  containerId: string;
  sensorId: string;
  measuredAt: string;
  temperatureC: number;
}

export interface Excursion {
  excursionId: string;
  containerId: string;
  profileId: string;
  state: 'open' | 'closed' | 'superseded';
  startedAt: string;
  endedAt: string | null;
  side: 'above' | 'below';
  minutesOutOfRange: number;
  minC: number;
  maxC: number;
  severity: Severity;
  parcelIds: string[];
  resolution: Resolution | null;
}

export interface Actor {
  keyId: string;
  role: string;
}

export interface Alarm {
  alarmId: string;
  containerId: string;
  kind: 'tolerance_exceeded' | 'sensor_silent' | 'precooling_missed';
  severity: Severity;
  state: 'active' | 'acknowledged' | 'cleared';
  excursionId: string | null;
  raisedAt: string;
  detail: string;
  parcelIds: string[];
  acknowledged: { at: string; by: Actor; comment: string | null } | null;
  cleared: { at: string; by: Actor | null; comment: string | null } | null;
}
