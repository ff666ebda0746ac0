export { expectSameBuiltApi, exportNames, loadBuiltEntryPoints } from './built-entry-points.js';
export type { BuiltEntryPoints } from './built-entry-points.js';
export { describeWithHaproxy } from './describe-with-haproxy.js';
export { describeWithNginx } from './describe-with-nginx.js';
export {
  InvalidOptionError,
  MissingBinaryError,
  NetnsUnavailableError,
  StartupError,
  TestkitError,
  WaitTimeoutError,
} from './errors.js';
export { freePort, isPortFree } from './free-port.js';
export { httpRequest } from './http-request.js';
export type { HttpReply, HttpRequestOptions } from './http-request.js';
export { haproxyAvailable, haproxyBinary, requireHaproxy } from './haproxy-available.js';
export { startHaproxy } from './haproxy-server.js';
export type { HaproxyConfig, HaproxyServer } from './haproxy-server.js';
export { nginxAvailable, nginxBinary, requireNginx } from './nginx-available.js';
export type { Skippable } from './nginx-available.js';
export { startNginx } from './nginx-server.js';
export type { NginxConfig, NginxServer, StartNginxOptions } from './nginx-server.js';
export {
  ipBinary,
  netnsAvailable,
  netnsUnavailableReason,
  requireNetns,
} from './netns-available.js';
export { spawnNode } from './node-process.js';
export type { NodeProcess, SpawnNodeOptions } from './node-process.js';
export { startRedisCluster } from './redis-cluster.js';
export type { RedisClusterServer, StartRedisClusterOptions } from './redis-cluster.js';
export { startRedis } from './redis-server.js';
export type { RedisServer, StartRedisOptions } from './redis-server.js';
export { rawRequest, trickle } from './raw-request.js';
export type { RawReply, RawRequestOptions } from './raw-request.js';
export { runLoad } from './run-load.js';
export type { LoadResult, RunLoadOptions } from './run-load.js';
export { stopAll } from './internal/registry.js';
export type { ExitStatus } from './internal/supervised-child.js';
export { exampleFolder, packedTarballs } from './example-folder.js';
export type { ExampleFolder } from './example-folder.js';
export { mismatchWithSample, readReadme } from './readme.js';
export { describePackageReadme } from './readme-suite.js';
export type { Readme, ReadmeBlock } from './readme.js';
export { waitFor } from './wait-for.js';
