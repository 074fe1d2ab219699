export * from './access.js';
export * from './key-format.js';
export * from './keys.js';
export * from './plugin.js';
export type { RateLimitSettings } from './rate-limit.js';
