import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BANK_CODES, BANKS, type BankCode, getBank, isBankCode } from '../src/banks';

/** A verbatim copy of the provider document (`../shared/provider-docs/`), so the test runs in any clone. */
const DOC_URL = new URL('./fixtures/provider-docs/thb-collect-api.txt', import.meta.url);

/** Rows of the "Payment Code" table: `CODE | English name | Thai name |`. */
function documentBankTable(): { code: string; nameEn: string; nameTh: string }[] {
  const lines = readFileSync(DOC_URL, 'utf8').split(/\r?\n/);
  const header = lines.findIndex((line) => line.startsWith('bankCode | bankNameEn | bankNameTh'));
  expect(header).toBeGreaterThan(-1);
  const rows = [];
  for (const line of lines.slice(header + 2)) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 3 || !/^[A-Z]+$/.test(cells[0])) break;
    rows.push({ code: cells[0], nameEn: cells[1], nameTh: cells[2] });
  }
  return rows;
}

// Thai marks written above or below a consonant: mai han-akat, sara i..phinthu, maitaikhu..yamakkan.
const COMBINING = '\u0E31\u0E34-\u0E3A\u0E47-\u0E4E';
const SPACE_BEFORE_MARK = new RegExp(`\\s[${COMBINING}]`, 'u');
const MARK_AT_WORD_START = new RegExp(`(^|[^\\u0E00-\\u0E7F])[${COMBINING}]`, 'u');
const TONE_BEFORE_VOWEL = /[\u0E48-\u0E4B][\u0E31\u0E34-\u0E3A\u0E47]/u;
const THAI_SPACE_THAI = /[\u0E00-\u0E7F]\s+[\u0E00-\u0E7F]/u;

/** Names that really are several Thai words (transliterated foreign names). */
const MULTI_WORD_THAI: Partial<Record<BankCode, string>> = {
  CIMB: 'ซีไอเอ็มบี ไทย',
  LHB: 'แลนด์ แอนด์ เฮ้าส์',
  ABN: 'เอบีเอ็น แอมโร เอ็น.วี.',
};

function thaiNames(): { code: string; name: string }[] {
  return BANKS.flatMap((bank) => [
    { code: bank.code, name: bank.nameTh },
    ...(bank.mergedInto ? [{ code: bank.code, name: bank.mergedInto.nameTh }] : []),
    ...(bank.formerNames ?? [])
      .filter((n) => /[\u0E00-\u0E7F]/u.test(n))
      .map((name) => ({ code: bank.code, name })),
  ]);
}

