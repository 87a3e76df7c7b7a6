/**
 * The source files of the consumer project `consumers.test.ts` builds around the packed tarball. They are
 * strings, not files of this repository, because they import `thaipay` by name, which only resolves inside
 * the consumer.
 *
 * Each consumer loads every entry, checks a little of each at run time (HS256 against the fixed vector,
 * one error class shared by all entries, a bank, a PromptPay payload) and prints the results as JSON.
 * Its types are checked too: a `@ts-expect-error` on a wrong call fails the compile if an entry's types
 * resolve to `any` (or to nothing).
 */

/** Body shared by both module systems, after the entries are bound to these names. */
const SHARED_BODY = `
interface Vectors {
  hs256: { apiKey: string; cases: { params: Record<string, unknown>; jwt: string }[] };
}
const vectors = JSON.parse(fs.readFileSync(process.env.THAIPAY_VECTORS ?? '', 'utf8')) as Vectors;

// Typed uses: these lines fail to compile if a declaration is missing or wrong.
const status: root.PaymentStatus = 'succeeded';
const client: jwtGateway.JwtGatewayClient = new jwtGateway.JwtGatewayClient({
  baseUrl: 'https://gateway.example/api/v1',
  merchantId: 'M-1',
  apiKey: 'k',
});
const bank: banks.Bank | undefined = banks.getBank('KBANK');
const store: redis.RedisDedupeStoreOptions | undefined = undefined;
const sandbox: testing.Sandbox | undefined = undefined;
// Never called; only compiled.
export function typeProbe(): unknown {
  // @ts-expect-error the API key must be a string: proves the entry's types are real, not any.
  return jwtGateway.signJwtGatewayParams({ a: 1 }, 42);
}

async function main(): Promise<Record<string, unknown>> {
  const vector = vectors.hs256.cases[0]!;
  const token: string = await jwtGateway.signJwtGatewayParams(vector.params, vectors.hs256.apiKey);
  const payload = qr.buildPromptPayPayload({ target: { type: 'mobile', value: '0812345678' }, amount: 100 });
  return {
    hs256: token === vector.jwt,
    oneErrorClass: [jwtGateway, thbCollect, banks, qr, redis, postgres].every((m) => m.ThaiPayError === root.ThaiPayError),
    signString: thbCollect.thbSignString({ b: '2', a: '1' }, 'k') === 'a=1&b=2&key=k',
    bank: bank?.code === 'KBANK',
    promptPay: qr.parsePromptPayPayload(payload).amountSatang === 10000,
    status: root.isFinalStatus(status),
    client: typeof client.getBalance === 'function',
    sandbox: typeof testing.createSandbox === 'function' && sandbox === undefined,
    redis: typeof redis.createRedisDedupeStore === 'function' && store === undefined,
    postgres: typeof postgres.createPostgresInbox === 'function',
  };
}
`;

/** ESM: `import` every entry (`esm.mts`, run as `esm.mjs` after tsc). */
export const ESM_CONSUMER = `import * as fs from 'node:fs';
import * as root from 'thaipay';
import * as banks from 'thaipay/banks';
import * as jwtGateway from 'thaipay/jwt-gateway';
import * as postgres from 'thaipay/postgres';
import * as qr from 'thaipay/qr';
import * as redis from 'thaipay/redis';
import * as testing from 'thaipay/testing';
import * as thbCollect from 'thaipay/thb-collect';
${SHARED_BODY}
console.log(JSON.stringify(await main()));
`;

/** CommonJS: \`require\` every entry (\`cjs.cts\`, run as \`cjs.cjs\` after tsc). */
export const CJS_CONSUMER = `import fs = require('node:fs');
import root = require('thaipay');
import banks = require('thaipay/banks');
import jwtGateway = require('thaipay/jwt-gateway');
import postgres = require('thaipay/postgres');
import qr = require('thaipay/qr');
import redis = require('thaipay/redis');
import testing = require('thaipay/testing');
import thbCollect = require('thaipay/thb-collect');
${SHARED_BODY}
main().then((result) => console.log(JSON.stringify(result)));
`;

const COMMON_OPTIONS = {
  target: 'ES2022',
  strict: true,
  // The shipped declarations are checked, not skipped.
  skipLibCheck: false,
  types: ['node'],
  lib: ['ES2022'],
};

/** node16: tsc emits `esm.mjs` and `cjs.cjs`, which Node then runs. */
export const TSCONFIG_NODE16 = {
  compilerOptions: { ...COMMON_OPTIONS, module: 'node16', moduleResolution: 'node16', outDir: 'out' },
  files: ['esm.mts', 'cjs.cts'],
};

/** bundler: type-check only, as an app built by a bundler would (`module: preserve` keeps `require`). */
export const TSCONFIG_BUNDLER = {
  compilerOptions: { ...COMMON_OPTIONS, module: 'preserve', moduleResolution: 'bundler', noEmit: true },
  files: ['esm.mts', 'cjs.cts'],
};
