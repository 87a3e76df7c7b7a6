import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../src/core/errors';
import { renderQrSvg } from '../../src/qr';

// 84 characters, all in the QR alphanumeric set.
const DYNAMIC = '00020101021229370016A0000006770101110113006681234567853037645802TH5406300.006304CFA9';
// 74 characters.
const STATIC = '00020101021129370016A0000006770101110113006681234567853037645802TH6304823E';

/** Turn the SVG's path back into a grid of dark modules. */
function rasterise(svg: string): boolean[][] {
  const side = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  const d = /<path [^>]*d="([^"]*)"/.exec(svg)?.[1] ?? '';
  const grid = Array.from({ length: side }, () => Array<boolean>(side).fill(false));
  for (const [, x, y, w, back] of d.matchAll(/M(\d+) (\d+)h(\d+)v1H(\d+)z/g)) {
    expect(back).toBe(x);
    for (let i = 0; i < Number(w); i++) {
      const row = grid[Number(y)];
      expect(row?.[Number(x) + i]).toBe(false); // runs never overlap
      if (row) row[Number(x) + i] = true;
    }
  }
  return grid;
}

/** The 7x7 finder pattern: dark ring, light ring, dark 3x3 core. */
function isFinder(grid: boolean[][], left: number, top: number): boolean {
  for (let dy = 0; dy < 7; dy++) {
    for (let dx = 0; dx < 7; dx++) {
      const ring = Math.max(Math.abs(dx - 3), Math.abs(dy - 3));
      if (grid[top + dy]?.[left + dx] !== (ring !== 2)) return false;
    }
  }
  return true;
}

describe('renderQrSvg', () => {
  it('renders a standalone, well-formed SVG with the module count of the QR version', () => {
    const svg = renderQrSvg(DYNAMIC);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" ')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    // Every tag opened is closed: one <svg>, a self-closed <rect> and <path>, nothing else.
    expect(svg.replace(/<rect [^<>]*\/>|<path [^<>]*\/>/g, '')).toMatch(/^<svg [^<>]*><\/svg>$/);
    expect(svg).toContain('width="256" height="256"');
    // 84 alphanumeric characters at level M need version 4: 17 + 4 * 4 = 33 modules, plus 4 + 4 of margin.
    expect(svg).toContain('viewBox="0 0 41 41"');
  });

  it('draws the three finder patterns inside the quiet zone', () => {
    const grid = rasterise(renderQrSvg(DYNAMIC, { margin: 4 }));
    expect(grid.length).toBe(41);
    expect(isFinder(grid, 4, 4)).toBe(true);
    expect(isFinder(grid, 41 - 4 - 7, 4)).toBe(true);
    expect(isFinder(grid, 4, 41 - 4 - 7)).toBe(true);
    expect(isFinder(grid, 41 - 4 - 7, 41 - 4 - 7)).toBe(false);
    // The quiet zone is empty.
    for (let i = 0; i < 41; i++) {
      for (const j of [0, 1, 2, 3, 37, 38, 39, 40]) {
        expect(grid[i]?.[j]).toBe(false);
        expect(grid[j]?.[i]).toBe(false);
      }
    }
  });

  it('sizes the symbol by error-correction level and margin', () => {
    expect(renderQrSvg(STATIC, { ecc: 'L' })).toContain('viewBox="0 0 37 37"'); // version 3: 29 modules
    expect(renderQrSvg(STATIC, { ecc: 'M' })).toContain('viewBox="0 0 41 41"'); // version 4: 33 modules
    expect(renderQrSvg(DYNAMIC, { ecc: 'Q' })).toContain('viewBox="0 0 45 45"'); // version 5: 37 modules
    expect(renderQrSvg(DYNAMIC, { ecc: 'H' })).toContain('viewBox="0 0 49 49"'); // version 6: 41 modules
    expect(renderQrSvg(DYNAMIC, { margin: 0 })).toContain('viewBox="0 0 33 33"');
    expect(renderQrSvg(DYNAMIC, { size: 320 })).toContain('width="320" height="320"');
  });

  it('draws different payloads differently and the same payload the same', () => {
    const a = renderQrSvg(DYNAMIC);
    expect(renderQrSvg(DYNAMIC)).toBe(a);
    expect(renderQrSvg(DYNAMIC.replace('300.00', '301.00'))).not.toBe(a);
    expect(renderQrSvg(STATIC, { ecc: 'M' })).not.toBe(a);
  });

  it('applies colours and leaves out a transparent background', () => {
    const svg = renderQrSvg(DYNAMIC, { color: '#113366', background: 'rgb(250 250 250)' });
    expect(svg).toContain('<path fill="#113366"');
    expect(svg).toContain('fill="rgb(250 250 250)"');
    expect(renderQrSvg(DYNAMIC, { background: 'transparent' })).not.toContain('<rect');
  });

  it('refuses colours that could break out of the attribute, and bad options', () => {
    expect(() => renderQrSvg(DYNAMIC, { color: '"/><script>alert(1)</script>' })).toThrow(
      InvalidRequestError,
    );
    expect(() => renderQrSvg(DYNAMIC, { background: "red' onload='x" })).toThrow(InvalidRequestError);
    expect(() => renderQrSvg(DYNAMIC, { size: 0 })).toThrow(InvalidRequestError);
    expect(() => renderQrSvg(DYNAMIC, { size: Number.NaN })).toThrow(InvalidRequestError);
    expect(() => renderQrSvg(DYNAMIC, { margin: -1 })).toThrow(InvalidRequestError);
    expect(() => renderQrSvg(DYNAMIC, { margin: 1.5 })).toThrow(InvalidRequestError);
    expect(() => renderQrSvg(DYNAMIC, { ecc: 'X' as 'L' })).toThrow(InvalidRequestError);
    expect(() => renderQrSvg('')).toThrow(InvalidRequestError);
  });

  it('refuses a payload too long for any QR version with InvalidRequestError', () => {
    let caught: unknown;
    try {
      renderQrSvg('x'.repeat(3000), { ecc: 'H' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidRequestError);
    expect((caught as InvalidRequestError).issues).toEqual([
      { field: 'payload', rule: 'is too long to fit in a QR code at error-correction level H' },
    ]);
  });
});
