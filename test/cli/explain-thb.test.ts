/**
 * Every diagnosis of the THB collect debugger, each on a case built here: the sign strings are written
 * out by hand and signed with node:crypto, never with the SDK.
 */
import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Explanation,
  explainThbSignature,
  formatExplanation,
  thbSignStringVariant,
} from '../../src/cli/explain';
import { InvalidRequestError } from '../../src/core/errors';
import { thbSignString } from '../../src/thb-collect/signing';
import { type RsaPair, rsaPair, rsaSign, run } from './helpers';

const secret = 'thb-secret-5f1c9e';

const collect = {
  appId: 1054,
  orderId: 'M233323000059',
  amount: '300.00',
  phone: '0923021931',
  email: 'a@example.com',
  name: 'John Doe',
  inBankCode: 'QR',
  payType: 'QR',
  partnerUserId: '149597870',
  notifyUrl: 'https://shop.example/notify?a=1&b=2',
  subject: 'Order 59',
};

/** The sign string of `collect`, written out by hand from the provider's rules. */
const canonical = (key: string): string =>
  `amount=300.00&appId=1054&email=a@example.com&inBankCode=QR&name=John Doe&notifyUrl=https://shop.example/notify?a=1&b=2&orderId=M233323000059&partnerUserId=149597870&payType=QR&phone=0923021931&subject=Order 59&key=${key}`;

let merchant: RsaPair;
let platform: RsaPair;
let stranger: RsaPair;

beforeAll(() => {
  merchant = rsaPair();
  platform = rsaPair();
  stranger = rsaPair();
});

/** Explain a notification checked with the platform public key; no explanation may hold the secret. */
async function explainNotification(
  params: Record<string, unknown>,
  signature: string | undefined,
  overrides: { secretKey?: string; publicKey?: string; privateKey?: string } = {},
): Promise<Explanation> {
  const explanation = await explainThbSignature({
    params,
    secretKey: overrides.secretKey ?? secret,
    ...(signature === undefined ? {} : { signature }),
    ...(overrides.privateKey
      ? { privateKey: overrides.privateKey }
      : { publicKey: overrides.publicKey ?? platform.publicBase64 }),
  });
  expect(formatExplanation(explanation)).not.toContain(secret);
  return explanation;
}

function expectCause(explanation: Explanation, code: string, field?: string): void {
  expect(explanation.verdict).toBe('cause-found');
  expect(explanation.exitCode).toBe(1);
  expect(explanation.findings[0]?.code).toBe(code);
  if (field !== undefined) expect(explanation.findings[0]?.field).toBe(field);
  expect(explanation.summary.startsWith('Most likely: ')).toBe(true);
}

describe('explainThbSignature: a correct signature', () => {
  it("the hand-written sign string is the SDK's and the builder's", () => {
    expect(thbSignString(collect, secret)).toBe(canonical(secret));
    expect(thbSignStringVariant(collect, secret, {})).toBe(canonical(secret));
  });

  it('a notification signed by the platform: exit 0, the sign read from the body', async () => {
    const sign = rsaSign(canonical(secret), platform.privateKey);
    const explanation = await explainNotification({ ...collect, sign }, undefined);
    expect(explanation.verdict).toBe('correct');
    expect(explanation.exitCode).toBe(0);
    expect(explanation.summary).toMatch(/^The signature is correct/);
    expect(explanation.details.join('\n')).toContain('&key=<secret>');
  });

  it('a request signed with the merchant private key, checked with that private key', async () => {
    const sign = rsaSign(canonical(secret), merchant.privateKey);
    const explanation = await explainNotification(collect, sign, { privateKey: merchant.privatePem });
    expect(explanation.verdict).toBe('correct');
    expect(explanation.summary).toContain('your private key');
  });
});

