/**
 * What the signature debugger answers: a verdict, the causes it could reproduce (most likely first),
 * notes that are not causes, and the details behind them. Plain data, printed by the CLI and asserted
 * by the tests.
 */

/** `correct`: the signature matches as given; `cause-found`: a known mistake explains it; `no-cause`: none does. */
export type ExplainVerdict = 'correct' | 'cause-found' | 'no-cause';

/** Stable names of the mistakes the debugger recognises. */
export type DiagnosisCode =
  // The signature or its key
  | 'not-a-jwt'
  | 'algorithm'
  | 'header-differs'
  | 'wrong-key'
  | 'key-whitespace'
  | 'wrong-key-pair'
  | 'key-unusable'
  | 'public-key-pkcs1'
  | 'hash-algorithm'
  | 'signature-damaged'
  | 'signature-malformed'
  // The signed content
  | 'number-sent-as-string'
  | 'string-sent-as-number'
  | 'amount-format'
  | 'field-added'
  | 'field-missing'
  | 'empty-field-omitted'
  | 'empty-field-included'
  | 'signature-field-signed'
  | 'iat-added'
  | 'key-order-unsorted'
  | 'key-order-locale'
  | 'key-order-case-insensitive'
  | 'url-encoded'
  | 'form-encoded'
  | 'url-decoded'
  | 'value-whitespace'
  | 'timestamp'
  | 'value-differs'
  | 'json-spacing'
  | 'json-escaping'
  | 'serialization-differs'
  | 'secret-not-appended'
  | 'secret-sorted-in'
  | 'sign-string-ambiguous'
  // A received JWT gateway callback, as verifyJwtGatewayCallback refuses it
  | 'token-altered'
  | 'body-field-differs'
  | 'unsigned-required'
  | 'token-expired'
  | 'token-not-yet-valid'
  | 'no-signed-timestamp'
  | 'timestamp-outside-window'
  | 'claim-invalid'
  | 'signed-value-invalid'
  | 'callback-refused'
  | 'two-mistakes';

/** One cause the debugger found. */
export interface Finding {
  code: DiagnosisCode;
  /** One plain sentence, starting in lower case, ending with a period. */
  sentence: string;
  /** The parameter concerned, when there is one. */
  field?: string;
  /** For `two-mistakes`: the two causes. */
  parts?: DiagnosisCode[];
}

/** The debugger's answer. */
export interface Explanation {
  verdict: ExplainVerdict;
  /** 0 correct, 1 cause found, 2 no cause found: the CLI's exit code. */
  exitCode: 0 | 1 | 2;
  /** The first line to print: "Most likely: ...", "The signature is correct...", or "No known mistake...". */
  summary: string;
  /** Causes, most likely first; empty unless `verdict` is `cause-found`. */
  findings: Finding[];
  /** Things worth knowing that do not explain a mismatch (key formats, unchecked parts). */
  notes: string[];
  /** The canonical form, the decoded signature, and each finding in words. */
  details: string[];
}
