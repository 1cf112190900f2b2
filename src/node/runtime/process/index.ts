// The process runtime's public API (the agent, `ordinal up` and `ordinal cleanup` import from here).

export { ProcessRuntime, type ProcessRuntimeOptions } from './runtime.js';
export { cleanupProcessRuntime, type RuntimeCleanupReport } from './stale-sandboxes.js';
export { defaultCommandFor, imageRepository } from './images.js';
export { processRuntimeSupport, type RuntimeSupport } from './support.js';
export { DEFAULT_CAPABILITIES } from './capabilities.js';