describe('explainThbSignature: the sign string', () => {
  it('an empty value included (THB collect leaves them out)', async () => {
    const params = { ...collect, body: '' };
    const signString = canonical(secret).replace('appId=1054&', 'appId=1054&body=&');
    const explanation = await explainNotification(params, rsaSign(signString, platform.privateKey));
    expectCause(explanation, 'empty-field-included');
    expect(explanation.summary).toContain('empty field body was included');
    expect(explanation.details.join('\n')).toContain('body=&');
  });

  it('sign_type included in the sign string', async () => {
    const params = { ...collect, sign_type: 'RSA2' };
    const signString = canonical(secret).replace('&subject=', '&sign_type=RSA2&subject=');
    const explanation = await explainNotification(params, rsaSign(signString, platform.privateKey));
    expectCause(explanation, 'signature-field-signed', 'sign_type');
  });

  it('an old sign left in the parameters and signed over', async () => {
    const params = { ...collect, sign: 'T0xEU0lHTg==' };
    const signString = canonical(secret).replace('&subject=', '&sign=T0xEU0lHTg==&subject=');
    const explanation = await explainNotification(params, rsaSign(signString, merchant.privateKey), {
      privateKey: merchant.privateBase64,
    });
    expectCause(explanation, 'signature-field-signed', 'sign');
  });

  it('a field added after signing', async () => {
    const params = { ...collect, body: 'gift wrap' };
    const explanation = await explainNotification(params, rsaSign(canonical(secret), platform.privateKey));
    expectCause(explanation, 'field-added', 'body');
  });

  it('keys in their original (unsorted) order', async () => {
    const signString = `${Object.entries(collect)
      .map(([k, v]) => `${k}=${v}`)
      .join('&')}&key=${secret}`;
    const explanation = await explainNotification(collect, rsaSign(signString, platform.privateKey));
    expectCause(explanation, 'key-order-unsorted');
  });

  // Insertion: Remark, ext_1, amount, ext1. Code-unit: Remark, amount, ext1, ext_1.
  // localeCompare: amount, ext_1, ext1, Remark. Case-insensitive: amount, ext1, ext_1, Remark.
  const extras = { Remark: 'c', ext_1: 'b', amount: '300.00', ext1: 'a' };
  it('keys sorted with localeCompare', async () => {
    const signString = `amount=300.00&ext_1=b&ext1=a&Remark=c&key=${secret}`;
    const explanation = await explainNotification(extras, rsaSign(signString, platform.privateKey));
    expectCause(explanation, 'key-order-locale');
  });

  it('keys sorted case-insensitively', async () => {
    const signString = `amount=300.00&ext1=a&ext_1=b&Remark=c&key=${secret}`;
    const explanation = await explainNotification(extras, rsaSign(signString, platform.privateKey));
    expectCause(explanation, 'key-order-case-insensitive');
  });

  it('values URL-encoded before signing', async () => {
    const signString = `amount=300.00&appId=1054&email=a%40example.com&inBankCode=QR&name=John%20Doe&notifyUrl=${encodeURIComponent(collect.notifyUrl)}&orderId=M233323000059&partnerUserId=149597870&payType=QR&phone=0923021931&subject=Order%2059&key=${secret}`;
    const explanation = await explainNotification(collect, rsaSign(signString, platform.privateKey));
    expectCause(explanation, 'url-encoded');
    expect(explanation.summary).toContain('encodeURIComponent');
  });

  it('values form-encoded before signing', async () => {
    const params = { appId: 1054, orderId: 'M1', name: 'John Doe', subject: 'Order 59' };
    const signString = `appId=1054&name=John+Doe&orderId=M1&subject=Order+59&key=${secret}`;
    const explanation = await explainNotification(params, rsaSign(signString, platform.privateKey));
    expectCause(explanation, 'form-encoded');
    expect(explanation.summary).toContain('(name, subject)');
  });

  it('a form body whose values were not decoded before verifying', async () => {
    const explanation = await explainNotification(
      { ...collect, name: 'John%20Doe' },
      rsaSign(canonical(secret), platform.privateKey),
    );
    expectCause(explanation, 'url-decoded', 'name');
  });

  it('amount formatting: "300.00" signed, "300" sent', async () => {
    const explanation = await explainNotification(
      { ...collect, amount: '300' },
      rsaSign(canonical(secret), platform.privateKey),
    );
    expectCause(explanation, 'amount-format', 'amount');
    expect(explanation.summary).toBe(
      'Most likely: the amount was signed as "300.00" but is the string "300" here.',
    );
  });

  it('amount formatting: a JSON number that lost its trailing zeros', async () => {
    const explanation = await explainNotification(
      { ...collect, amount: 300 },
      rsaSign(canonical(secret), platform.privateKey),
    );
    expectCause(explanation, 'amount-format', 'amount');
    expect(explanation.summary).toContain('a JSON number loses its trailing zeros');
  });

  it('the secret key not appended', async () => {
    const signString = canonical(secret).replace(`&key=${secret}`, '');
    const explanation = await explainNotification(collect, rsaSign(signString, platform.privateKey));
    expectCause(explanation, 'secret-not-appended');
  });

  it('the secret key sorted in among the parameters', async () => {
    const signString = canonical(secret)
      .replace(`&key=${secret}`, '')
      .replace('&name=', `&key=${secret}&name=`);
    const explanation = await explainNotification(collect, rsaSign(signString, platform.privateKey));
    expectCause(explanation, 'secret-sorted-in');
    expect(explanation.details.join('\n')).toContain('key=<secret>&name=');
  });

  it.each([
    ['a trailing newline', `${secret}\n`, 'followed by a newline'],
    ['double quotes', `"${secret}"`, 'double quotes'],
    ['an escaped \\n', `${secret}\\n`, 'literal "\\n"'],
  ])('a whitespace-damaged secret key: %s', async (_name, damaged, words) => {
    const explanation = await explainNotification(collect, rsaSign(canonical(damaged), platform.privateKey));
    expectCause(explanation, 'key-whitespace');
    expect(explanation.summary).toContain(words);
  });

  it('two mistakes at once: an empty value kept and keys unsorted', async () => {
    const params = { ...collect, body: '' };
    const signString = `${Object.entries(params)
      .map(([k, v]) => `${k}=${v}`)
      .join('&')}&key=${secret}`;
    const explanation = await explainNotification(params, rsaSign(signString, platform.privateKey));
    expectCause(explanation, 'two-mistakes');
    expect(explanation.findings[0]?.parts).toEqual(['empty-field-included', 'key-order-unsorted']);
  });

  it('nothing known reproduces it: a different secret key (exit 2)', async () => {
    const explanation = await explainNotification(
      collect,
      rsaSign(canonical('another-secret'), platform.privateKey),
    );
    expect(explanation.verdict).toBe('no-cause');
    expect(explanation.exitCode).toBe(2);
    expect(explanation.summary).toContain('different secret key');
  });
});

