/**
 * THB collect's signature debugger. An RSA PKCS#1 v1.5 signature can be opened with the public key:
 * what comes out is the hash of the text that was signed. So the debugger tells a wrong key pair (it
 * does not open) from a different text (it opens, the hash differs), then rebuilds the sign string
 * with each known mistake until one hashes to the signed value.
 */
import { constants, createHash, type KeyObject, publicDecrypt } from 'node:crypto';
import { InvalidRequestError } from '../../core/errors';
import { thbSignedFields, thbSignString, thbSignStringAmbiguity } from '../../thb-collect/signing';
import { keyVariants } from './key-variants';
import { conclude } from './report';
import { inspectRsaKey } from './rsa-keys';
import type { Explanation, Finding } from './types';
import {
  amountSpellings,
  applyFieldOptions,
  candidateTexts,
  describeValue,
  encodingMistakes,
  findingOf,
  type Mistake,
  ORDER_SENTENCES,
  orderKeys,
  quote,
  type ValueEncoding,
  type VariantOptions,
} from './variants';

/** Input of {@link explainThbSignature}. */
export interface ExplainThbInput {
  /** The parameters (a request, a response's `data`, a notification); `sign` is the signature unless `signature` is given. */
  params: Record<string, unknown>;
  /** The Base64 `sign` to explain. */
  signature?: string;
  /** The merchant secret key (appended to the sign string as `&key=`). */
  secretKey: string;
  /** The signer's public key: the platform's for responses and notifications, yours for your requests. */
  publicKey?: string;
  /** Your private key: its public half checks the signatures of your requests. */
  privateKey?: string;
}

const UNSIGNED_FIELDS = new Set(['sign', 'sign_type']);

/** DigestInfo prefixes of RSASSA-PKCS1-v1_5, to read which hash a signature was made over. */
const DIGEST_PREFIXES: Array<{ hash: string; name: string; prefix: string; hexLength: number }> = [
  { hash: 'sha256', name: 'SHA256withRSA', prefix: '3031300d060960864801650304020105000420', hexLength: 64 },
  { hash: 'sha256', name: 'SHA256withRSA', prefix: '302f300b06096086480165030402010420', hexLength: 64 },
  { hash: 'sha1', name: 'SHA1withRSA', prefix: '3021300906052b0e03021a05000414', hexLength: 40 },
  { hash: 'sha384', name: 'SHA384withRSA', prefix: '3041300d060960864801650304020205000430', hexLength: 96 },
  { hash: 'sha512', name: 'SHA512withRSA', prefix: '3051300d060960864801650304020305000440', hexLength: 128 },
  { hash: 'md5', name: 'MD5withRSA', prefix: '3020300c06082a864886f70d020505000410', hexLength: 32 },
];

function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * The sign string a signer with the mistakes in `options` would have built. With no options it equals
 * the SDK's `thbSignString`.
 *
 * @example
 * ```ts
 * thbSignStringVariant({ b: '2', a: '' }, 'S', { includeEmpty: true }); // "a=&b=2&key=S"
 * ```
 */
export function thbSignStringVariant(
  params: Record<string, unknown>,
  secretKey: string,
  options: VariantOptions,
): string | undefined {
  const entries = applyFieldOptions(params, options);
  if (!entries) return undefined;
  const values = new Map(
    entries.filter(
      ([key, value]) =>
        (options.includeSignFields || !UNSIGNED_FIELDS.has(key)) &&
        value !== null &&
        value !== undefined &&
        (options.includeEmpty || value !== ''),
    ),
  );
  if (options.secretPlacement === 'sorted-in') values.set('key', secretKey);
  const text = orderKeys([...values.keys()], options.order ?? 'code-unit')
    .map((key) => `${key}=${valueText(values.get(key))}`)
    .join('&');
  if (options.secretPlacement !== undefined) return text;
  return text === '' ? `key=${secretKey}` : `${text}&key=${secretKey}`;
}

const ENCODING_MISTAKES: Array<{ encoding: ValueEncoding; code: Mistake['code']; sentence: string }> = [
  {
    encoding: 'uri',
    code: 'url-encoded',
    sentence: 'the values were URL-encoded (encodeURIComponent) in the sign string; sign the plain values.',
  },
  {
    encoding: 'form',
    code: 'form-encoded',
    sentence: 'the values were form-encoded (spaces as "+") in the sign string; sign the plain values.',
  },
  {
    encoding: 'uri-decode',
    code: 'url-decoded',
    sentence:
      'the values were signed decoded but are URL-encoded here (a form body read without decoding it); decode the body before verifying.',
  },
  {
    encoding: 'form-decode',
    code: 'url-decoded',
    sentence:
      'the values were signed decoded but are form-encoded here ("+" for spaces); decode the body before verifying.',
  },
  {
    encoding: 'trim',
    code: 'value-whitespace',
    sentence: 'the values were trimmed before signing but carry surrounding whitespace here.',
  },
];

