import { describeWithNginx } from '@koa-fleet/testkit';
import { exportedEngineSuite } from './support/exported-engine-suite.js';

describeWithNginx('koa-fleet-balancer export nginx, run by nginx', () => {
  exportedEngineSuite('nginx');
});
