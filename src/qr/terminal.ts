/**
 * QR code as terminal text, for the CLI and the demo: scan it from the screen with a banking app.
 */
import { renderANSI, renderUnicodeCompact } from 'uqr';
import { InvalidRequestError } from '../core/errors';
import { encodeQrMatrix, type QrMatrixOptions } from './matrix';

/** Options of {@link renderQrTerminal}. */
export interface QrTerminalOptions extends QrMatrixOptions {
  /**
   * `compact` (default) packs two module rows into one line with half blocks, light modules drawn as
   * text, which suits the usual dark terminal. `ansi` paints every module with ANSI background colours:
   * twice as tall, but right on any terminal theme.
   */
  style?: 'compact' | 'ansi';
}

/**
 * Render a payload as text to print in a terminal.
 *
 * @param payload - The text to encode.
 * @param options - Style, quiet-zone margin in modules (default 2 here: terminals are narrow) and
 *   error correction.
 * @returns Lines joined with `\n`, no trailing newline.
 * @throws InvalidRequestError on an empty payload, a payload too long for a QR code, or a bad option.
 *
 * @example
 * ```ts
 * import { renderQrTerminal } from 'thaipay/qr';
 *
 * console.log(renderQrTerminal(deposit.qrPayload));
 * ```
 */
export function renderQrTerminal(payload: string, options: QrTerminalOptions = {}): string {
  const style = options.style ?? 'compact';
  if (style !== 'compact' && style !== 'ansi')
    throw InvalidRequestError.field('style', "must be 'compact' or 'ansi'");
  const margin = options.margin ?? 2;
  const ecc = options.ecc ?? 'M';
  // Validates payload and options with the same rules and errors as the SVG renderer.
  encodeQrMatrix(payload, { margin, ecc });
  return style === 'ansi'
    ? renderANSI(payload, { ecc, border: margin })
    : renderUnicodeCompact(payload, { ecc, border: margin });
}
