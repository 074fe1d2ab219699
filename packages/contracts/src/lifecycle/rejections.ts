import type { Direction } from '../common.js';
import type { FactKind, ParcelFact } from './facts.js';
import type { LifecycleParcel } from './parcel.js';
import type { Overruled } from './resolve.js';
import type { LifecycleStep } from './states.js';
import { unreachable } from './unreachable.js';

/** Why a fact cannot apply to a parcel; the service answers 409 with the code and the reason. */
export const rejectionCodes = ['WRONG_DIRECTION', 'WRONG_STATION', 'TERMINAL_CONFLICT', 'ROUTE_ALREADY_DEPARTED'] as const;
export type RejectionCode = (typeof rejectionCodes)[number];

/** Operators read the reason, so it comes in Simplified Chinese too (docs/glossary.md). */
export interface FactRejection {
  accepted: false;
  code: RejectionCode;
  reason: string;
  reasonZh: string;
}

const directionZh: Record<Direction, string> = { downstream: '下行', upstream: '上行' };

/** What operators call each fact, in Simplified Chinese (docs/glossary.md). */
export const factNamesZh: Readonly<Record<FactKind, string>> = {
  manifested: '快递预报',
  receive: '到件扫描',
  route_confirmed: '线路计划确认',
  sort: '分拣扫描',
  route_cancelled: '线路取消',
  route_departed: '发车',
  stop_handed_over: '司机交接',
  handover: '站点交接扫描',
  deliver: '签收扫描',
  booked: '预约揽件',
  collect: '揽收扫描',
  center_arrival: '到中心扫描',
  linehaul_handover: '干线交接扫描',
  damaged: '破损登记',
  refused: '拒收登记',
  address_unknown: '地址不详登记',
  address_corrected: '地址更正',
  return: '退回扫描',
  lost: '丢失登记',
};

const stepZh: Record<LifecycleStep, string> = {
  manifested: '预报',
  received: '入库',
  sorted: '分拣',
  departed: '发车',
  at_town: '到达乡镇站',
  at_station: '到达服务站',
  delivered: '签收',
  booked: '预约揽件',
  collected: '揽收',
  at_center: '到达中心',
  handed_over: '交接干线',
  returned: '退回',
  lost: '丢失',
  damaged: '破损',
  refused: '拒收',
  address_unknown: '地址不详',
};

export function wrongDirection(parcel: LifecycleParcel, fact: ParcelFact, applies: Direction): FactRejection {
  return {
    accepted: false,
    code: 'WRONG_DIRECTION',
    reason: `${fact.kind} applies to ${applies} parcels; this parcel is ${parcel.direction}`,
    reasonZh: `${factNamesZh[fact.kind]}只适用于${directionZh[applies]}件，该包裹为${directionZh[parcel.direction]}件`,
  };
}

export function wrongStation(fact: ParcelFact, stationId: string | null, allowed: readonly string[]): FactRejection {
  return {
    accepted: false,
    code: 'WRONG_STATION',
    reason: `${fact.kind} at station ${stationId}, but this parcel's station is ${allowed.join(' or ')}`,
    reasonZh: `${factNamesZh[fact.kind]}的站点 ${stationId} 不是该包裹的站点（${allowed.join(' 或 ')}）`,
  };
}

export function overruledRejection(overruled: Overruled): FactRejection {
  const { by } = overruled;
  switch (overruled.code) {
    case 'TERMINAL_CONFLICT':
      return {
        accepted: false,
        code: overruled.code,
        reason: `the parcel was ${overruled.end} at ${by.occurredAt} (fact ${by.id}), before this ${overruled.wanted}; it cannot be both`,
        reasonZh: `该包裹已于 ${by.occurredAt} ${stepZh[overruled.end]}（记录 ${by.id}），不能再登记为${stepZh[overruled.wanted]}`,
      };
    case 'ROUTE_ALREADY_DEPARTED':
      return {
        accepted: false,
        code: overruled.code,
        reason: `route ${overruled.routeId} left the center (${by.kind} at ${by.occurredAt}, fact ${by.id}); a route can only be cancelled before it departs`,
        reasonZh: `线路 ${overruled.routeId} 已发车（${factNamesZh[by.kind]}，${by.occurredAt}，记录 ${by.id}），发车后不能取消`,
      };
    default:
      return unreachable(overruled);
  }
}
