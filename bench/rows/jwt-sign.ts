/**
 * HS256 request signing of the JWT gateway: thaipay against the node:crypto limit, jose and
 * jsonwebtoken (what the gateway's document uses), all producing the same token.
 */
import { CompactSign, SignJWT } from 'jose';
import jwt from 'jsonwebtoken';
import { signJwtGatewayParams } from '../../src/jwt-gateway/signing';
import { API_KEY, DEPOSIT_PARAMS, rawHs256Sign, sortedCopy } from '../fixtures';
import { atLeast, compare, type Table } from '../harness';
import type { RowOptions } from './options';

const SECTION = 'HS256 sign (deposit params)';

/**
 * Measure this row group and add its lines to `table`.
 *
 * @example
 * ```ts
 * await jwtSignRows(table, rowOptions(process.argv.includes('--quick')));
 * ```
 */
export async function jwtSignRows(table: Table, options: RowOptions): Promise<void> {
  const params = DEPOSIT_PARAMS;
  // jose at its best: the key imported once, not per call.
  const joseKey = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(API_KEY),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const header = { alg: 'HS256', typ: 'JWT' };
  const candidates = [
    { label: 'thaipay', fn: () => signJwtGatewayParams(params, API_KEY) },
    { label: 'raw node:crypto', fn: () => rawHs256Sign(params, API_KEY) },
    {
      label: 'jose SignJWT',
      fn: () => new SignJWT(sortedCopy(params)).setProtectedHeader(header).sign(joseKey),
    },
    {
      label: 'jose CompactSign',
      fn: () =>
        new CompactSign(new TextEncoder().encode(JSON.stringify(sortedCopy(params))))
          .setProtectedHeader(header)
          .sign(joseKey),
    },
    {
      label: 'jsonwebtoken',
      fn: () => jwt.sign(sortedCopy(params), API_KEY, { algorithm: 'HS256', noTimestamp: true }),
      batch: options.scale(500),
    },
  ];

  // Every candidate must produce the very same token, or the comparison means nothing.
  const expected = rawHs256Sign(params, API_KEY);
  for (const candidate of candidates) {
    const token = await candidate.fn();
    if (token !== expected) throw new Error(`${SECTION}: ${candidate.label} made a different token`);
  }

  const result = await compare(SECTION, candidates, { batch: options.scale(10_000), rounds: options.rounds });
  table.ratio(SECTION, result, 'thaipay', 'raw node:crypto', atLeast(0.5));
  table.ratio(SECTION, result, 'thaipay', 'jsonwebtoken', atLeast(20));
  table.ratio(SECTION, result, 'thaipay', 'jose SignJWT');
  table.ratio(SECTION, result, 'thaipay', 'jose CompactSign');
}
