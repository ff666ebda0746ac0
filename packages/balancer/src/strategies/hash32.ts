/**
 * A fast 32-bit string hash for the consistent-hash ring: FNV-1a over the UTF-16 code units,
 * then murmur3's finaliser, which spreads FNV's weak low bits so nearby keys (`10.0.0.1`,
 * `10.0.0.2`) land far apart on the ring. Not for anything an attacker must not predict.
 */
export function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
