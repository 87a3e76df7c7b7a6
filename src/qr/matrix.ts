/**
 * The one place the QR symbol is encoded: uqr does the Reed-Solomon and masking work, this file checks
 * the options every renderer shares and turns uqr's errors into thaipay's.
 */
import { encode } from 'uqr';
import { InvalidRequestError } from '../core/errors';

/** QR error-correction level: L 7%, M 15%, Q 25%, H 30% of the symbol can be lost and still read. */
export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

/** Options every QR renderer understands. */
export interface QrMatrixOptions {
  /** Quiet zone around the symbol, in modules. The QR standard asks for 4. */
  margin?: number;
  /** Error-correction level. Default `M`, which survives a scuffed screen or print without growing much. */
  ecc?: QrErrorCorrection;
}

/** A QR symbol as rows of modules, quiet zone included; `true` is a dark module. */
export interface QrMatrix {
  /** QR version, 1 to 40. */
  version: number;
  /** Width (= height) in modules, quiet zone included. */
  size: number;
  /** Rows of modules, `true` for dark. */
  modules: readonly (readonly boolean[])[];
}

const ECC_LEVELS: readonly string[] = ['L', 'M', 'Q', 'H'];

// A quiet zone wider than this only wastes space and is almost surely a mistaken unit (pixels for modules).
const MAX_MARGIN = 32;

/**
 * Encode a payload into a QR module matrix, refusing bad input with an {@link InvalidRequestError}.
 *
 * @example
 * ```ts
 * const { size, modules } = encodeQrMatrix('000201...', { margin: 4, ecc: 'M' });
 * ```
 */
export function encodeQrMatrix(payload: string, options: QrMatrixOptions = {}): QrMatrix {
  if (typeof payload !== 'string' || payload.length === 0) {
    throw InvalidRequestError.field('payload', 'must be a non-empty string');
  }
  const margin = options.margin ?? 4;
  if (!Number.isInteger(margin) || margin < 0 || margin > MAX_MARGIN) {
    throw InvalidRequestError.field('margin', `must be a whole number of modules from 0 to ${MAX_MARGIN}`);
  }
  const ecc = options.ecc ?? 'M';
  if (!ECC_LEVELS.includes(ecc)) throw InvalidRequestError.field('ecc', "must be 'L', 'M', 'Q' or 'H'");
  try {
    const result = encode(payload, { ecc, border: margin });
    return { version: result.version, size: result.size, modules: result.data };
  } catch (error) {
    // uqr throws a plain Error when even version 40 cannot hold the data.
    const rule = `is too long to fit in a QR code at error-correction level ${ecc}`;
    throw new InvalidRequestError([{ field: 'payload', rule }], { cause: error });
  }
}
