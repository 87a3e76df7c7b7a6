/**
 * THB collect's envelope (`{ status, error, msg, data }`) → the `data` of a success, or the typed error
 * the answer stands for (HTTP statuses here; a refusal's code by errors.ts).
 *
 * Answers that do not prove a create was refused (1003/1004, a 2xx body that is not an envelope, a success
 * without `data`) get a code of {@link OUTCOME_UNKNOWN_CODES} on a create, which safe-create reconciles.
 */
import { ApiError, AuthenticationError, PermissionError } from '../core/errors';
import { redactDeep, redactSecrets } from '../core/redact';
import { AMBIGUOUS_RESPONSE_CODE } from '../core/safe-create';
import type { TransportResponse } from '../core/transport';
import { THB_ENVELOPE_ERROR, THB_ENVELOPE_OK } from './constants';
import { type EnvelopeContext, THB_ERROR_TABLE, text, thbRefusal } from './errors';

// The entry still imports these from here; they live in errors.ts.
function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `"1"`/`"0"` as documented; the numbers 1/0 are accepted too, since a JSON writer may drop the quotes. */
function envelopeStatus(value: unknown): string | undefined {
  if (value === THB_ENVELOPE_OK || value === 1) return THB_ENVELOPE_OK;
  if (value === THB_ENVELOPE_ERROR || value === 0) return THB_ENVELOPE_ERROR;
  return undefined;
}

/**
 * The `data` of a success envelope (not yet verified), or the error the answer stands for.
 *
 * @throws {AuthenticationError} on HTTP 401, {@link PermissionError} on 403, {@link ApiError} with the
 *   HTTP status on 5xx (`api_error`) and 429 (`rate_limited`), as the JWT gateway client names them, and
 *   the mapped error of a status "0" envelope.
 * @internal Used by the client.
 */
export function readThbEnvelope(response: TransportResponse, context: EnvelopeContext): unknown {
  const { status: httpStatus, body } = response;
  // The scrubbed copy is made only for an error: a success never needs it, and it costs a deep walk.
  const raw = () => redactDeep(body, context.secrets);
  const envelope = isRecord(body) ? body : undefined;
  const msg = redactSecrets(text(envelope?.msg), context.secrets);
  const where = `THB collect ${context.path}`;
  const said = msg === '' ? '' : `: ${msg}`;
  const is2xx = httpStatus >= 200 && httpStatus < 300;
  // On a create, a 2xx that is not a readable success proves nothing: the order may exist.
  const unproven = context.operation === 'create' && is2xx;
  const badShape = (what: string) =>
    new ApiError(
      unproven
        ? `${where} answered HTTP ${httpStatus} with ${what}; the order may have been created: it is reconciled by orderId.`
        : `${where} answered HTTP ${httpStatus} with ${what}`,
      { code: unproven ? AMBIGUOUS_RESPONSE_CODE : 'invalid_response', status: httpStatus, raw: raw() },
    );

  if (httpStatus === 401) {
    throw new AuthenticationError(
      `${where} refused the credentials (HTTP 401)${said}. Check appId and keys.`,
      { status: httpStatus, raw: raw() },
    );
  }
  if (httpStatus === 403) {
    throw new PermissionError(
      `${where} refused access (HTTP 403)${said}. ${THB_ERROR_TABLE['4031']!.advice}`,
      { status: httpStatus, raw: raw() },
    );
  }
  if (httpStatus === 429) {
    throw new ApiError(`${where} is rate limiting (HTTP 429)${said}`, {
      code: 'rate_limited',
      status: httpStatus,
      raw: raw(),
    });
  }
  if (httpStatus >= 500) {
    throw new ApiError(`${where} answered HTTP ${httpStatus}${said}`, { status: httpStatus, raw: raw() });
  }

  const status = envelopeStatus(envelope?.status);
  if (envelope === undefined || status === undefined)
    throw badShape('a body that is not a THB collect envelope');
  if (status === THB_ENVELOPE_ERROR) throw thbRefusal(envelope, msg, context, httpStatus, raw());
  if (!is2xx) {
    throw new ApiError(`${where} answered HTTP ${httpStatus} with a success envelope`, {
      code: 'invalid_response',
      status: httpStatus,
      raw: raw(),
    });
  }
  if (envelope.data === undefined || envelope.data === null) throw badShape('status "1" without data');
  return envelope.data;
}
