import { fileURLToPath } from 'node:url';
import { loadConfig, openRuntime, runMain, startService } from '@county/platform';
import { buildApp } from './app.js';
import { createComplianceReviser } from './compliance/index.js';
import { compliancePorts } from './compliance/ports.js';
import { configSchema, SERVICE } from './config.js';
import { consumers } from './consumers.js';
import { openMonitoring, runMonitoring } from './monitoring/index.js';
import { openReadings, runReadings, type ReadingsListener } from './readings/index.js';

runMain(async () => {
  const config = loadConfig(configSchema);
  const migrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));
  const runtime = openRuntime({ service: SERVICE, config, migrationsDir });
  // Excursions and alarms: the tracker hears the ingest's readings; the silence scanner runs in one instance. It
  // stops after the readings (registered before them), so the ingest's last calls still reach it.
  const monitoring = openMonitoring(runtime);
  runMonitoring(runtime, monitoring);
  // Compliance revises the records a stored batch falls in (a gateway's late upload), once the tracker has folded it.
  const reviser = createComplianceReviser({ pool: runtime.pool, outbox: runtime.outbox, source: SERVICE, now: runtime.clock, ports: compliancePorts });
  const listener: ReadingsListener = {
    async onReadings(countyId, containerId, stored) {
      // The tracker first (compliance reads its excursions), but both hear every batch: a tracker that fails (it
      // retries, and recomputes at start) must not cost compliance its revision. The ingest logs what is thrown.
      let trackerFailure: unknown;
      try {
        await monitoring.tracker.onReadings(countyId, containerId, stored);
      } catch (error) {
        trackerFailure = error ?? new Error('tracker failed');
      }
      await reviser.onReadings(countyId, containerId, stored);
      if (trackerFailure !== undefined) throw trackerFailure;
    },
  };
  // Readings in (Kafka, REST, MQTT share one ingest).
  const readings = openReadings(runtime, config, { listener });
  runReadings(runtime, readings, config);
  const deps = { ...runtime, readings: readings.ingest, monitoring };
  await startService(runtime, { app: await buildApp(deps), consumers: consumers(deps) });
});
