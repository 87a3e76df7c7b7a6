/**
 * QR code as an SVG string: what a checkout page puts in front of a customer's banking app.
 */
import { InvalidRequestError } from '../core/errors';
import { encodeQrMatrix, type QrMatrixOptions } from './matrix';

/** Options of {@link renderQrSvg}. */
export interface QrSvgOptions extends QrMatrixOptions {
  /** Width and height of the image in CSS pixels. Default 256. The symbol scales to fit. */
  size?: number;
  /** Colour of the dark modules (any CSS colour). Default `#000`. */
  color?: string;
  /** Colour behind the modules, quiet zone included. Default `#fff`; `transparent` leaves it out. */
  background?: string;
}

// Colours land inside an attribute: allow what CSS colour syntax needs and nothing that could close it.
const SAFE_COLOUR = /^[#a-zA-Z0-9(),.%/ -]{1,64}$/;

function checkColour(value: string | undefined, field: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !SAFE_COLOUR.test(value)) {
    throw InvalidRequestError.field(field, 'must be a CSS colour such as #000, black or rgb(0 0 0)');
  }
  return value;
}

/**
 * Render a payload (a PromptPay QR payload, or any text) as a standalone SVG image.
 *
 * The viewBox is measured in modules, quiet zone included, so the image stays sharp at any `size`;
 * dark modules of a row are merged into runs, which keeps the markup small.
 *
 * @param payload - The text to encode.
 * @param options - Size in pixels, quiet-zone margin in modules, error correction, colours.
 * @returns An `<svg>` element as a string.
 * @throws InvalidRequestError on an empty payload, a payload too long for a QR code, or a bad option.
 *
 * @example
 * ```ts
 * import { renderQrSvg } from 'thaipay/qr';
 *
 * const svg = renderQrSvg(deposit.qrPayload, { size: 320, ecc: 'M' });
 * document.querySelector('#qr')!.innerHTML = svg;
 * ```
 */
export function renderQrSvg(payload: string, options: QrSvgOptions = {}): string {
  const size = options.size ?? 256;
  if (typeof size !== 'number' || !Number.isFinite(size) || size <= 0 || size > 10_000) {
    throw InvalidRequestError.field('size', 'must be a positive number of pixels, at most 10000');
  }
  const color = checkColour(options.color, 'color', '#000');
  const background = checkColour(options.background, 'background', '#fff');
  const matrix = encodeQrMatrix(payload, options);

  let path = '';
  matrix.modules.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x += 1;
        continue;
      }
      const start = x;
      while (x < row.length && row[x]) x += 1;
      path += `M${start} ${y}h${x - start}v1H${start}z`;
    }
  });

  const n = matrix.size;
  const backdrop =
    background === 'transparent' ? '' : `<rect width="${n}" height="${n}" fill="${background}"/>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${n} ${n}" role="img" ` +
    `aria-label="QR code" shape-rendering="crispEdges">${backdrop}<path fill="${color}" d="${path}"/></svg>`
  );
}