describe('the bank table', () => {
  it('has the 22 codes of the THB collect document, in its order', () => {
    const documentCodes = documentBankTable().map((row) => row.code);
    expect(documentCodes).toHaveLength(22);
    expect(BANKS).toHaveLength(22);
    expect(BANKS.map((bank) => bank.code)).toEqual(documentCodes);
    expect([...BANK_CODES]).toEqual(documentCodes);
  });

  it('has unique codes and complete names', () => {
    expect(new Set(BANKS.map((bank) => bank.code)).size).toBe(22);
    for (const bank of BANKS) {
      expect(bank.nameEn.trim()).toBe(bank.nameEn);
      expect(bank.nameEn.length).toBeGreaterThan(5);
      expect(bank.nameTh).toMatch(/^(บมจ\.)?ธนาคาร/u);
    }
  });

  it('spells the Thai names without the PDF damage of the document', () => {
    const damaged = documentBankTable();
    // the check below must be able to see the damage the document has
    expect(
      damaged.some((row) => SPACE_BEFORE_MARK.test(row.nameTh) || THAI_SPACE_THAI.test(row.nameTh)),
    ).toBe(true);
    for (const { code, name } of thaiNames()) {
      expect(name, `${code}: ${name}`).not.toMatch(SPACE_BEFORE_MARK);
      expect(name, `${code}: ${name}`).not.toMatch(MARK_AT_WORD_START);
      expect(name, `${code}: ${name}`).not.toMatch(TONE_BEFORE_VOWEL);
      // sara am written as nikhahit + sara aa is another PDF artefact
      expect(name, `${code}: ${name}`).not.toMatch(/\u0E4D\u0E32/u);
      expect(name.normalize('NFC')).toBe(name);
      expect(name).not.toMatch(/\s{2,}|^\s|\s$/u);
    }
  });

  it('has spaces between Thai letters only in names that are several words', () => {
    for (const bank of BANKS) {
      const expected = MULTI_WORD_THAI[bank.code];
      // the legal form "จำกัด (มหาชน)" is separate words by rule
      const name = bank.nameTh.replace(/ จำกัด( \(มหาชน\))?$/u, '');
      if (expected === undefined) expect(name, bank.code).not.toMatch(THAI_SPACE_THAI);
      else expect(bank.nameTh).toContain(expected);
    }
  });

  it('corrects the names the document mangles', () => {
    expect(getBank('BAY')?.nameTh).toBe('บมจ.ธนาคารกรุงศรีอยุธยา');
    expect(getBank('HSBC')?.nameTh).toBe('ธนาคารฮ่องกงและเซี่ยงไฮ้แบงกิ้งคอร์ปอเรชั่น');
    expect(getBank('KKP')?.nameTh).toBe('ธนาคารเกียรตินาคินภัทร จำกัด (มหาชน)');
    expect(getBank('CITI')?.nameTh).toBe('ธนาคารซิตี้แบงก์');
    expect(getBank('SCBT')?.nameTh).toBe('ธนาคารสแตนดาร์ดชาร์เตอร์ด (ไทย) จำกัด (มหาชน)');
    expect(getBank('BAAC')?.nameTh).toBe('ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร');
    expect(getBank('KBANK')?.nameTh).toBe('บมจ.ธนาคารกสิกรไทย');
  });

  it('records the merger of TMB and Thanachart into ttb, and renamed banks', () => {
    for (const code of ['TMB', 'TBANK'] as const) {
      expect(getBank(code)?.mergedInto).toEqual({
        nameEn: 'TMBThanachart Bank Public Company Limited (ttb)',
        nameTh: 'ธนาคารทหารไทยธนชาต จำกัด (มหาชน)',
        year: 2021,
      });
    }
    expect(BANKS.filter((bank) => bank.mergedInto).map((bank) => bank.code)).toEqual(['TBANK', 'TMB']);
    expect(getBank('MHCB')?.nameEn).toBe('Mizuho Bank, Ltd.');
    expect(getBank('MHCB')?.formerNames).toContain('Mizuho Corporate Bank, Ltd.');
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(BANKS)).toBe(true);
    expect(Object.isFrozen(BANK_CODES)).toBe(true);
    for (const bank of BANKS) expect(Object.isFrozen(bank)).toBe(true);
    expect(() => {
      (BANKS[0] as { nameTh: string }).nameTh = 'x';
    }).toThrow(TypeError);
  });
});

describe('getBank', () => {
  it('finds every bank by its code', () => {
    for (const bank of BANKS) expect(getBank(bank.code)).toBe(bank);
  });

  it('accepts lower and mixed case', () => {
    expect(getBank('kbank')?.code).toBe('KBANK');
    expect(getBank('Scb')?.code).toBe('SCB');
  });

  it.each(['', 'XYZ', ' KBANK', 'KBANK ', 'TTB', 'constructor', '__proto__', 'toString'])(
    'gives undefined for %j',
    (code) => {
      expect(getBank(code)).toBeUndefined();
    },
  );

  it('gives undefined for non-strings', () => {
    expect(getBank(undefined as unknown as string)).toBeUndefined();
    expect(getBank(42 as unknown as string)).toBeUndefined();
  });
});

describe('isBankCode', () => {
  it('accepts exactly the 22 codes', () => {
    for (const code of BANK_CODES) expect(isBankCode(code)).toBe(true);
  });

  it.each(['kbank', ' KBANK', 'XYZ', '', 'constructor', null, undefined, 1, {}])('refuses %o', (code) => {
    expect(isBankCode(code)).toBe(false);
  });

  it('narrows the type', () => {
    const input: unknown = 'SCB';
    if (!isBankCode(input)) throw new Error('expected a bank code');
    const code: BankCode = input;
    expect(getBank(code)?.nameEn).toBe('The Siam Commercial Bank Public Company Limited');
  });
});
