/**
 * Every diagnosis of the JWT gateway debugger, each on a case built here: the "provider" signature is
 * made with jsonwebtoken (or node:crypto for bytes jsonwebtoken cannot write), never with the SDK.
 */
import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import {
  type Explanation,
  explainJwtCallback,
  explainJwtSignature,
  formatExplanation,
  jwtPayloadVariant,
} from '../../src/cli/explain';
import { InvalidRequestError } from '../../src/core/errors';
import { jwtGatewayPayload } from '../../src/jwt-gateway/signing';
import { verifyJwtGatewayCallback } from '../../src/jwt-gateway/webhooks';
import { providerJwt, providerJwtOfText, run } from './helpers';

const apiKey = 'test-api-key-7f3a9c2d';

const deposit = {
  merchantId: 'M1',
  transactionId: 'T1',
  bankAccountNumber: '1234567890',
  bankName: 'KBANK',
  name: 'John Doe',
  amount: 1000,
  callbackUrl: 'https://shop.example/cb?x=1',
  type: 'QR',
  timestamp: 1640995200,
};

const signature = providerJwt(deposit, apiKey);

/** Explain, and check that no explanation ever repeats the key. */
async function explain(
  params: Record<string, unknown>,
  sig: string | undefined,
  key: string | null = apiKey,
): Promise<Explanation> {
  const explanation = await explainJwtSignature({
    params,
    ...(sig === undefined ? {} : { signature: sig }),
    ...(key === null ? {} : { apiKey: key }),
  });
  if (key) expect(formatExplanation(explanation)).not.toContain(key.trim());
  return explanation;
}

function expectCause(explanation: Explanation, code: string, field?: string): void {
  expect(explanation.verdict).toBe('cause-found');
  expect(explanation.exitCode).toBe(1);
  expect(explanation.findings[0]?.code).toBe(code);
  if (field !== undefined) expect(explanation.findings[0]?.field).toBe(field);
  expect(explanation.summary.startsWith('Most likely: ')).toBe(true);
}

