/**
 * The shape of `vectors.json`, the fixed inputs and outputs of the runtime matrix (made by
 * `make-vectors.mjs` with jsonwebtoken and node:crypto, never by thaipay).
 */

/** One key pair in every form a merchant may be handed it. TEST ONLY keys. */
export interface KeyForms {
  pkcs8Pem: string;
  pkcs1Pem: string;
  pkcs8Base64Der: string;
  pkcs8PemEscapedNewlines: string;
  spkiPem: string;
  pkcs1PublicPem: string;
  spkiBase64Der: string;
}

/** Which private and public forms the checks sign and verify with. */
export const PRIVATE_KEY_FORMS = [
  'pkcs8Pem',
  'pkcs1Pem',
  'pkcs8Base64Der',
  'pkcs8PemEscapedNewlines',
] as const;
export const PUBLIC_KEY_FORMS = ['spkiPem', 'pkcs1PublicPem', 'spkiBase64Der'] as const;

export interface TamperedBody {
  name: string;
  body: string;
}

export interface RuntimeVectors {
  hs256: {
    apiKey: string;
    cases: { name: string; params: Record<string, unknown>; jwt: string }[];
  };
  callback: {
    apiKey: string;
    otherApiKey: string;
    genuine: string;
    expected: { orderNo: string; agentOrderNo: string; amountSatang: number; status: string };
    tampered: TamperedBody[];
  };
  rsa: {
    secretKey: string;
    merchant: KeyForms;
    platform: KeyForms;
    cases: { name: string; params: Record<string, unknown>; signString: string; sign: string }[];
    tampered: { name: string; params: Record<string, unknown>; sign: string }[];
  };
  notification: {
    secretKey: string;
    genuine: string;
    genuineForm: string;
    expected: { orderId: string; orderNo: string; amountSatang: number; status: string; payTime: string };
    tampered: TamperedBody[];
  };
}
