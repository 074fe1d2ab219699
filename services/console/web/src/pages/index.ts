/**
 * The console's pages: where each lives (`#/<id>`), who may open it (the roles the APIs it calls allow), its
 * title, and its module, loaded when first opened. A page a key's role may not open is left out of the menu,
 * and opening it by its address shows why instead.
 */
import type { ComponentType } from 'preact';
import type { Role } from '../session';

export interface PageDef {
  id: string;
  roles: readonly Role[];
  title: { 'zh-CN': string; en: string };
  load: () => Promise<{ default: ComponentType }>;
}

export const pages: readonly PageDef[] = [
  // The first page a key's role may open is where it lands after sign-in: the board for the desk, the route for a
  // driver (the board is not theirs), the station for a keeper.
  { id: 'board', roles: ['admin', 'operator'], title: { 'zh-CN': '实时看板', en: 'Live board' }, load: () => import('./board') },
  { id: 'route', roles: ['driver', 'admin', 'operator'], title: { 'zh-CN': '我的线路', en: 'My route' }, load: () => import('./route') },
  { id: 'waves', roles: ['admin', 'operator'], title: { 'zh-CN': '波次与线路', en: 'Waves' }, load: () => import('./waves') },
  { id: 'coldchain', roles: ['admin', 'operator', 'driver'], title: { 'zh-CN': '冷链', en: 'Cold chain' }, load: () => import('./coldchain') },
  // Before parcels and labels: a station key lands on it (its role's first page); the board stays an operator's first.
  { id: 'station', roles: ['station', 'admin', 'operator'], title: { 'zh-CN': '服务站', en: 'Station' }, load: () => import('./station') },
  { id: 'parcels', roles: ['admin', 'operator', 'station', 'courier'], title: { 'zh-CN': '包裹查询', en: 'Parcels' }, load: () => import('./parcels') },
  { id: 'labels', roles: ['admin', 'operator', 'station'], title: { 'zh-CN': '溯源标签', en: 'Trace labels' }, load: () => import('./labels') },
  { id: 'bureau', roles: ['admin', 'bureau'], title: { 'zh-CN': '商务局看板', en: 'Bureau dashboard' }, load: () => import('./bureau') },
];

export function pagesFor(role: Role): PageDef[] {
  return pages.filter((p) => p.roles.includes(role));
}