/** A token with any header and payload text, HMAC'd with node:crypto. */
function handMadeToken(header: string, payload: string, key: string): string {
  const input = `${Buffer.from(header).toString('base64url')}.${Buffer.from(payload).toString('base64url')}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

describe('explainJwtSignature: a correct signature', () => {
  it('says so with exit 0, reading the signature from the body', async () => {
    const explanation = await explain({ ...deposit, signature }, undefined);
    expect(explanation.verdict).toBe('correct');
    expect(explanation.exitCode).toBe(0);
    expect(explanation.findings).toEqual([]);
    expect(explanation.summary).toMatch(/^The signature is correct/);
  });

  it('builds the same payload as the SDK for the unchanged parameters', () => {
    expect(jwtPayloadVariant(deposit, {})).toBe(jwtGatewayPayload(deposit));
    expect(jwtPayloadVariant({ b: 1, 10: 'x', 2: 'y', a: 'é' }, {})).toBe(
      jwtGatewayPayload({ b: 1, 10: 'x', 2: 'y', a: 'é' }),
    );
  });
});

describe('explainJwtSignature: the signed content', () => {
  it('a number sent as a string, in the plain sentence the user reads first', async () => {
    const explanation = await explain({ ...deposit, amount: '1000' }, signature);
    expectCause(explanation, 'number-sent-as-string', 'amount');
    expect(explanation.summary).toBe(
      'Most likely: the amount was signed as the number 1000 but sent as the string "1000".',
    );
  });

  it('a string sent as a number (the withdrawal timestamp is a string)', async () => {
    const withdrawal = { agent_order_no: 'W1', amount: 1000, timestamp: '1640995200' };
    const explanation = await explain(
      { ...withdrawal, timestamp: 1640995200 },
      providerJwt(withdrawal, apiKey),
    );
    expectCause(explanation, 'string-sent-as-number', 'timestamp');
    expect(explanation.summary).toContain(
      'signed as the string "1640995200" but sent as the number 1640995200',
    );
  });

  it('a field added after signing', async () => {
    const explanation = await explain({ ...deposit, remark: 'gift' }, signature);
    expectCause(explanation, 'field-added', 'remark');
    expect(explanation.summary).toContain('remark was sent but not signed');
  });

  it('a field signed but not sent', async () => {
    const { bankName: _dropped, ...withoutBank } = deposit;
    const explanation = await explain(withoutBank, signature);
    expectCause(explanation, 'field-missing', 'bankName');
    expect(explanation.summary).toContain('bankName was signed (as the string "KBANK") but not sent');
  });

  it('an empty field left out of the signature (the gateway signs empty strings)', async () => {
    const { name: _empty, ...signedWithoutName } = deposit;
    const explanation = await explain({ ...deposit, name: '' }, providerJwt(signedWithoutName, apiKey));
    expectCause(explanation, 'empty-field-omitted', 'name');
    expect(explanation.summary).toContain('signs empty strings too');
  });

  it('an empty field signed but not sent', async () => {
    const explanation = await explain(deposit, providerJwt({ ...deposit, remark: '' }, apiKey));
    expectCause(explanation, 'field-missing', 'remark');
    expect(explanation.summary).toContain('empty field remark was signed but not sent');
  });

  it('the signature field included in the signed parameters', async () => {
    const explanation = await explain(deposit, providerJwt({ ...deposit, signature: '' }, apiKey));
    expectCause(explanation, 'signature-field-signed', 'signature');
  });

  it('an older signature left in the parameters and signed over', async () => {
    const old = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.old';
    const fresh = providerJwt({ ...deposit, signature: old }, apiKey);
    const explanation = await explain({ ...deposit, signature: old }, fresh);
    expectCause(explanation, 'signature-field-signed', 'signature');
  });

  it('a different timestamp, naming both values and the gap', async () => {
    const explanation = await explain({ ...deposit, timestamp: 1640995260 }, signature);
    expectCause(explanation, 'timestamp', 'timestamp');
    expect(explanation.summary).toContain('1640995200 (2022-01-01T00:00:00Z)');
    expect(explanation.summary).toContain('1640995260');
    expect(explanation.summary).toContain('60 s later');
  });

  it('several fields that differ are all named', async () => {
    const explanation = await explain({ ...deposit, timestamp: 1640995100, name: 'Jane Roe' }, signature);
    expect(explanation.verdict).toBe('cause-found');
    expect(explanation.summary).toBe(
      'Most likely: 2 fields differ between what was signed and what was sent: name and timestamp.',
    );
    expect(explanation.findings.map((f) => [f.code, f.field])).toEqual([
      ['value-differs', 'name'],
      ['timestamp', 'timestamp'],
    ]);
    expect(explanation.findings[1]?.sentence).toContain('100 s earlier');
  });

  it('amount formatting of a string: "300" signed, "300.00" sent', async () => {
    const withdrawal = { agent_order_no: 'W1', amount: '300', timestamp: '1640995200' };
    const explanation = await explain({ ...withdrawal, amount: '300.00' }, providerJwt(withdrawal, apiKey));
    expectCause(explanation, 'amount-format', 'amount');
    expect(explanation.summary).toContain('signed as "300" but sent as "300.00"');
  });

  it('amount formatting of a number: 1000.00 signed (a PHP or Python float), 1000 sent', async () => {
    const text = jwtGatewayPayload(deposit).replace('"amount":1000', '"amount":1000.00');
    const explanation = await explain(deposit, providerJwtOfText(text, apiKey));
    expectCause(explanation, 'amount-format', 'amount');
    expect(explanation.summary).toContain('signed as 1000.00');
  });

  it('a value URL-encoded before signing', async () => {
    const explanation = await explain(
      deposit,
      providerJwt({ ...deposit, callbackUrl: encodeURIComponent(deposit.callbackUrl) }, apiKey),
    );
    expectCause(explanation, 'url-encoded', 'callbackUrl');
  });

  it('every value URL-encoded (encodeURIComponent) before signing', async () => {
    const encoded = Object.fromEntries(
      Object.entries(deposit).map(([k, v]) => [k, typeof v === 'string' ? encodeURIComponent(v) : v]),
    );
    const explanation = await explain(deposit, providerJwt(encoded, apiKey));
    expectCause(explanation, 'url-encoded');
    expect(explanation.summary).toContain('encodeURIComponent');
  });

  it('values form-encoded before signing ("+" for spaces)', async () => {
    const explanation = await explain(deposit, providerJwt({ ...deposit, name: 'John+Doe' }, apiKey));
    expectCause(explanation, 'form-encoded', 'name');
  });

  it('values sent URL-encoded but signed plain', async () => {
    const explanation = await explain({ ...deposit, name: 'John%20Doe' }, signature);
    expectCause(explanation, 'url-decoded', 'name');
  });

  it('an iat claim added by jsonwebtoken without noTimestamp', async () => {
    const sorted = JSON.parse(jwtGatewayPayload(deposit));
    const explanation = await explain(deposit, jwt.sign(sorted, apiKey, { algorithm: 'HS256' }));
    expectCause(explanation, 'iat-added', 'iat');
  });

  it('another JSON writer: Python separators', async () => {
    const python = jwtGatewayPayload(deposit).replace(/":/g, '": ').replace(/,"/g, ', "');
    const explanation = await explain(deposit, providerJwtOfText(python, apiKey));
    expectCause(explanation, 'json-spacing');
  });

  it('another JSON writer: PHP escaping "/"', async () => {
    const php = jwtGatewayPayload(deposit).replace(/\//g, '\\/');
    const explanation = await explain(deposit, providerJwtOfText(php, apiKey));
    expectCause(explanation, 'json-escaping');
  });

  it('two mistakes at once: unsorted keys and the amount as a string', async () => {
    const unsorted = jwt.sign({ ...deposit, amount: '1000' }, apiKey, {
      algorithm: 'HS256',
      noTimestamp: true,
    });
    const explanation = await explain(deposit, unsorted);
    expectCause(explanation, 'two-mistakes');
    expect(explanation.findings[0]?.parts?.sort()).toEqual(['key-order-unsorted', 'string-sent-as-number']);
  });

  it('a value that simply differs', async () => {
    const explanation = await explain({ ...deposit, bankName: 'SCB' }, signature);
    expectCause(explanation, 'value-differs', 'bankName');
    expect(explanation.summary).toContain('signed the string "KBANK", sent the string "SCB"');
  });
});

describe('explainJwtSignature: key order', () => {
  it('unsorted: signed in insertion order (jsonwebtoken on the raw params)', async () => {
    const explanation = await explain(
      deposit,
      jwt.sign(deposit, apiKey, { algorithm: 'HS256', noTimestamp: true }),
    );
    expectCause(explanation, 'key-order-unsorted');
  });

  // Code-unit: Bank, a1, a_b, amount. localeCompare: a_b, a1, amount, Bank. Case-insensitive: a1, a_b, amount, Bank.
  const params = { amount: 1, Bank: 'x', a_b: 'y', a1: 'z' };
  const signInOrder = (keys: string[]): string => {
    const ordered: Record<string, unknown> = {};
    for (const key of keys) ordered[key] = params[key as keyof typeof params];
    return jwt.sign(ordered, apiKey, { algorithm: 'HS256', noTimestamp: true });
  };

  it('localeCompare', async () => {
    const keys = Object.keys(params).sort((a, b) => a.localeCompare(b));
    expectCause(await explain(params, signInOrder(keys)), 'key-order-locale');
  });

  it('case-insensitive', async () => {
    const keys = Object.keys(params).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
    expectCause(await explain(params, signInOrder(keys)), 'key-order-case-insensitive');
  });
});

describe('explainJwtSignature: the key and the token', () => {
  it('a wrong key', async () => {
    const explanation = await explain(deposit, providerJwt(deposit, 'another-merchants-key'));
    expectCause(explanation, 'wrong-key');
  });

  it.each([
    ['a trailing newline', `${apiKey}\n`, 'followed by a newline'],
    ['a CRLF', `${apiKey}\r\n`, 'CRLF'],
    ['a trailing space', `${apiKey} `, 'followed by a space'],
    ['double quotes', `"${apiKey}"`, 'double quotes'],
    ['single quotes', `'${apiKey}'`, 'single quotes'],
    ['an escaped \\n', `${apiKey}\\n`, 'literal "\\n"'],
  ])('a whitespace-damaged key on the signer side: %s', async (_name, damaged, words) => {
    const explanation = await explain(deposit, providerJwt(deposit, damaged));
    expectCause(explanation, 'key-whitespace');
    expect(explanation.summary).toContain(words);
  });

  it('a whitespace-damaged key on the user side (a trailing newline from a file)', async () => {
    const explanation = await explain(deposit, signature, `${apiKey}\n`);
    expectCause(explanation, 'key-whitespace');
    expect(explanation.summary).toContain('you gave has whitespace around it');
  });

  it('a key used as Base64 bytes by the signer', async () => {
    const base64Key = 'c2VjcmV0LWtleS0xMjM0NTY3ODk=';
    const explanation = await explain(
      deposit,
      providerJwt(deposit, Buffer.from(base64Key, 'base64')),
      base64Key,
    );
    expectCause(explanation, 'key-whitespace');
    expect(explanation.summary).toContain('Base64-decoded bytes');
  });

  it('another algorithm', async () => {
    const sorted = JSON.parse(jwtGatewayPayload(deposit));
    const explanation = await explain(
      deposit,
      jwt.sign(sorted, apiKey, { algorithm: 'HS512', noTimestamp: true }),
    );
    expectCause(explanation, 'algorithm');
    expect(explanation.summary).toContain('"HS512"');
  });

  it("a header other than jsonwebtoken's", async () => {
    const token = handMadeToken('{"typ":"JWT","alg":"HS256"}', jwtGatewayPayload(deposit), apiKey);
    const explanation = await explain(deposit, token);
    expectCause(explanation, 'header-differs');
  });

  it('not a JWT at all', async () => {
    expectCause(await explain(deposit, 'not-a-token!'), 'not-a-jwt');
    expectCause(await explain(deposit, 'e30.e30'), 'not-a-jwt');
  });
});

describe('explainJwtSignature: without the whole token or the key', () => {
  const mac = signature.split('.')[2]!;

  it('checks a bare HMAC part as correct', async () => {
    const explanation = await explain(deposit, mac);
    expect(explanation.verdict).toBe('correct');
  });

  it('finds the mistake behind a bare HMAC part by signing each variant', async () => {
    const explanation = await explain({ ...deposit, amount: '1000' }, mac);
    expectCause(explanation, 'number-sent-as-string', 'amount');
    expect(explanation.details.join('\n')).toContain('"amount":1000,');
  });

  it('finds a damaged key behind a bare HMAC part', async () => {
    const damaged = providerJwt(deposit, `${apiKey}\n`).split('.')[2]!;
    expectCause(await explain(deposit, damaged), 'key-whitespace');
  });

  it('answers exit 2 when nothing reproduces a bare HMAC part', async () => {
    const unrelated = providerJwt({ something: 'else' }, apiKey).split('.')[2]!;
    const explanation = await explain(deposit, unrelated);
    expect(explanation.verdict).toBe('no-cause');
    expect(explanation.exitCode).toBe(2);
    expect(explanation.summary).toMatch(/^No known mistake/);
  });

  it('needs the key for a bare HMAC part', async () => {
    await expect(explain(deposit, mac, null)).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('without a key, compares the payload and says the HMAC was not checked', async () => {
    const same = await explain(deposit, signature, null);
    expect(same.verdict).toBe('no-cause');
    expect(same.exitCode).toBe(2);
    expect(same.notes.join(' ')).toContain('HMAC was not checked');
    const differs = await explain({ ...deposit, amount: '1000' }, signature, null);
    expectCause(differs, 'number-sent-as-string', 'amount');
  });

  it('refuses to run without any signature', async () => {
    await expect(explain(deposit, undefined)).rejects.toThrow(/signature/);
  });
});

describe('explainJwtCallback: a received callback, judged by verifyJwtGatewayCallback', () => {
  const fields = {
    order_no: 'DP1640995200ABC123',
    agent_order_no: 'T1',
    type: 'deposit',
    amount: 1000,
    fee: 5,
    transfer_amount: 995,
    actual_amount: 995,
    status: 'completed',
    timestamp: '1640995380',
  };
  const at = 1640995380;
  const now = new Date(at * 1000);
  const token = (payload: Record<string, unknown>, key: string | Buffer = apiKey): string =>
    jwt.sign(payload, key, { algorithm: 'HS256', noTimestamp: !Object.hasOwn(payload, 'iat') });

  async function explainCallback(
    body: Record<string, unknown>,
    options: Parameters<typeof explainJwtCallback>[0]['options'] = {},
    key = apiKey,
  ): Promise<Explanation> {
    const explanation = await explainJwtCallback({
      body: JSON.stringify(body),
      apiKey: key,
      options: { now, ...options },
    });
    const text = formatExplanation(explanation);
    expect(text).not.toContain(key.trim());
    // The verdict is the verifier's: exit 0 exactly when it accepts the body.
    const accepted = await verifyJwtGatewayCallback(JSON.stringify(body), {
      apiKey: key,
      now,
      ...options,
    }).then(
      () => true,
      () => false,
    );
    expect(explanation.verdict === 'correct').toBe(accepted);
    return explanation;
  }

  it("the document's callback verifies: exit 0", async () => {
    const explanation = await explainCallback({ ...fields, signature: providerJwt(fields, apiKey) });
    expect(explanation).toEqual({
      verdict: 'correct',
      exitCode: 0,
      summary:
        'The callback verifies: an HS256 token made with this API key that signs the order ids, status and amount, agrees with every body field it shares, and is in time.',
      findings: [],
      notes: [],
      details: [`Signed payload (decoded from the token): ${jwtGatewayPayload(fields)}`],
    });
  });

  it('iat is no cause, and body fields outside the token are noted, never blamed', async () => {
    const { timestamp: _t, ...untimed } = fields;
    const signature = token({ ...untimed, iat: at - 5 });
    const explanation = await explainCallback({ ...fields, remark: 'gift', signature });
    expect(explanation.verdict).toBe('correct');
    expect(explanation.findings).toEqual([]);
    expect(explanation.notes).toEqual([
      'Body fields the token does not sign, set apart in callback.unsigned (they decide nothing, and are not a cause): timestamp and remark.',
    ]);
  });

  it('a wrong key', async () => {
    const explanation = await explainCallback({
      ...fields,
      signature: token(fields, 'another-merchants-key'),
    });
    expectCause(explanation, 'wrong-key');
    expect(explanation.findings).toHaveLength(1);
    expect(explanation.details).toContain(
      'Refused by verifyJwtGatewayCallback: Callback signature was not made with the API key (wrong key, or the token was altered).',
    );
  });

  it('a key with a trailing newline on the signer side', async () => {
    const explanation = await explainCallback({ ...fields, signature: token(fields, `${apiKey}\n`) });
    expectCause(explanation, 'key-whitespace');
    expect(explanation.summary).toContain('followed by a newline');
  });

  it("a token whose payload was edited after signing (the body's fields carry the MAC)", async () => {
    const genuine = providerJwt(fields, apiKey);
    const [header, , mac] = genuine.split('.');
    const edited = Buffer.from(jwtGatewayPayload({ ...fields, amount: 100000 })).toString('base64url');
    const explanation = await explainCallback({ ...fields, signature: `${header}.${edited}.${mac}` });
    expectCause(explanation, 'token-altered');
  });

  it('a body field that differs from the signed one', async () => {
    const explanation = await explainCallback({
      ...fields,
      amount: 100000,
      signature: providerJwt(fields, apiKey),
    });
    expectCause(explanation, 'body-field-differs', 'amount');
    expect(explanation.summary).toBe(
      "Most likely: the body's amount (the number 100000) differs from the amount the token signs (the number 1000): a field both carry must be equal, so the body was changed after the gateway signed it.",
    );
  });

  it('several body fields that differ are all named, the verifier asked once per field', async () => {
    const explanation = await explainCallback({
      ...fields,
      status: 'failed',
      amount: '1000',
      signature: providerJwt(fields, apiKey),
    });
    expect(explanation.findings.map((f) => [f.code, f.field])).toEqual([
      ['body-field-differs', 'amount'],
      ['body-field-differs', 'status'],
    ]);
    expect(explanation.findings[0]?.sentence).toContain('the same number, but a string in the body');
    expect(explanation.summary).toBe(
      'Most likely: 2 body fields differ from the signed ones: amount and status; a field both carry must be equal, so the body was changed after the gateway signed it.',
    );
  });

  it('unsigned status: the token must sign the ids, status and amount', async () => {
    const { status: _s, ...withoutStatus } = fields;
    const explanation = await explainCallback({ ...fields, signature: token(withoutStatus) });
    expectCause(explanation, 'unsigned-required', 'status');
    expect(explanation.summary).toBe(
      'Most likely: the token does not sign status (the body carries it, outside the token): the order ids, status and amount must be inside the signed token, or anyone on the path could change them.',
    );
  });

  it('an expired exp, accepted within --tolerance', async () => {
    const body = { ...fields, signature: token({ ...fields, exp: at - 60 }) };
    const explanation = await explainCallback(body);
    expectCause(explanation, 'token-expired', 'exp');
    expect(explanation.summary).toBe(
      'Most likely: the token expired at 2022-01-01T00:02:00Z (its signed exp), 60 s before the time it was checked (2022-01-01T00:03:00Z): check a saved callback at the time it arrived (--now), or allow clock skew (--tolerance).',
    );
    expect((await explainCallback(body, { toleranceSeconds: 60 })).verdict).toBe('correct');
  });

  it('a future nbf', async () => {
    const explanation = await explainCallback({ ...fields, signature: token({ ...fields, nbf: at + 30 }) });
    expectCause(explanation, 'token-not-yet-valid', 'nbf');
    expect(explanation.summary).toContain(
      'not valid before 2022-01-01T00:03:30Z (its signed nbf), 30 s after',
    );
  });

  it('no signed timestamp: refused unless requireTimestamp is false', async () => {
    const { timestamp: _t, ...untimed } = fields;
    const body = { ...fields, signature: token(untimed) };
    const explanation = await explainCallback(body);
    expectCause(explanation, 'no-signed-timestamp');
    expect(explanation.summary).toContain(
      "neither a timestamp nor iat (the body's timestamp is outside the token, so it does not count)",
    );
    expect(explanation.summary).toContain('--no-require-timestamp');
    expect((await explainCallback(body, { requireTimestamp: false })).verdict).toBe('correct');
  });

  it('a timestamp outside the --tolerance window', async () => {
    const explanation = await explainCallback(
      { ...fields, signature: providerJwt(fields, apiKey) },
      { toleranceSeconds: 600, now: new Date((at + 3600) * 1000) },
    );
    expectCause(explanation, 'timestamp-outside-window', 'timestamp');
    expect(explanation.summary).toContain('the signed timestamp is 3600 s away');
  });

  it('never reports the request-signing causes iat-added or field-added', async () => {
    const signature = token({ ...fields, iat: at });
    const explanation = await explainCallback({ ...fields, remark: 'x', signature });
    expect(explanation.findings.map((f) => f.code)).toEqual([]);
  });

  it('needs the API key and a token', async () => {
    await expect(explainJwtCallback({ body: JSON.stringify(fields), apiKey: '' })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    await expect(explainJwtCallback({ body: JSON.stringify(fields), apiKey })).rejects.toThrow(/signature/);
  });
});

describe('thaipay explain jwt --callback', () => {
  const fields = {
    order_no: 'DP1',
    agent_order_no: 'T1',
    amount: 1000,
    status: 'completed',
    timestamp: '1640995380',
  };

  it('exit 1 naming an expired token; --now and --tolerance are passed to the verifier; the key is never printed', async () => {
    const signature = jwt.sign({ ...fields, exp: 1640995320 }, apiKey, {
      algorithm: 'HS256',
      noTimestamp: true,
    });
    const stdin = JSON.stringify({ ...fields, signature });
    const env = { GATEWAY_API_KEY: apiKey };
    const refused = await run(['explain', 'jwt', '--callback', '--params', '-', '--now', '1640995380'], {
      stdin,
      env,
    });
    expect(refused.code).toBe(1);
    expect(refused.stdout.split('\n')[0]).toBe(
      'Most likely: the token expired at 2022-01-01T00:02:00Z (its signed exp), 60 s before the time it was checked (2022-01-01T00:03:00Z): check a saved callback at the time it arrived (--now), or allow clock skew (--tolerance).',
    );
    expect(refused.stdout).not.toContain(apiKey);
    const accepted = await run(
      ['explain', 'jwt', '--callback', '--params', '-', '--now', '2022-01-01T00:03:00Z', '--tolerance', '60'],
      { stdin, env },
    );
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toMatch(/^The callback verifies/);
  });

  it('--no-require-timestamp accepts an untimed token', async () => {
    const { timestamp: _t, ...untimed } = fields;
    const stdin = JSON.stringify({ ...untimed, signature: providerJwt(untimed, apiKey) });
    const env = { GATEWAY_API_KEY: apiKey };
    expect((await run(['explain', 'jwt', '--callback', '--params', '-'], { stdin, env })).code).toBe(1);
    const accepted = await run(['explain', 'jwt', '--callback', '--no-require-timestamp', '--params', '-'], {
      stdin,
      env,
    });
    expect(accepted.code).toBe(0);
  });

  it('usage errors: no key, callback options without --callback, --callback for thb', async () => {
    const stdin = JSON.stringify({ ...fields, signature: providerJwt(fields, apiKey) });
    const noKey = await run(['explain', 'jwt', '--callback', '--params', '-'], { stdin });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('no API key');
    const stray = await run(['explain', 'jwt', '--params', '-', '--tolerance', '5'], { stdin });
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--tolerance is an option of jwt --callback');
    const thb = await run(['explain', 'thb', '--callback', '--params', '-'], { stdin });
    expect(thb.stderr).toContain('--callback is a JWT gateway option');
  });

  it('request mode notes a callback body and points to --callback', async () => {
    const stdin = JSON.stringify({ ...fields, signature: providerJwt(fields, apiKey) });
    const result = await run(['explain', 'jwt', '--params', '-'], {
      stdin,
      env: { GATEWAY_API_KEY: apiKey },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('run thaipay explain jwt --callback');
  });
});

describe('explainJwtCallback: the key never comes back', () => {
  it('a body and token that echo the key: the explanation holds [REDACTED] instead', async () => {
    const fields = {
      order_no: 'DP1',
      agent_order_no: apiKey,
      amount: 1000,
      status: 'completed',
      timestamp: '1640995380',
    };
    const body = { ...fields, status: apiKey, signature: providerJwt(fields, apiKey) };
    const explanation = await explainJwtCallback({ body: JSON.stringify(body), apiKey });
    const text = formatExplanation(explanation);
    expect(explanation.findings.map((f) => [f.code, f.field])).toEqual([['body-field-differs', 'status']]);
    expect(text).not.toContain(apiKey);
    expect(text).toContain('[REDACTED]');
  });
});

describe('explainJwtCallback: every other refusal of the verifier has its cause', () => {
  const fields = {
    order_no: 'DP1',
    agent_order_no: 'T1',
    amount: 1000,
    status: 'completed',
    timestamp: '1640995380',
  };
  const now = new Date(1640995380 * 1000);
  const explainBody = (body: Record<string, unknown>, options = {}) =>
    explainJwtCallback({ body: JSON.stringify(body), apiKey, options: { now, ...options } });

  it('not a JWT', async () => {
    expectCause(await explainBody({ ...fields, signature: 'abc.def' }), 'not-a-jwt');
  });

  it('another algorithm', async () => {
    const signature = jwt.sign(fields, apiKey, { algorithm: 'HS512', noTimestamp: true });
    const explanation = await explainBody({ ...fields, signature });
    expectCause(explanation, 'algorithm');
    expect(explanation.summary).toBe(
      'Most likely: the token uses the algorithm "HS512"; callbacks are HS256 only.',
    );
  });

  it('a header asking for more than HS256', async () => {
    const signature = handMadeToken('{"alg":"HS256","typ":"JOSE"}', JSON.stringify(fields), apiKey);
    expectCause(await explainBody({ ...fields, signature }), 'header-differs');
  });

  it('an exp that is not a number of seconds', async () => {
    const signature = handMadeToken(
      '{"alg":"HS256","typ":"JWT"}',
      JSON.stringify({ ...fields, exp: '1640995440' }),
      apiKey,
    );
    expectCause(await explainBody({ ...fields, signature }), 'claim-invalid', 'exp');
  });

  it('a signed amount that is not an amount', async () => {
    const signed = { ...fields, amount: 'lots' };
    const explanation = await explainBody({ ...signed, signature: providerJwt(signed, apiKey) });
    expectCause(explanation, 'signed-value-invalid', 'amount');
    expect(explanation.summary).toBe(
      'Most likely: the signed amount cannot be read: it is not an amount, so the callback says nothing usable.',
    );
  });

  it("anything else: the verifier's own words", async () => {
    const explanation = await explainBody(
      { ...fields, signature: providerJwt(fields, apiKey) },
      { maxBodyBytes: 40 },
    );
    expectCause(explanation, 'callback-refused');
    expect(explanation.details.at(-1)).toMatch(/^Refused by verifyJwtGatewayCallback: /);
  });
});