describe('explainThbSignature: keys and the signature itself', () => {
  it('a wrong key pair: signed by a key that does not pair with the public key', async () => {
    const explanation = await explainNotification(collect, rsaSign(canonical(secret), stranger.privateKey));
    expectCause(explanation, 'wrong-key-pair');
    expect(explanation.summary).toContain('platform public key');
  });

  it('SHA1withRSA instead of SHA256withRSA', async () => {
    const explanation = await explainNotification(
      collect,
      rsaSign(canonical(secret), platform.privateKey, 'sha1'),
    );
    expectCause(explanation, 'hash-algorithm');
    expect(explanation.summary).toContain('SHA1withRSA');
    expect(explanation.findings).toHaveLength(1);
  });

  it('a sign whose "+" became spaces in a form body', async () => {
    let params: Record<string, unknown> = collect;
    let sign = rsaSign(canonical(secret), platform.privateKey);
    for (let i = 0; !sign.includes('+'); i++) {
      params = { ...collect, orderId: `M${i}` };
      sign = rsaSign(thbSignString(params, secret), platform.privateKey);
    }
    const explanation = await explainNotification(params, sign.replace(/\+/g, ' '));
    expectCause(explanation, 'signature-damaged');
    expect(explanation.summary).toContain('"+"');
  });

  it('a sign still URL-encoded', async () => {
    const sign = encodeURIComponent(rsaSign(canonical(secret), platform.privateKey));
    const explanation = await explainNotification(collect, sign);
    expectCause(explanation, 'signature-damaged');
    expect(explanation.summary).toContain('URL-encoded');
  });

  it('a sign that is not Base64', async () => {
    expectCause(await explainNotification(collect, 'not*base64!'), 'signature-malformed');
  });

  it('a PKCS#1 public key: the provider expects SPKI', async () => {
    const explanation = await explainNotification(collect, rsaSign(canonical(secret), merchant.privateKey), {
      publicKey: merchant.publicPkcs1Pem,
    });
    expectCause(explanation, 'public-key-pkcs1');
    expect(explanation.summary).toContain('SubjectPublicKeyInfo');
  });

  it('a PKCS#1 private key: the signature is correct, with a note about PKCS#8', async () => {
    const explanation = await explainNotification(collect, rsaSign(canonical(secret), merchant.privateKey), {
      privateKey: merchant.privatePkcs1Pem,
    });
    expect(explanation.verdict).toBe('correct');
    expect(explanation.notes.join(' ')).toMatch(/PKCS#1.*PKCS#8/);
  });

  it('a PKCS#8 key raises no format note', async () => {
    const explanation = await explainNotification(collect, rsaSign(canonical(secret), merchant.privateKey), {
      privateKey: merchant.privateBase64,
    });
    expect(explanation.notes).toEqual([]);
  });

  it('key format problems parseRsaKey finds: a public key given as the private key', async () => {
    const explanation = await explainNotification(collect, rsaSign(canonical(secret), merchant.privateKey), {
      privateKey: merchant.publicPem,
    });
    expectCause(explanation, 'key-unusable');
    expect(explanation.summary).toBe(
      'Most likely: the private key is a public key; a private key is required here.',
    );
  });

  it('key format problems parseRsaKey finds: a 1024-bit key', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const explanation = await explainNotification(collect, rsaSign(canonical(secret), platform.privateKey), {
      publicKey: small.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    });
    expectCause(explanation, 'key-unusable');
    expect(explanation.summary).toContain('1024-bit');
  });

  it('a key with literal \\n escapes still works, with a note', async () => {
    const escaped = merchant.privatePem.replace(/\n/g, '\\n');
    const explanation = await explainNotification(collect, rsaSign(canonical(secret), merchant.privateKey), {
      privateKey: escaped,
    });
    expect(explanation.verdict).toBe('correct');
    expect(explanation.notes.join(' ')).toContain('literal "\\n"');
  });

  it('says when the public key given is not the pair of the private key', async () => {
    const explanation = await explainThbSignature({
      params: collect,
      signature: rsaSign(canonical(secret), merchant.privateKey),
      secretKey: secret,
      publicKey: stranger.publicBase64,
      privateKey: merchant.privateBase64,
    });
    expect(explanation.verdict).toBe('correct');
    expect(explanation.notes.join(' ')).toContain('not the pair of your private key');
  });

  it('refuses to run without a signature, a secret key or any key', async () => {
    await expect(
      explainThbSignature({ params: collect, secretKey: secret, publicKey: platform.publicBase64 }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(
      explainThbSignature({
        params: collect,
        signature: 'abc=',
        secretKey: '',
        publicKey: platform.publicBase64,
      }),
    ).rejects.toThrow(/secretKey/);
    await expect(
      explainThbSignature({ params: collect, signature: 'abc=', secretKey: secret }),
    ).rejects.toThrow(/publicKey/);
  });
});

describe('explainThbSignature: what THB collect leaves unsigned, and values that could hide a field', () => {
  const notification = { amount: '300.00', currency: 'THB', orderId: 'M1', orderNo: 'N1', status: '2' };
  const signString = `amount=300.00&currency=THB&orderId=M1&orderNo=N1&status=2&key=${secret}`;

  it('empty, null and sign_type fields are not blamed: correct, with a note naming them', async () => {
    const sign = rsaSign(signString, platform.privateKey);
    const explanation = await explainNotification(
      { ...notification, errorMsg: '', hash: null, sign_type: 'RSA', sign },
      undefined,
    );
    expect(explanation.verdict).toBe('correct');
    expect(explanation.exitCode).toBe(0);
    expect(explanation.findings).toEqual([]);
    expect(explanation.notes).toEqual([
      'Outside the signature, as THB collect signs (empty, null or sign_type): errorMsg, hash, sign_type. They are left out of the sign string and dropped from a verified notification; they are not a cause.',
    ]);
  });

  it('a value holding "&fee=" is named, though the sign matches (the re-split genuine message)', async () => {
    // The platform signed currency "THB" and fee "3.00"; the fee was folded into the currency's value.
    const genuine = `amount=300.00&currency=THB&fee=3.00&orderId=M1&orderNo=N1&status=2&key=${secret}`;
    const sign = rsaSign(genuine, platform.privateKey);
    const explanation = await explainNotification(
      { ...notification, currency: 'THB&fee=3.00', sign },
      undefined,
    );
    expectCause(explanation, 'sign-string-ambiguous');
    expect(explanation.summary).toBe(
      'Most likely: the value of "currency" holds "&fee=", which could be a field of its own: the sign string escapes nothing, so these fields could be read as others, and thaipay refuses them whatever the sign.',
    );
    expect(explanation.findings).toHaveLength(1);
  });

  it('a value holding "&name=" where name sorts elsewhere is no cause (a URL query)', async () => {
    const params = { ...notification, payUrl: 'https://p.example/?a=1&b=2' };
    const sign = rsaSign(
      `amount=300.00&currency=THB&orderId=M1&orderNo=N1&payUrl=https://p.example/?a=1&b=2&status=2&key=${secret}`,
      platform.privateKey,
    );
    const explanation = await explainNotification({ ...params, sign }, undefined);
    expect(explanation.verdict).toBe('correct');
  });
});

describe('thaipay explain thb and verify thb agree on a value that could hide a field', () => {
  it('explain names it (exit 1) where verify refuses it (exit 1)', async () => {
    const genuine = `amount=300.00&currency=THB&fee=3.00&orderId=M1&orderNo=N1&status=2&key=${secret}`;
    const body = JSON.stringify({
      amount: '300.00',
      currency: 'THB&fee=3.00',
      orderId: 'M1',
      orderNo: 'N1',
      status: '2',
      sign: rsaSign(genuine, platform.privateKey),
    });
    const env = { THB_SECRET_KEY: secret, THB_PLATFORM_PUBLIC_KEY: platform.publicBase64 };
    const explained = await run(['explain', 'thb', '--params', '-'], { stdin: body, env });
    expect(explained.code).toBe(1);
    expect(explained.stdout.split('\n')[0]).toBe(
      'Most likely: the value of "currency" holds "&fee=", which could be a field of its own: the sign string escapes nothing, so these fields could be read as others, and thaipay refuses them whatever the sign.',
    );
    expect(explained.stdout).not.toContain(secret);
    const verified = await run(['verify', 'thb'], { stdin: body, env });
    expect(verified.code).toBe(1);
    expect(verified.stderr).toContain(
      'NOT VERIFIED: THB collect notification refused: the value of "currency" holds "&fee=", which could be a field of its own',
    );
  });
});
