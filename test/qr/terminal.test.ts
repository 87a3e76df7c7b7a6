import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../src/core/errors';
import { renderQrTerminal } from '../../src/qr';

const PAYLOAD = '00020101021229370016A0000006770101110113006681234567853037645802TH5406300.006304CFA9';

describe('renderQrTerminal', () => {
  it('packs two module rows per line in the compact style', () => {
    const lines = renderQrTerminal(PAYLOAD).split('\n');
    // Version 4 at level M: 33 modules + 2 * 2 margin = 37 columns, ceil(37 / 2) = 19 lines.
    expect(lines).toHaveLength(19);
    for (const line of lines) expect([...line]).toHaveLength(37);
    expect(lines.join('')).toMatch(/^[█▀▄ ]+$/);
    // The top margin row pair is all light, drawn as full blocks.
    expect(lines[0]).toBe('█'.repeat(37));
  });

  it('paints modules with ANSI colours in the ansi style', () => {
    const out = renderQrTerminal(PAYLOAD, { style: 'ansi', margin: 1 });
    const lines = out.split('\n');
    expect(lines).toHaveLength(35);
    expect(out).toContain('\u001b[40m');
    expect(out).toContain('\u001b[47m');
  });

  it('differs between payloads and refuses bad input', () => {
    expect(renderQrTerminal(PAYLOAD)).not.toBe(renderQrTerminal(PAYLOAD.replace('300.00', '301.00')));
    expect(() => renderQrTerminal('')).toThrow(InvalidRequestError);
    expect(() => renderQrTerminal(PAYLOAD, { style: 'sixel' as 'ansi' })).toThrow(InvalidRequestError);
  });
});
