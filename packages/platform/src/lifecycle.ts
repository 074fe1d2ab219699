import type { Logger } from './logger.js';

interface Resource {
  name: string;
  close: () => Promise<unknown>;
}

/**
 * Resources register as they are opened; shutdown closes them in reverse order (docs/style.md: consumers,
 * HTTP, producer and relay, Redis, Postgres), each at most once, continuing past failures.
 */
export class Lifecycle {
  private readonly resources: Resource[] = [];
  private closing: Promise<boolean> | undefined;

  constructor(private readonly logger: Logger) {}

  add(name: string, close: () => Promise<unknown>): void {
    this.resources.push({ name, close });
  }

  /** Resolves true when everything closed cleanly. */
  shutdown(): Promise<boolean> {
    this.closing ??= this.closeAll();
    return this.closing;
  }

  private async closeAll(): Promise<boolean> {
    let clean = true;
    for (const resource of [...this.resources].reverse()) {
      try {
        await resource.close();
        this.logger.debug({ resource: resource.name }, 'closed');
      } catch (err) {
        clean = false;
        this.logger.error({ err, resource: resource.name }, 'failed to close');
      }
    }
    return clean;
  }
}

/**
 * SIGTERM and SIGINT stop the process cleanly: exit 0 when every resource closed, 1 otherwise or
 * when closing takes longer than the timeout.
 */
export function exitOnSignals(lifecycle: Lifecycle, logger: Logger, timeoutMs: number): void {
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    void lifecycle.shutdown().then((clean) => {
      logger.info({ clean }, 'stopped');
      process.exit(clean ? 0 : 1);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
