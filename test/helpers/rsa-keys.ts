/**
 * Committed 2048-bit RSA key pairs for tests (test/fixtures/keys/test-only-rsa-N.pem, TEST ONLY), in place
 * of `generateKeyPairSync('rsa', { modulusLength: 2048 })`: each generation costs 0.15 to 0.3 s of CPU, and
 * the suite used to make over a hundred. Tests about key generation itself still generate.
 *
 * Numbers 1 to 7 are fixed roles of the shared test helpers (so no two of them are ever the same key, even
 * when test files share one module registry); 8 to 12 are handed out in turn by {@link nextTestRsaKeyPair}.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** What `generateKeyPairSync('rsa', …)` returns without encodings: two KeyObjects. */
export interface TestRsaKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const cache = new Map<number, TestRsaKeyPair>();

/**
 * The committed TEST ONLY key pair number `n` (1 to 12).
 *
 * @example
 * ```ts
 * const { privateKey, publicKey } = testRsaKeyPair(1);
 * ```
 */
export function testRsaKeyPair(n: number): TestRsaKeyPair {
  const known = cache.get(n);
  if (known) return known;
  if (!Number.isInteger(n) || n < 1 || n > 12) throw new RangeError(`no test RSA key ${n} (1 to 12)`);
  const pem = readFileSync(new URL(`../fixtures/keys/test-only-rsa-${n}.pem`, import.meta.url), 'utf8');
  const privateKey = createPrivateKey(pem);
  const pair = { privateKey, publicKey: createPublicKey(privateKey) };
  cache.set(n, pair);
  return pair;
}

/**
 * A committed TEST ONLY key of another kind: `'rsa-3072'` (a 3072-bit RSA key) or `'rsa-pss'` (a 2048-bit
 * RSA-PSS key), whose generation costs a second or more.
 *
 * @example
 * ```ts
 * const { privateKey } = testKeyPairOfKind('rsa-3072');
 * ```
 */
export function testKeyPairOfKind(kind: 'rsa-3072' | 'rsa-pss'): TestRsaKeyPair {
  const pem = readFileSync(new URL(`../fixtures/keys/test-only-${kind}.pem`, import.meta.url), 'utf8');
  const privateKey = createPrivateKey(pem);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

let turn = 0;

/**
 * The next of keys 8 to 12, in turn: five calls in a row give five different keys, for helpers that make
 * "a fresh pair" per call (a test file asks for at most three).
 *
 * @example
 * ```ts
 * const platform = nextTestRsaKeyPair();
 * const stranger = nextTestRsaKeyPair(); // a different key
 * ```
 */
export function nextTestRsaKeyPair(): TestRsaKeyPair {
  turn = (turn % 5) + 1;
  return testRsaKeyPair(7 + turn);
}
