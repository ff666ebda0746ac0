// @ts-check
import { availableParallelism } from 'node:os';

/**
 * The demo's settings, from the environment. Invalid values stop the demo with a message naming
 * the variable, as every koa-fleet option does.
 */
export function readConfig(env = process.env) {
  return {
    port: integer(env, 'PORT', 3000, 0, 65_535),
    host: env.HOST ?? '127.0.0.1',
    workers: integer(env, 'WORKERS', Math.min(availableParallelism(), 4), 1, 64),
    redisUrl: env.REDIS_URL || undefined,
  };
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} name
 * @param {number} fallback
 * @param {number} min
 * @param {number} max
 */
function integer(env, name, fallback, min, max) {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `environment variable ${name} must be an integer from ${min} to ${max}, got "${text}"`,
    );
  }
  return value;
}
