import { requirePrincipal, withTransaction, type App, type Clock, type Pool } from '@county/platform';
import { z } from 'zod';
import { fail } from '../../errors.js';
import { bindByHand, closeByHand } from '../bindings.js';
import type { CustodyListener } from '../custody.js';
import { putProfile, removeProfile, setDefaultProfile, setExpectedProfile } from '../profiles.js';
import { bindingsInContainer, bindingsOfParcels, findBinding } from '../store/bindings.js';
import { findContainer, listContainers } from '../store/containers.js';
import { findProfile, listProfiles, loadSettings, seedProfiles } from '../store/profiles.js';
import {
  bindingBody,
  bindingParams,
  bindingResponse,
  bindingsQuery,
  closeBody,
  containerBody,
  containerParams,
  containerResponse,
  containersQuery,
  profileBodySchema,
  profileParams,
  profileResponse,
  settingsBody,
  settingsResponse,
} from './schemas.js';

export interface CatalogueRouteDeps {
  pool: Pool;
  now: Clock;
  /** Told when a binding by hand changes a parcel's custody: compliance revises its record. */
  custody: CustodyListener;
}

/** Profiles are the county's rules: admins write them; operators and drivers (who keep the compartment in range) read them. */
const ADMINS = { access: ['admin'] } as const;
const CENTER = { access: ['admin', 'operator'] } as const;
/** A driver reads its own vehicles' compartments (the list is filtered to them). */
const WITH_DRIVERS = { access: ['admin', 'operator', 'driver'] } as const;
const TAGS = ['coldchain catalogue'];

/**
 * `/coldchain/profiles…`, `/coldchain/settings`, `/coldchain/containers…`, `/coldchain/bindings…`: always the
 * caller's county (its key's).
 */
export function registerCatalogueRoutes(app: App, deps: CatalogueRouteDeps): void {
  registerProfiles(app, deps);
  registerContainers(app, deps);
  registerBindings(app, deps);
}

function registerProfiles(app: App, deps: CatalogueRouteDeps): void {
  app.get(
    '/coldchain/profiles',
    { config: WITH_DRIVERS, schema: { tags: TAGS, summary: 'The county’s product profiles, seeded defaults included, by id', response: { 200: z.object({ items: z.array(profileResponse) }) } } },
    async (request) => {
      const { countyId } = requirePrincipal(request);
      await seedProfiles(deps.pool, countyId, deps.now());
      return { items: await listProfiles(deps.pool, countyId) };
    },
  );
  app.get(
    '/coldchain/profiles/:profileId',
    { config: WITH_DRIVERS, schema: { tags: TAGS, summary: 'A product profile with the sources of its figures', params: profileParams, response: { 200: profileResponse } } },
    async (request) => {
      const { countyId } = requirePrincipal(request);
      await seedProfiles(deps.pool, countyId, deps.now());
      const profile = await findProfile(deps.pool, countyId, request.params.profileId);
      if (!profile) throw fail('PROFILE_NOT_FOUND', `no profile ${request.params.profileId} in this county`);
      return profile;
    },
  );
  app.put(
    '/coldchain/profiles/:profileId',
    {
      config: ADMINS,
      schema: {
        tags: TAGS,
        summary: 'Create or replace a product profile: range, tolerated minutes out of range, MKT limit, activation energy, pre-cooling, silence gap',
        params: profileParams,
        body: profileBodySchema,
        response: { 200: profileResponse, 201: profileResponse },
      },
    },
    async (request, reply) => {
      const change = changeOf(request, deps);
      const { profile, created } = await withTransaction(deps.pool, (tx) => putProfile(tx, change, request.params.profileId, request.body));
      return reply.code(created ? 201 : 200).send(profile);
    },
  );
  app.delete(
    '/coldchain/profiles/:profileId',
    { config: ADMINS, schema: { tags: TAGS, summary: 'Delete a profile no container expects and that is not the county’s default', params: profileParams } },
    async (request, reply) => {
      await withTransaction(deps.pool, (tx) => removeProfile(tx, changeOf(request, deps), request.params.profileId));
      return reply.code(204).send();
    },
  );
  app.get(
    '/coldchain/settings',
    { config: CENTER, schema: { tags: TAGS, summary: 'The county’s default profile for containers', response: { 200: settingsResponse } } },
    async (request) => loadSettings(deps.pool, requirePrincipal(request).countyId),
  );
  app.put(
    '/coldchain/settings',
    { config: ADMINS, schema: { tags: TAGS, summary: 'Set the profile a container expects when it names none', body: settingsBody, response: { 200: settingsResponse } } },
    async (request) => {
      const change = changeOf(request, deps);
      await withTransaction(deps.pool, (tx) => setDefaultProfile(tx, change, request.body.defaultProfileId));
      return loadSettings(deps.pool, change.countyId);
    },
  );
}

