/**
 * Every diagnosis of the JWT gateway debugger, each on a case built here: the "provider" signature is
 * made with jsonwebtoken (or node:crypto for bytes jsonwebtoken cannot write), never with the SDK.
 */
import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import {
  type Explanation,
  explainJwtSignature,
  formatExplanation,
  jwtPayloadVariant,
} from '../../src/cli/explain';
import { InvalidRequestError } from '../../src/core/errors';
import { jwtGatewayPayload } from '../../src/jwt-gateway/signing';
import { providerJwt, providerJwtOfText } from './helpers';

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
