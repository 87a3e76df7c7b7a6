/**
 * The signature debugger behind `thaipay explain`, with no I/O: given parameters, a signature and
 * keys, it names the most likely cause of a mismatch by reproducing the signature with each known
 * mistake. Tests and tools call it directly.
 *
 * @example
 * ```ts
 * import { explainJwtSignature, formatExplanation } from './explain';
 *
 * const explanation = await explainJwtSignature({ params, signature, apiKey });
 * process.stdout.write(formatExplanation(explanation));
 * process.exitCode = explanation.exitCode;
 * ```
 */
export { type ExplainJwtInput, explainJwtSignature, jwtPayloadVariant } from './jwt';
export { type ExplainJwtCallbackInput, explainJwtCallback } from './jwt-callback';
export { formatExplanation } from './report';
export { type ExplainThbInput, explainThbSignature, thbSignStringVariant } from './thb';
export type { DiagnosisCode, ExplainVerdict, Explanation, Finding } from './types';
