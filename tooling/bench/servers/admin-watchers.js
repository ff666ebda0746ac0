// What watches koa-fleet-admin's admin listener (argv[2], its URL) during a run: one subscriber
// on /api/v1/events, reading every event, and a scrape of /metrics every second. Tells its parent
// once the first event came; a scrape or the stream failing ends it (so the run fails, instead of
// measuring a balancer nobody watches).
import { get } from 'node:http';

const base = process.argv[2];
let events = 0;

const stream = get(`${base}/api/v1/events`, (res) => {
  if (res.statusCode !== 200) fail(`/api/v1/events answered ${res.statusCode}`);
  res.setEncoding('utf8');
  res.on('data', (chunk) => {
    if (events === 0) process.send?.('watching');
    events += chunk.split('\n\n').length - 1;
  });
  res.on('end', () => fail('the event stream ended'));
});
stream.on('error', (error) => fail(`the event stream failed: ${error.message}`));

setInterval(() => {
  get(`${base}/metrics`, (res) => {
    if (res.statusCode !== 200) fail(`/metrics answered ${res.statusCode}`);
    res.resume();
  }).on('error', (error) => fail(`a /metrics scrape failed: ${error.message}`));
}, 1_000);

// The balancer's stop signals the whole group: leave quietly then.
process.on('SIGTERM', () => process.exit(0));
process.on('disconnect', () => process.exit(0));

function fail(why) {
  console.error(`admin watchers: ${why}`);
  process.exit(1);
}