function registerContainers(app: App, deps: CatalogueRouteDeps): void {
  app.get(
    '/coldchain/containers',
    {
      config: WITH_DRIVERS,
      schema: {
        tags: TAGS,
        summary: 'Refrigerated compartments and cold rooms with the profile each expects; a driver’s key sees its vehicles’ only',
        querystring: containersQuery,
        response: { 200: z.object({ items: z.array(containerResponse) }) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const settings = await loadSettings(deps.pool, principal.countyId);
      const vehicleIds = principal.role === 'driver' ? (principal.vehicleIds ?? []) : undefined;
      return { items: await listContainers(deps.pool, principal.countyId, settings.defaultProfileId, { ...request.query, ...(vehicleIds ? { vehicleIds } : {}) }) };
    },
  );
  app.get(
    '/coldchain/containers/:containerId',
    { config: WITH_DRIVERS, schema: { tags: TAGS, summary: 'A container and the profile it expects', params: containerParams, response: { 200: containerResponse } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const settings = await loadSettings(deps.pool, principal.countyId);
      const container = await findContainer(deps.pool, principal.countyId, request.params.containerId, settings.defaultProfileId);
      const hidden = principal.role === 'driver' && !(container?.vehicleId && principal.vehicleIds?.includes(container.vehicleId));
      if (!container || hidden) throw fail('CONTAINER_NOT_FOUND', `no container ${request.params.containerId} in this county`);
      return container;
    },
  );
  app.put(
    '/coldchain/containers/:containerId',
    {
      config: CENTER,
      schema: { tags: TAGS, summary: 'Set the profile a container expects (null: the county’s default)', params: containerParams, body: containerBody, response: { 200: containerResponse } },
    },
    async (request) => withTransaction(deps.pool, (tx) => setExpectedProfile(tx, changeOf(request, deps), request.params.containerId, request.body.profileId)),
  );
}

function registerBindings(app: App, deps: CatalogueRouteDeps): void {
  app.get(
    '/coldchain/bindings',
    {
      config: CENTER,
      schema: {
        tags: TAGS,
        summary: 'A parcel’s bindings, or a container’s over a time range (default the last 24 h)',
        querystring: bindingsQuery,
        response: { 200: z.object({ items: z.array(bindingResponse) }) },
      },
    },
    async (request) => {
      const { countyId } = requirePrincipal(request);
      const { parcelId, containerId, from, to } = request.query;
      if (parcelId !== undefined) {
        const items = await bindingsOfParcels(deps.pool, countyId, [parcelId]);
        return { items: containerId === undefined ? items : items.filter((b) => b.containerId === containerId) };
      }
      const start = from ? new Date(from) : new Date(deps.now().getTime() - 24 * 3_600_000);
      return { items: await bindingsInContainer(deps.pool, countyId, containerId!, start, to ? new Date(to) : null, 5_000) };
    },
  );
  app.post(
    '/coldchain/bindings',
    {
      config: CENTER,
      schema: { tags: TAGS, summary: 'Bind a parcel to a container by hand, saying why (the key is who)', body: bindingBody, response: { 201: bindingResponse } },
    },
    async (request, reply) => {
      const change = changeOf(request, deps);
      const binding = await withTransaction(deps.pool, (tx) => bindByHand(tx, { ...change, ...request.body }, deps.custody));
      return reply.code(201).send(binding);
    },
  );
  app.get(
    '/coldchain/bindings/:bindingId',
    { config: CENTER, schema: { tags: TAGS, summary: 'A binding', params: bindingParams, response: { 200: bindingResponse } } },
    async (request) => {
      const binding = await findBinding(deps.pool, requirePrincipal(request).countyId, request.params.bindingId);
      if (!binding) throw fail('BINDING_NOT_FOUND', `no binding ${request.params.bindingId} in this county`);
      return binding;
    },
  );
  app.delete(
    '/coldchain/bindings/:bindingId',
    {
      config: CENTER,
      schema: {
        tags: TAGS,
        summary: 'Close a binding made by hand (the parcel left the container), saying why; kept in the history',
        params: bindingParams,
        body: closeBody,
        response: { 200: bindingResponse },
      },
    },
    async (request) => {
      const change = changeOf(request, deps);
      const to = request.body.to ?? change.at.toISOString();
      return withTransaction(deps.pool, (tx) => closeByHand(tx, { ...change, bindingId: request.params.bindingId, to, reason: request.body.reason }, deps.custody));
    },
  );
}

function changeOf(request: Parameters<typeof requirePrincipal>[0], deps: CatalogueRouteDeps) {
  const principal = requirePrincipal(request);
  return { countyId: principal.countyId, by: principal.keyId, at: deps.now() };
}