/** Every known content mistake for these parameters, most common first. */
function thbMistakes(params: Record<string, unknown>): Mistake[] {
  const mistakes: Mistake[] = [];
  const empty = Object.keys(params).filter((key) => params[key] === '' && !UNSIGNED_FIELDS.has(key));
  if (empty.length > 0) {
    mistakes.push({
      code: 'empty-field-included',
      sentence: `the empty ${empty.length === 1 ? 'field' : 'fields'} ${empty.join(', ')} ${empty.length === 1 ? 'was' : 'were'} included in the sign string ("${empty[0]}="); THB collect leaves empty values out.`,
      options: { includeEmpty: true },
    });
  }
  for (const [key, value] of Object.entries(params)) {
    if (UNSIGNED_FIELDS.has(key)) continue;
    for (const spelling of amountSpellings(value)) {
      mistakes.push({
        code: 'amount-format',
        field: key,
        sentence: `the ${key} was signed as "${spelling}" but is ${describeValue(value)} here${typeof value === 'number' ? ' (a JSON number loses its trailing zeros: keep amounts as strings like "300.00")' : ''}.`,
        options: { override: { [key]: spelling } },
      });
    }
    if (value !== '' && value !== null && value !== undefined) {
      mistakes.push({
        code: 'field-added',
        field: key,
        sentence: `the field ${key} is here but was not signed (it was added after signing, or the signer did not have it).`,
        options: { omit: [key] },
      });
    }
  }
  const signFields = Object.keys(params).filter((key) => UNSIGNED_FIELDS.has(key));
  if (signFields.length > 0) {
    mistakes.push({
      code: 'signature-field-signed',
      field: signFields[0]!,
      sentence: `the ${signFields.join(' and ')} field${signFields.length === 1 ? ' was' : 's were'} included in the sign string; sign and sign_type must be left out.`,
      options: { includeSignFields: true },
    });
  }
  for (const order of ['insertion', 'locale', 'case-insensitive'] as const) {
    mistakes.push({ ...ORDER_SENTENCES[order], options: { order } });
  }
  const signed = Object.fromEntries(Object.entries(params).filter(([key]) => !UNSIGNED_FIELDS.has(key)));
  mistakes.push(...encodingMistakes(signed, ENCODING_MISTAKES));
  mistakes.push(
    {
      code: 'secret-not-appended',
      sentence: 'the sign string was signed without "&key=<secret key>" at its end; append the secret key.',
      options: { secretPlacement: 'none' },
    },
    {
      code: 'secret-sorted-in',
      sentence:
        'the secret key was sorted in among the parameters ("key=..." in alphabetical place) instead of appended at the end.',
      options: { secretPlacement: 'sorted-in' },
    },
  );
  return mistakes;
}

/** Ways a Base64 signature gets damaged on its way, and the repair for each. */
const SIGNATURE_REPAIRS: Array<{ repair: (text: string) => string | undefined; sentence: string }> = [
  {
    repair: (text) => text.replace(/ /g, '+'),
    sentence:
      'the sign has spaces where Base64 has "+" (a form-encoded body whose "+" was decoded as a space): send it URL-encoded, or as JSON (thaipay\'s own verifiers repair this; other code may not).',
  },
  {
    repair: (text) => {
      try {
        return decodeURIComponent(text);
      } catch {
        return undefined;
      }
    },
    sentence: 'the sign is still URL-encoded (%2B, %2F, %3D); decode it once before verifying.',
  },
  {
    repair: (text) => text.replace(/[\r\n]+/g, ''),
    sentence:
      'the sign has line breaks in it (a MIME Base64 encoder such as Java getMimeEncoder); use plain Base64.',
  },
  {
    repair: (text) => text.replace(/-/g, '+').replace(/_/g, '/'),
    sentence: 'the sign is Base64URL ("-" and "_"); THB collect uses standard Base64 ("+" and "/").',
  },
];

function signatureBytes(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}

/** The DigestInfo inside a signature, or undefined when the key did not make it. */
function openSignature(key: KeyObject, signature: Buffer): Buffer | undefined {
  try {
    return publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return undefined;
  }
}

interface VerifyKey {
  key: KeyObject;
  /** How to call it in sentences. */
  label: string;
  from: 'public' | 'private';
}

function redact(text: string, secretKey: string): string {
  return text.split(secretKey).join('<secret>');
}

