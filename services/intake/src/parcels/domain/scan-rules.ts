import { factNamesZh, type Principal, type Scan, type ScanKind } from '@county/contracts';
import type { ParcelRecord } from './parcel.js';
import { maySee } from './view.js';

/** How far ahead of the platform's clock a handheld's clock may run before its scans are refused. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Scans only the county center makes: the inbound scan that starts the SLA clock (docs/architecture.md §3
 * "Access": couriers cannot post it), putting a parcel into its route's bag, and produce arriving
 * at the center. Center staff are operators, admins and the keys of the center's own station.
 */
export const centerScanKinds: ReadonlySet<ScanKind> = new Set<ScanKind>(['receive', 'sort', 'center_arrival']);

/**
 * What a driver scans on the route: produce collected onto the vehicle, a hand-over at a station
 * (dispatch's `stop.handed_over` reports it too; the second one confirms), and damage or loss seen
 * on the way. Deliveries, refusals and returns are the station keeper's and the center's.
 */
export const driverScanKinds: ReadonlySet<ScanKind> = new Set<ScanKind>(['collect', 'handover', 'damaged', 'lost']);

/** Why a scan is refused before its parcel is even looked at. */
export interface ScanRefusal {
  code: 'FORBIDDEN' | 'VALIDATION_FAILED';
  /** For bad input: the scan's field. */
  path?: string;
  reason: string;
  reasonZh: string;
}

/** Whether the key is center staff: county-wide staff, or the key of the center's station. */
export function isCenterKey(principal: Principal, centerStationId: string | undefined): boolean {
  if (principal.role === 'admin' || principal.role === 'operator') return true;
  return principal.role === 'station' && centerStationId !== undefined && principal.stationId === centerStationId;
}

/**
 * Which parcels a key may scan: the ones it may read (view.ts), so a station keeper scans only
 * parcels to or from its station and a courier its own. The center's station key scans every parcel
 * of the county, as it receives and sorts them all; so does a driver, whose loads intake does not know
 * (the lifecycle still refuses a hand-over away from the parcel's destination). A town keeper also
 * scans the parcels a trunk route hands over at its station on their way to a village (two-tier,
 * issue #10: the town station dispatch's trunk route gave them).
 */
export function mayScan(
  principal: Principal,
  parcel: Pick<ParcelRecord, 'countyId' | 'courierId' | 'destinationStationId' | 'originStationId'> & { townStationId?: string | null },
  centerStationId: string | undefined,
): boolean {
  if (principal.role === 'driver' || isCenterKey(principal, centerStationId)) return principal.countyId === parcel.countyId;
  const passesThrough = principal.role === 'station' && parcel.townStationId != null && principal.stationId === parcel.townStationId;
  return maySee(principal, parcel) || (passesThrough && principal.countyId === parcel.countyId);
}

/**
 * The checks that need only the key and the scan: the time it happened, where it was made and
 * whether this role makes scans of this kind. Which parcels the key may touch is checked once the
 * parcel is found (mayScan: one it may not touch is not found at all).
 */
export function checkScan(principal: Principal, scan: Scan, context: { centerStationId: string | undefined; now: Date }): ScanRefusal | null {
  const occurredAt = Date.parse(scan.occurredAt);
  if (occurredAt > context.now.getTime() + CLOCK_SKEW_MS) {
    return {
      code: 'VALIDATION_FAILED',
      path: 'occurredAt',
      reason: `${scan.occurredAt} is in the future (more than ${CLOCK_SKEW_MS / 60_000} minutes ahead of ${context.now.toISOString()}); check the handheld's clock`,
      reasonZh: `扫描时间 ${scan.occurredAt} 晚于当前时间超过 ${CLOCK_SKEW_MS / 60_000} 分钟，请检查手持终端的时钟`,
    };
  }
  if (principal.role === 'station' && principal.stationId !== scan.stationId) {
    return {
      code: 'FORBIDDEN',
      path: 'stationId',
      reason: `this key is bound to station ${principal.stationId}, not ${scan.stationId}`,
      reasonZh: `该密钥只能在站点 ${principal.stationId} 扫描，不能在 ${scan.stationId} 扫描`,
    };
  }
  if (centerScanKinds.has(scan.kind) && !isCenterKey(principal, context.centerStationId)) {
    return {
      code: 'FORBIDDEN',
      path: 'kind',
      reason: `only the county center posts ${scan.kind} scans; a ${principal.role} key may not`,
      reasonZh: `只有县级物流中心可以提交${factNamesZh[scan.kind]}，${roleZh[principal.role]}密钥不可以`,
    };
  }
  if (principal.role === 'driver' && !driverScanKinds.has(scan.kind)) {
    return {
      code: 'FORBIDDEN',
      path: 'kind',
      reason: `a driver key posts only ${[...driverScanKinds].join(', ')} scans, not ${scan.kind}`,
      reasonZh: `司机密钥只能提交揽收、交接、破损和丢失扫描，不能提交${factNamesZh[scan.kind]}`,
    };
  }
  return null;
}

const roleZh: Record<Principal['role'], string> = {
  admin: '管理员',
  operator: '中心操作员',
  station: '服务站',
  driver: '司机',
  courier: '快递公司',
  bureau: '商务局',
};
