import { describe, expect, it } from 'vitest';
import { scenarios } from '../src/scenarios/index.js';

describe('the scenario registry', () => {
  it.each(scenarios.map((s) => [s.name, s] as const))(
    '%s names only its own contenders as baseline and in comparisons',
    (_, scenario) => {
      const names = scenario.contenders.map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
      expect(names).toContain(scenario.baseline);
      for (const { contender, against } of scenario.comparisons ?? []) {
        expect(names).toContain(contender);
        expect(names).toContain(against);
      }
    },
  );

  it('has the balancer scenario with nginx as baseline and its targets', () => {
    const balancer = scenarios.find((s) => s.name === 'balancer')!;
    expect(balancer.baseline).toBe('nginx');
    expect(balancer.contenders.map((c) => c.name)).toEqual([
      'direct',
      'nginx',
      'haproxy',
      'fastify-reply-from',
      'http-proxy',
      'koa-fleet',
      'koa-fleet-admin',
      'koa-fleet-2',
    ]);
    expect(balancer.comparisons).toEqual(
      expect.arrayContaining([
        { contender: 'koa-fleet', against: 'nginx', target: 0.65 },
        { contender: 'koa-fleet', against: 'fastify-reply-from', target: 1.5 },
        { contender: 'koa-fleet', against: 'http-proxy', target: 1.5 },
        { contender: 'koa-fleet', against: 'nginx', metric: 'p99', target: 1.5 },
        { contender: 'koa-fleet-admin', against: 'koa-fleet', target: 0.97 },
      ]),
    );
    expect(balancer.setup).toBeTypeOf('function');
  });
});
