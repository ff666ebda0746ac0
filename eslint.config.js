export { default } from '@koa-fleet/tooling/eslint';
