export * from './common.js';
export * from './envelope.js';
export * from './topics.js';
export * from './registry.js';
export * from './validate.js';
export * from './docs.js';
export * from './events/courier.js';
export * from './events/coldchain.js';
