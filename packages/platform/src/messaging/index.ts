export * from './outbox.js';
export * from './relay.js';
export * from './outage.js';
export * from './dead-letter.js';
export * from './consumer-runner.js';
export * from './message.js';
export * from './replay.js';
export * from './supervisor.js';
