// promtool: Prometheus's own check of the text format and its naming rules, applied to a service's
// /metrics (issue #9). `npm test` installs it (infra/lib/tools.mjs); a bare `npx vitest` run
// needs it on PATH (Debian package `prometheus`).
import { spawn, spawnSync } from 'node:child_process';

/**
 * What promtool says of prom-client's own process metrics, not ours: these gauges count live
 * handles, requests and resources, and the client library names them `_total` (prom-client 15's
 * `collectDefaultMetrics`). Renaming them would break every dashboard built on the library's names.
 */
export const clientLibraryProblems = [
  'nodejs_active_handles_total non-counter metrics should not have "_total" suffix',
  'nodejs_active_requests_total non-counter metrics should not have "_total" suffix',
  'nodejs_active_resources_total non-counter metrics should not have "_total" suffix',
];

function promtoolPath(): string {
  const which = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' });
  const path = which.stdout.trim();
  if (which.status !== 0 || !path) throw new Error('promtool is not on PATH: `npm test` installs it as root; otherwise run `apt-get install -y prometheus`');
  return path;
}

/** Runs `promtool check metrics` on `text`: its exit code and each problem it reports, one per line. */
export function checkMetrics(text: string): Promise<{ code: number | null; problems: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(promtoolPath(), ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, problems: output.split('\n').map((l) => l.trim()).filter(Boolean) }));
    child.stdin.end(text);
  });
}
