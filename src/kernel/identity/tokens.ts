import { hash, randomBytes } from 'node:crypto';

/** A random token for a cookie or a link, and the hash we store instead of it. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

/** SHA-256 in hex; one-shot `hash` (run on every signed-in request) costs less than a Hash object. */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}
