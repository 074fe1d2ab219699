import type { Principal } from '@county/contracts';
import { fail } from '../errors.js';

export const alarmNotFound = (principal: Principal, alarmId: string) =>
  fail('ALARM_NOT_FOUND', undefined, [{ path: 'params.alarmId', reason: `no alarm ${alarmId} this key may see in county ${principal.countyId}` }]);

export const excursionNotFound = (principal: Principal, excursionId: string) =>
  fail('EXCURSION_NOT_FOUND', undefined, [{ path: 'params.excursionId', reason: `no excursion ${excursionId} this key may see in county ${principal.countyId}` }]);
