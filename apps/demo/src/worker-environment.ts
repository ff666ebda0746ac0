/** How the primary hands its `--redis-url` to the workers: they inherit its environment. */
export const REDIS_URL_VARIABLE = 'KOA_FLEET_DEMO_REDIS_URL';
/** With `--hosts`, the name of the host (fleet) a worker belongs to: `host-1`, `host-2`, … */
export const HOST_NAME_VARIABLE = 'KOA_FLEET_DEMO_HOST';
