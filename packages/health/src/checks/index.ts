import { eventLoopDelayCheck } from './event-loop.js';
import { memoryCheck } from './memory.js';
import { redisCheck } from './redis.js';

/** Built-in checks: `checks.redis(client)`, `checks.eventLoopDelay()`, `checks.memory()`. */
export const checks = {
  redis: redisCheck,
  eventLoopDelay: eventLoopDelayCheck,
  memory: memoryCheck,
} as const;
