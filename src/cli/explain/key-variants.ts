/**
 * Damaged copies of a key: the ways an API key or secret key picks up or loses characters between the
 * provider's dashboard and the signing code (line ends from files, quotes from .env files, escaped
 * newlines, a library that decodes the key as Base64). Sentences never contain the key.
 */

/** A key a signer may have used instead of the one given, and how that happened. */
export interface KeyVariant {
  key: string | Uint8Array;
  sentence: string;
}

function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length < 8 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
  return bytes.length > 0 ? new Uint8Array(bytes) : undefined;
}

/**
 * The damaged copies of `key` worth trying, most common first.
 *
 * @param label - how to call the key in sentences: `API key`, `secret key`.
 * @param bytes - also try the key decoded as Base64 or hex (HMAC keys only; RSA sign strings hold text).
 * @example
 * ```ts
 * keyVariants('k3y', 'API key', true)[0]; // { key: 'k3y\n', sentence: 'the signature was made with the API key followed by a newline ...' }
 * ```
 */
export function keyVariants(key: string, label: string, bytes: boolean): KeyVariant[] {
  const variants: KeyVariant[] = [];
  const add = (candidate: string | Uint8Array | undefined, sentence: string): void => {
    if (candidate === undefined || candidate === key || candidate.length === 0) return;
    variants.push({ key: candidate, sentence });
  };
  const trimmed = key.trim();
  add(
    trimmed,
    `the ${label} you gave has whitespace around it (a line end or spaces picked up from a file or a paste), and the signature was made with the key without it.`,
  );
  add(
    `${key}\n`,
    `the signature was made with the ${label} followed by a newline (a whitespace-damaged key, read from a file or env var with its line end).`,
  );
  add(
    `${key}\r\n`,
    `the signature was made with the ${label} followed by a CRLF line end (a whitespace-damaged key).`,
  );
  add(`${key} `, `the signature was made with the ${label} followed by a space (a whitespace-damaged key).`);
  add(` ${key}`, `the signature was made with the ${label} preceded by a space (a whitespace-damaged key).`);
  add(
    `"${key}"`,
    `the signature was made with the ${label} wrapped in double quotes (quotes kept from a .env or JSON file).`,
  );
  add(
    `'${key}'`,
    `the signature was made with the ${label} wrapped in single quotes (quotes kept from a .env file).`,
  );
  const unquoted = /^(["'`])(.*)\1$/s.exec(trimmed)?.[2];
  add(
    unquoted,
    `the ${label} you gave is wrapped in quotes, and the signature was made with the key without them.`,
  );
  add(
    `${key}\\n`,
    `the signature was made with the ${label} followed by a literal "\\n" (an escaped newline that was never unescaped).`,
  );
  if (key.includes('\\n')) {
    add(
      key.replace(/\\n/g, '\n'),
      `the ${label} you gave holds literal "\\n" escapes, and the signature was made with real newlines there.`,
    );
  }
  if (key.includes('\n')) {
    add(
      key.replace(/\n/g, '\\n'),
      `the ${label} you gave holds newlines, and the signature was made with literal "\\n" escapes there.`,
    );
  }
  if (bytes) {
    add(
      decodeBase64(trimmed),
      `the signature was made with the Base64-decoded bytes of the ${label} (a library that treats the key as Base64, such as jjwt's Decoders.BASE64); the gateway uses the key's text as it is.`,
    );
    if (/^(?:[0-9a-fA-F]{2}){8,}$/.test(trimmed)) {
      add(
        new Uint8Array(Buffer.from(trimmed, 'hex')),
        `the signature was made with the hex-decoded bytes of the ${label}; the gateway uses the key's text as it is.`,
      );
    }
  }
  return variants;
}
