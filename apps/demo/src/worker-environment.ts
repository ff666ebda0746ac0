/** How the primary hands its `--redis-url` to the workers: they inherit its environment. */
export const REDIS_URL_VARIABLE = 'KOA_FLEET_DEMO_REDIS_URL';
