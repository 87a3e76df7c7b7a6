/**
 * JWT gateway callback verification: thaipay against a jsonwebtoken-based check (jwt.verify then
 * comparing the fields, as a merchant following the document would write it), jose, and the
 * node:crypto limit. Every candidate parses the raw body text and checks every field.
 */
import { jwtVerify } from 'jose';
import jwt from 'jsonwebtoken';
import { verifyJwtGatewayCallback } from '../../src/jwt-gateway/webhooks';
import { API_KEY, callbackBody, checkSignedFields, rawVerifyCallback } from '../fixtures';
import { atLeast, compare, type Table } from '../harness';
import type { RowOptions } from './options';

const SECTION = 'Callback verify (HS256)';

/**
 * Measure this row group and add its lines to `table`.
 *
 * @example
 * ```ts
 * await jwtVerifyRows(table, rowOptions(process.argv.includes('--quick')));
 * ```
 */
export async function jwtVerifyRows(table: Table, options: RowOptions): Promise<void> {
  const body = callbackBody();
  const joseKey = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(API_KEY),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  const candidates = [
    { label: 'thaipay', fn: () => verifyJwtGatewayCallback(body, { apiKey: API_KEY }) },
    { label: 'raw node:crypto', fn: () => rawVerifyCallback(body, API_KEY) },
    {
      label: 'jose jwtVerify',
      fn: async () => {
        const fields = JSON.parse(body) as Record<string, unknown>;
        const { payload } = await jwtVerify(String(fields.signature), joseKey, { algorithms: ['HS256'] });
        checkSignedFields(fields, payload);
        return fields;
      },
    },
    {
      label: 'jsonwebtoken',
      fn: () => {
        const fields = JSON.parse(body) as Record<string, unknown>;
        const payload = jwt.verify(String(fields.signature), API_KEY, { algorithms: ['HS256'] });
        checkSignedFields(fields, payload as Record<string, unknown>);
        return fields;
      },
      batch: options.scale(500),
    },
  ];

  // Every candidate must accept the genuine callback (and so do the same work).
  for (const candidate of candidates) await candidate.fn();

  const result = await compare(SECTION, candidates, { batch: options.scale(10_000), rounds: options.rounds });
  table.ratio(SECTION, result, 'thaipay', 'jsonwebtoken', atLeast(5));
  table.ratio(SECTION, result, 'thaipay', 'raw node:crypto');
  table.ratio(SECTION, result, 'thaipay', 'jose jwtVerify');
}
