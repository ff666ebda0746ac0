export interface LoadProgress {
  sent: number;
  failed: number;
  secondsLeft: number;
}

const CONCURRENCY = 6; // a browser's connections per host over HTTP/1.1

/**
 * A bounded load from the page: `seconds` of GET requests to the balancer, CONCURRENCY at a
 * time, as fast as they come back. `no-cors`, since the balancer is another origin (another
 * port): the answers are opaque, and the balancer's own stats show where they went.
 */
export async function runBrowserLoad(
  url: string,
  seconds: number,
  progress: (now: LoadProgress) => void,
): Promise<LoadProgress> {
  const until = performance.now() + seconds * 1_000;
  const now: LoadProgress = { sent: 0, failed: 0, secondsLeft: seconds };
  const timer = window.setInterval(() => {
    now.secondsLeft = Math.max(0, Math.ceil((until - performance.now()) / 1_000));
    progress({ ...now });
  }, 250);
  const loop = async () => {
    while (performance.now() < until) {
      try {
        await fetch(url, { mode: 'no-cors', cache: 'no-store' });
        now.sent++;
      } catch {
        now.failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  window.clearInterval(timer);
  now.secondsLeft = 0;
  progress({ ...now });
  return now;
}
