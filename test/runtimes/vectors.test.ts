/**
 * `vectors.json` is what `make-vectors.mjs` says it is: every expected output re-checked here with
 * jsonwebtoken and node:crypto (never with thaipay), every key form the same key, every tampered variant
 * really refused by the reference implementations. A hand edit that breaks a vector fails here, not as a
 * mysterious failure in one runtime.
 */
import { createPrivateKey, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { PRIVATE_KEY_FORMS, PUBLIC_KEY_FORMS, type RuntimeVectors } from './vectors';

const vectors = JSON.parse(
  readFileSync(new URL('./vectors.json', import.meta.url), 'utf8'),
) as RuntimeVectors;
const { rsa } = vectors;

function thbSignString(params: Record<string, unknown>, secretKey: string): string {
  const keys = Object.keys(params)
    .filter((k) => k !== 'sign' && k !== 'sign_type')
    .filter((k) => params[k] !== '' && params[k] !== null && params[k] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `${keys.map((k) => `${k}=${String(params[k])}&`).join('')}key=${secretKey}`;
}

function rsaValid(publicKey: KeyObject, text: string, signature: string): boolean {
  return verify('sha256', Buffer.from(text, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
}

function privateKeyOf(text: string): KeyObject {
  if (text.includes('-----BEGIN')) return createPrivateKey(text.replace(/\\n/g, '\n'));
  return createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' });
}

function publicKeyOf(text: string): KeyObject {
  if (text.includes('-----BEGIN')) return createPublicKey(text);
  return createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
}

const der = (key: KeyObject) =>
  key.type === 'private'
    ? key.export({ format: 'der', type: 'pkcs8' }).toString('base64')
    : key.export({ format: 'der', type: 'spki' }).toString('base64');

describe('vectors.json', () => {
  it('HS256 tokens are jsonwebtoken HS256 over the sorted params, without iat', () => {
    for (const vector of vectors.hs256.cases) {
      const payload = jwt.verify(vector.jwt, vectors.hs256.apiKey, { algorithms: ['HS256'] });
      expect(payload).toEqual(vector.params);
      const keys = Object.keys(JSON.parse(Buffer.from(vector.jwt.split('.')[1]!, 'base64url').toString()));
      expect(keys).toEqual([...keys].sort());
    }
  });

  it('the genuine callback verifies with jsonwebtoken; every tampered one is refused by the same rule', () => {
    const check = (body: string, key: string) => {
      const { signature, ...fields } = JSON.parse(body) as Record<string, unknown>;
      if (typeof signature !== 'string') return false;
      try {
        const payload = jwt.verify(signature, key, { algorithms: ['HS256'] });
        return (
          JSON.stringify(payload) ===
          JSON.stringify(Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1))))
        );
      } catch {
        return false;
      }
    };
    expect(check(vectors.callback.genuine, vectors.callback.apiKey)).toBe(true);
    for (const tampered of vectors.callback.tampered) {
      expect(check(tampered.body, vectors.callback.apiKey), tampered.name).toBe(false);
    }
  });

  it('every key form of a pair is the same 2048-bit key', () => {
    for (const pair of [rsa.merchant, rsa.platform]) {
      const privates = PRIVATE_KEY_FORMS.map((form) => der(privateKeyOf(pair[form])));
      const publics = PUBLIC_KEY_FORMS.map((form) => der(publicKeyOf(pair[form])));
      expect(new Set(privates).size).toBe(1);
      expect(new Set(publics).size).toBe(1);
      expect(publics[0]).toBe(der(createPublicKey(privateKeyOf(pair.pkcs8Pem))));
      expect(publicKeyOf(pair.spkiPem).asymmetricKeyDetails?.modulusLength).toBe(2048);
    }
    expect(der(publicKeyOf(rsa.merchant.spkiPem))).not.toBe(der(publicKeyOf(rsa.platform.spkiPem)));
  });

  it('RSA sign strings and signatures check out with node:crypto; tampered ones do not', () => {
    const merchant = publicKeyOf(rsa.merchant.spkiPem);
    for (const vector of rsa.cases) {
      expect(thbSignString(vector.params, rsa.secretKey)).toBe(vector.signString);
      expect(rsaValid(merchant, vector.signString, vector.sign)).toBe(true);
    }
    for (const tampered of rsa.tampered) {
      const text = thbSignString(tampered.params, rsa.secretKey);
      expect(tampered.sign === '' || !rsaValid(merchant, text, tampered.sign), tampered.name).toBe(true);
    }
  });

  it('the genuine notification (JSON and form) verifies with the platform key; tampered ones do not', () => {
    const platform = publicKeyOf(rsa.platform.spkiPem);
    const valid = (fields: Record<string, unknown>) =>
      typeof fields.sign === 'string' &&
      rsaValid(platform, thbSignString(fields, vectors.notification.secretKey), fields.sign);
    const genuine = JSON.parse(vectors.notification.genuine) as Record<string, unknown>;
    expect(valid(genuine)).toBe(true);
    const form = Object.fromEntries(new URLSearchParams(vectors.notification.genuineForm));
    expect(form.sign).toBe(genuine.sign);
    for (const tampered of vectors.notification.tampered) {
      expect(valid(JSON.parse(tampered.body) as Record<string, unknown>), tampered.name).toBe(false);
    }
  });
});