/**
 * Explain why a THB collect `sign` does not match the parameters: a wrong key pair, a damaged or
 * SHA1 signature, a key in a format the provider cannot read, or — rebuilding the sign string — empty
 * values kept, `sign` included, key order, URL encoding, amount format, a field added, the secret key
 * missing or whitespace-damaged.
 *
 * @throws {InvalidRequestError} without a signature, a secret key, or any key to check with.
 * @example
 * ```ts
 * const explanation = await explainThbSignature({
 *   params: notification,
 *   secretKey: process.env.THB_SECRET_KEY!,
 *   publicKey: process.env.THB_PLATFORM_PUBLIC_KEY,
 * });
 * console.log(explanation.summary);
 * ```
 */
export async function explainThbSignature(input: ExplainThbInput): Promise<Explanation> {
  const given = input.signature ?? input.params.sign;
  if (typeof given !== 'string' || given.trim() === '') {
    throw InvalidRequestError.field(
      'signature',
      'give the sign to explain, or parameters that hold it in their sign field',
    );
  }
  if (typeof input.secretKey !== 'string' || input.secretKey === '') {
    throw InvalidRequestError.field('secretKey', 'is needed: it is part of the signed text');
  }
  if (!input.publicKey && !input.privateKey) {
    throw InvalidRequestError.field(
      'publicKey',
      "give the signer's public key (the platform's for notifications and responses) or your private key (for your requests)",
    );
  }
  const { params, secretKey } = input;
  const findings: Finding[] = [];
  const notes: string[] = [];
  const details = [
    `Sign string of these parameters (secret key shown as <secret>): ${thbSignString(params, '<secret>')}`,
  ];
  const lateFindings: Finding[] = [];
  // The library's own rule, not a second one: values that could hide a field are refused whatever the
  // sign says, so this cause comes first.
  const ambiguity = thbSignStringAmbiguity(params);
  if (ambiguity !== undefined) {
    findings.push({
      code: 'sign-string-ambiguous',
      sentence: `${ambiguity}: the sign string escapes nothing, so these fields could be read as others, and thaipay refuses them whatever the sign.`,
    });
  }
  const unsigned = Object.keys(params).filter(
    (key) => key !== 'sign' && !Object.hasOwn(thbSignedFields(params), key),
  );
  if (unsigned.length > 0) {
    notes.push(
      `Outside the signature, as THB collect signs (empty, null or sign_type): ${unsigned.join(', ')}. They are left out of the sign string and dropped from a verified notification; they are not a cause.`,
    );
  }

  const keys: VerifyKey[] = [];
  let publicSpki: Buffer | undefined;
  let privateSpki: Buffer | undefined;
  if (input.publicKey) {
    const inspected = inspectRsaKey(input.publicKey, 'public');
    if (inspected.refusal) {
      findings.push({ code: 'key-unusable', sentence: `the public key ${inspected.refusal}.` });
    } else {
      keys.push({ key: inspected.publicKey!, label: 'the public key given', from: 'public' });
      publicSpki = inspected.spki;
      if (inspected.pkcs1) {
        lateFindings.push({
          code: 'public-key-pkcs1',
          sentence:
            'the public key is PKCS#1 (BEGIN RSA PUBLIC KEY, or its bare Base64), but the provider expects X.509 SubjectPublicKeyInfo: if this is the key you uploaded, the provider cannot read it; upload the SPKI form (openssl rsa -RSAPublicKey_in -in key.pem -pubout, or thaipay keys generate).',
        });
      }
    }
    for (const damage of inspected.repaired) {
      notes.push(
        `The public key: ${damage}. thaipay reads it anyway; openssl and the provider's samples may not.`,
      );
    }
  }
  if (input.privateKey) {
    const inspected = inspectRsaKey(input.privateKey, 'private');
    if (inspected.refusal) {
      findings.push({ code: 'key-unusable', sentence: `the private key ${inspected.refusal}.` });
    } else {
      keys.push({ key: inspected.publicKey!, label: 'your private key', from: 'private' });
      privateSpki = inspected.spki;
      if (inspected.pkcs1) {
        notes.push(
          "Your private key is PKCS#1 (BEGIN RSA PRIVATE KEY, or bare Base64 starting MIIEo/MIIEp), not the PKCS#8 the provider expects. thaipay converts it, but the provider's samples (Java PKCS8EncodedKeySpec) and many libraries cannot read it: convert it with openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem.",
        );
      }
    }
    for (const damage of inspected.repaired) {
      notes.push(
        `Your private key: ${damage}. thaipay reads it anyway; openssl and the provider's samples may not.`,
      );
    }
  }
  let signer: VerifyKey['from'] = 'public';
  const pairMismatch =
    publicSpki !== undefined && privateSpki !== undefined && !publicSpki.equals(privateSpki);
  const done = (correct: boolean, noCauseSummary = ''): Explanation =>
    conclude({
      findings: [...findings, ...lateFindings],
      notes,
      details,
      correct,
      correctSummary: `The signature is correct: SHA256withRSA over the sign string of these parameters, made with ${signer === 'private' ? 'your private key' : 'the private key of the public key given'}.`,
      noCauseSummary,
    });
  if (keys.length === 0) return done(false);

  // Open the signature: as given first, then repaired from the usual damage.
  const text = given.trim();
  let opened: { digestInfo: Buffer; key: VerifyKey } | undefined;
  const attempts = [
    { text, sentence: undefined as string | undefined },
    ...SIGNATURE_REPAIRS.map((r) => ({ text: r.repair(text), sentence: r.sentence })),
  ];
  let anyWellFormed = false;
  for (const attempt of attempts) {
    if (attempt.text === undefined || (attempt.sentence !== undefined && attempt.text === text)) continue;
    const bytes = signatureBytes(attempt.text);
    if (!bytes) continue;
    anyWellFormed = true;
    for (const key of keys) {
      const digestInfo = openSignature(key.key, bytes);
      if (digestInfo) {
        opened = { digestInfo, key };
        signer = key.from;
        break;
      }
    }
    if (opened) {
      if (attempt.sentence) findings.push({ code: 'signature-damaged', sentence: attempt.sentence });
      break;
    }
  }
  if (!opened) {
    if (!anyWellFormed) {
      findings.unshift({
        code: 'signature-malformed',
        sentence: `the sign is not Base64: it holds characters Base64 never uses (${quote(text.replace(/[A-Za-z0-9+/=]/g, '').slice(0, 10))}).`,
      });
    } else {
      const label = keys.map((k) => k.label).join(' or ');
      findings.unshift({
        code: 'wrong-key-pair',
        sentence: `the signature was not made with the private key that pairs with ${label}: for notifications and responses use the platform public key; for your own requests, your own key pair (whose public half you uploaded).`,
      });
    }
    if (pairMismatch) notes.push('The public key given is not the pair of the private key given.');
    return done(false);
  }

  if (pairMismatch) {
    notes.push(
      opened.key.from === 'private'
        ? "The public key given is not the pair of your private key: if it is the key uploaded to the provider, the provider cannot verify your signatures; upload the public half of this private key (it is fine if the public key given is the platform's)."
        : "Your private key is not the pair of the public key given (expected when the public key is the platform's).",
    );
  }

  const hex = opened.digestInfo.toString('hex');
  const algorithm = DIGEST_PREFIXES.find(
    (d) => hex.startsWith(d.prefix) && hex.length === d.prefix.length + d.hexLength,
  );
  if (!algorithm) {
    notes.push(
      'The signature opens with this key but does not hold a known hash (DigestInfo); it was not made by a standard SHA256withRSA signer.',
    );
    return done(
      false,
      'No known mistake reproduces this signature: it opens with this key but holds no known hash.',
    );
  }
  if (algorithm.hash !== 'sha256') {
    findings.unshift({
      code: 'hash-algorithm',
      sentence: `the signature is ${algorithm.name}; THB collect uses SHA256withRSA (RSASSA-PKCS1-v1_5 with SHA-256).`,
    });
  }
  const digest = hex.slice(algorithm.prefix.length);
  const hashOf = (signed: string): string => createHash(algorithm.hash).update(signed, 'utf8').digest('hex');

  if (hashOf(thbSignString(params, secretKey)) === digest) return done(true);

  const secretVariant = keyVariants(secretKey, 'secret key', false).find(
    (variant) => typeof variant.key === 'string' && hashOf(thbSignString(params, variant.key)) === digest,
  );
  if (secretVariant) {
    findings.push({ code: 'key-whitespace', sentence: secretVariant.sentence });
    return done(false);
  }
  for (const [signed, mistake] of candidateTexts(thbMistakes(params), (options) =>
    thbSignStringVariant(params, secretKey, options),
  )) {
    if (hashOf(signed) === digest) {
      findings.push(findingOf(mistake));
      details.push(`Sign string that reproduces the signature: ${redact(signed, secretKey)}`);
      return done(false);
    }
  }
  return done(
    false,
    'No known mistake reproduces this signature. It was made with the right key pair, so the signed text differs from these parameters in a way that cannot be rebuilt: most often a different secret key (there is one per currency and environment), or a field whose value differs from what you have.',
  );
}
