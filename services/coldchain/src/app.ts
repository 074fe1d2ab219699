import { createServiceApp, type Runtime } from '@county/platform';
import { registerCatalogueRoutes } from './catalogue/http/routes.js';
import { registerComplianceRoutes } from './compliance/http.js';
import { compliancePorts, type CompliancePorts } from './compliance/ports.js';
import { complianceCustodyListener } from './compliance/revise-compliance.js';
import { openMonitoring, registerMonitoringRoutes, type Monitoring } from './monitoring/index.js';
import { openReadings, registerReadingsRoutes, type ReadingsIngest } from './readings/index.js';

/** What the routes will use: the clients, the outbox their writes go through, and the runtime's clock. */
export type AppDeps = Pick<Runtime, 'service' | 'config' | 'logger' | 'metrics' | 'health' | 'pool' | 'redis' | 'outbox' | 'clock'> & {
  /** The readings ingest main.ts shares with Kafka and MQTT; one with no listener is made when not given. */
  readings?: ReadingsIngest;
  /** Monitoring's tracker and route deps main.ts shares with the ingest; made when not given. */
  monitoring?: Monitoring;
  /** Readings and excursions as compliance reads them; coldchain's own tables when not given. */
  compliancePorts?: CompliancePorts;
};

/** The coldchain service's HTTP app; it never listens (main.ts does, tests inject). */
export async function buildApp(deps: AppDeps) {
  const app = await createServiceApp(deps, {
    description: 'Cold-chain tracking: temperature readings, product profiles, container bindings, excursions and compliance.',
  });
  registerReadingsRoutes(app, { pool: deps.pool, ingest: deps.readings ?? openReadings(deps, deps.config).ingest });
  registerMonitoringRoutes(app, (deps.monitoring ?? openMonitoring(deps)).routes);
  const ports = deps.compliancePorts ?? compliancePorts;
  const custody = complianceCustodyListener({ outbox: deps.outbox, source: deps.service, now: deps.clock, ports });
  registerCatalogueRoutes(app, { pool: deps.pool, now: deps.clock, custody });
  registerComplianceRoutes(app, { pool: deps.pool, now: deps.clock, ports });
  return app;
}
