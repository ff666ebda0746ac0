// The `health` scenario's server: @koa-fleet/health's own bench app (a hello-JSON Koa app, with
// `health({ metrics: true })` in front unless HEALTH=off), imported rather than copied so the
// scenario measures exactly the app the package's README names. It loads the built
// @koa-fleet/health (packages/health/dist) and prints `listening <port>` once it listens on PORT.
import '../../../packages/health/bench/hello-json.mjs';
