/**
 * The signed-in key, held for the browser session only (sessionStorage: gone when the tab closes, never in
 * localStorage or a cookie), and who it is (`GET /auth/whoami` at intake: role, county, scope).
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { createApi, type Api } from './api';

export type Role = 'admin' | 'operator' | 'station' | 'driver' | 'courier' | 'bureau';

export interface Principal {
  keyId: string;
  countyId: string;
  role: Role;
  stationId?: string;
  courierId?: string;
  vehicleIds?: string[];
}

export interface Session {
  api: Api;
  principal: Principal;
}

const STORAGE_KEY = 'console.key';

export function storedKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

/** Checks the key against intake (any service would do) and keeps it for the session. Throws ApiError. */
export async function signIn(key: string): Promise<Session> {
  const api = createApi(key.trim());
  const principal = await api.get<Principal>('intake', '/auth/whoami');
  sessionStorage.setItem(STORAGE_KEY, key.trim());
  return { api, principal };
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

export const SessionContext = createContext<Session | null>(null);

/** The session of a signed-in page (pages are only rendered signed in). */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}
