import { describe, expect, expectTypeOf, it } from 'vitest';
import { InvalidRequestError } from '../../src/core/errors';
import type {
  ThbAccountType,
  ThbCollectClient,
  ThbCollectClientOptions,
  ThbInBankCode,
  ThbLimitsOption,
  ThbOrderQuery,
  ThbPayType,
  ThbStatementQuery,
  ThbStatementType,
  ThbVoucherQuery,
} from '../../src/thb-collect';
import {
  collectionRequest,
  payoutRequest,
  queryRequest,
  type ThbCreateCollectionInput,
  type ThbCreatePayoutInput,
} from '../../src/thb-collect/schemas';

const collection: ThbCreateCollectionInput = {
  orderId: 'M233323000059',
  amount: 300,
  payType: 'QR',
  name: 'Somchai Jaidee',
  phone: '0812345678',
  email: 'somchai@example.com',
  callBackUrl: 'https://shop.example/ok',
  callBackFailUrl: 'https://shop.example/fail',
  notifyUrl: 'https://shop.example/notify',
  subject: 'Order M233323000059',
  partnerUserId: '149597870',
};

const payout: ThbCreatePayoutInput = {
  orderId: 'P100000450012',
  amount: '500',
  accountType: 'BANK_ACCOUNT',
  bankCode: 'KBANK',
  accountNo: '1234567890',
  name: "john o'neil",
  phone: '0876543210',
  email: 'johndoe@example.com',
  partnerUserId: '149597870',
};

/** The issues of a refusal, as `field: rule` lines. */
function refusal(run: () => unknown): { field: string; rule: string }[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return [...(error as InvalidRequestError).issues];
  }
  throw new Error('expected an InvalidRequestError');
}

function fieldsRefused(run: () => unknown): string[] {
  return refusal(run).map((issue) => issue.field);
}

describe('collectionRequest', () => {
  it('maps the input to the wire form: amount "300.00", inBankCode from payType, empty optionals left out', () => {
    const { orderId, params } = collectionRequest({ ...collection, body: '' });
    expect(orderId).toBe('M233323000059');
    expect(params).toEqual({
      orderId: 'M233323000059',
      amount: '300.00',
      payType: 'QR',
      inBankCode: 'QR',
      name: 'Somchai Jaidee',
      phone: '0812345678',
      email: 'somchai@example.com',
      callBackUrl: 'https://shop.example/ok',
      callBackFailUrl: 'https://shop.example/fail',
      notifyUrl: 'https://shop.example/notify',
      subject: 'Order M233323000059',
      partnerUserId: '149597870',
    });
  });

  it('pairs payType with inBankCode: QR/QR, PAYMENT_GATEWAY/TM, CASHIER/CASHIER', () => {
    expect(collectionRequest({ ...collection, payType: 'PAYMENT_GATEWAY' }).params.inBankCode).toBe('TM');
    expect(collectionRequest({ ...collection, payType: 'CASHIER' }).params.inBankCode).toBe('CASHIER');
    expect(
      collectionRequest({ ...collection, payType: 'PAYMENT_GATEWAY', inBankCode: 'TM' }).params.inBankCode,
    ).toBe('TM');
    expect(refusal(() => collectionRequest({ ...collection, payType: 'QR', inBankCode: 'TM' }))).toEqual([
      { field: 'inBankCode', rule: 'must be QR when payType is QR (or be left out)' },
    ]);
    expect(
      fieldsRefused(() => collectionRequest({ ...collection, payType: 'CASHIER', inBankCode: 'QR' })),
    ).toEqual(['inBankCode']);
    expect(refusal(() => collectionRequest({ ...collection, payType: 'qr' as 'QR' }))[0]).toEqual({
      field: 'payType',
      rule: 'must be one of QR, PAYMENT_GATEWAY, CASHIER',
    });
  });

  it('formats amounts exactly and refuses more than 2 decimals, separators, signs and zero', () => {
    expect(collectionRequest({ ...collection, amount: 19.99 }).params.amount).toBe('19.99');
    expect(collectionRequest({ ...collection, amount: '10.5' }).params.amount).toBe('10.50');
    for (const amount of ['300.001', '1,000', '-5', '1e3', '', 0, Number.NaN, 0.1 + 0.2]) {
      expect(fieldsRefused(() => collectionRequest({ ...collection, amount }))).toEqual(['amount']);
    }
  });

  it('applies the product limits: QR 1-8000, TrueMoney 1-1000, cashier 1-8000', () => {
    const limits: [ThbCreateCollectionInput['payType'], string, string][] = [
      ['QR', '8000', '8000.01'],
      ['PAYMENT_GATEWAY', '1000', '1000.01'],
      ['CASHIER', '8000.00', '8000.01'],
    ];
    for (const [payType, max, over] of limits) {
      expect(collectionRequest({ ...collection, payType, amount: '1' }).params.amount).toBe('1.00');
      expect(collectionRequest({ ...collection, payType, amount: max }).params.amount).toMatch(/^\d+\.00$/);
      expect(refusal(() => collectionRequest({ ...collection, payType, amount: over }))[0]?.rule).toMatch(
        /between 1\.00 and \d+\.00 THB/,
      );
      expect(fieldsRefused(() => collectionRequest({ ...collection, payType, amount: '0.99' }))).toEqual([
        'amount',
      ]);
    }
  });

  it("checks orderId: required, at most 48 characters (the document's max length)", () => {
    expect(collectionRequest({ ...collection, orderId: 'x'.repeat(48) }).orderId).toHaveLength(48);
    for (const orderId of ['', '   ']) {
      expect(refusal(() => collectionRequest({ ...collection, orderId }))).toEqual([
        { field: 'orderId', rule: 'is required' },
      ]);
    }
    expect(refusal(() => collectionRequest({ ...collection, orderId: 'x'.repeat(49) }))).toEqual([
      { field: 'orderId', rule: 'must be at most 48 characters' },
    ]);
  });

  it('checks the payer name by the published pattern ^[A-Za-z\\s!-]+$, 1-30 characters', () => {
    // Spacing and "must hold a letter" are not documented rules: the provider decides.
    for (const name of [
      'test',
      'Jean-Luc Picard',
      'Ann Marie Smith!',
      'x'.repeat(30),
      'John  Doe',
      ' John',
      '!-',
    ]) {
      expect(collectionRequest({ ...collection, name }).params.name).toBe(name);
    }
    for (const name of ["O'Neil", 'J. Doe', 'x'.repeat(31), 'สมชาย ใจดี', '', '123']) {
      expect(fieldsRefused(() => collectionRequest({ ...collection, name }))).toEqual(['name']);
    }
  });

  it('checks the phone: 10 digits starting with 0', () => {
    for (const phone of ['812345678', '+66812345678', '08123456789', '081-234-5678', '1812345678', '']) {
      expect(refusal(() => collectionRequest({ ...collection, phone }))[0]?.field).toBe('phone');
    }
  });

  it('checks email, partnerUserId charset, URLs and a non-empty subject', () => {
    for (const email of ['no-at', 'a@b', 'a b@example.com', '@example.com', '']) {
      expect(fieldsRefused(() => collectionRequest({ ...collection, email }))).toEqual(['email']);
    }
    expect(
      collectionRequest({ ...collection, partnerUserId: 'user-~!@#$%&*()_1' }).params.partnerUserId,
    ).toBe('user-~!@#$%&*()_1');
    for (const partnerUserId of ['', 'user 1', 'user+1', 'ผู้ใช้', 'a/b']) {
      expect(fieldsRefused(() => collectionRequest({ ...collection, partnerUserId }))).toEqual([
        'partnerUserId',
      ]);
    }
    for (const field of ['callBackUrl', 'callBackFailUrl', 'notifyUrl'] as const) {
      for (const url of [
        'ftp://shop.example/x',
        'not a url',
        'javascript:alert(1)',
        '/relative',
        'https://a b.example',
      ]) {
        expect(refusal(() => collectionRequest({ ...collection, [field]: url }))).toEqual([
          { field, rule: 'must be an absolute http(s) URL' },
        ]);
      }
    }
    expect(collectionRequest({ ...collection, notifyUrl: 'http://localhost:3000/n' }).params.notifyUrl).toBe(
      'http://localhost:3000/n',
    );
    expect(refusal(() => collectionRequest({ ...collection, subject: '  ' }))).toEqual([
      { field: 'subject', rule: 'is required' },
    ]);
    const { subject: _subject, ...withoutSubject } = collection;
    expect(refusal(() => collectionRequest(withoutSubject as ThbCreateCollectionInput))).toEqual([
      { field: 'subject', rule: 'is required' },
    ]);
  });

  it('refuses unknown fields and wrong types, naming each', () => {
    expect(
      refusal(() =>
        collectionRequest({ ...collection, notifyURL: 'https://x.example' } as ThbCreateCollectionInput),
      ),
    ).toEqual([{ field: 'notifyURL', rule: 'is not a field of the collection (check its spelling)' }]);
    expect(
      refusal(() =>
        collectionRequest({ ...collection, amount: true, name: 5 } as unknown as ThbCreateCollectionInput),
      ),
    ).toEqual([
      { field: 'amount', rule: 'must be a number or a string of baht' },
      { field: 'name', rule: 'must be a string' },
    ]);
    expect(refusal(() => collectionRequest(null as unknown as ThbCreateCollectionInput))[0]?.field).toBe(
      'input',
    );
  });

  it('reports every broken rule at once', () => {
    expect(
      fieldsRefused(() =>
        collectionRequest({ ...collection, orderId: '', amount: '9000', phone: 'x', email: 'y' }),
      ),
    ).toEqual(['orderId', 'amount', 'phone', 'email']);
  });
});

describe('payoutRequest', () => {
  it('maps the input to the wire form', () => {
    expect(payoutRequest({ ...payout, subject: 'iphone13', notifyUrl: '' }).params).toEqual({
      orderId: 'P100000450012',
      amount: '500.00',
      accountType: 'BANK_ACCOUNT',
      bankCode: 'KBANK',
      accountNo: '1234567890',
      name: "john o'neil",
      phone: '0876543210',
      email: 'johndoe@example.com',
      subject: 'iphone13',
      partnerUserId: '149597870',
    });
  });

  it('limits payouts by default to 1-8,000 THB (Thailand.mdx, the narrower document), bank and e-wallet', () => {
    const wallet = {
      ...payout,
      accountType: 'EWALLET' as const,
      bankCode: 'TRUEMONEY',
      accountNo: '0812345678',
    };
    for (const input of [payout, wallet]) {
      expect(payoutRequest({ ...input, amount: 8_000 }).params.amount).toBe('8000.00');
      expect(refusal(() => payoutRequest({ ...input, amount: '8000.01' }))).toEqual([
        { field: 'amount', rule: 'must be between 1.00 and 8000.00 THB' },
      ]);
      expect(fieldsRefused(() => payoutRequest({ ...input, amount: '0.50' }))).toEqual(['amount']);
    }
  });

  it('checks accountType and bank codes from the table; account numbers only for presence', () => {
    expect(
      refusal(() => payoutRequest({ ...payout, accountType: 'BANK_CARD' as 'BANK_ACCOUNT' }))[0],
    ).toEqual({
      field: 'accountType',
      rule: 'must be one of EWALLET, BANK_ACCOUNT',
    });
    for (const bankCode of ['XYZ', 'kbank', 'BDO', '']) {
      expect(fieldsRefused(() => payoutRequest({ ...payout, bankCode }))).toEqual(['bankCode']);
    }
    for (const bankCode of ['BAY', 'SCB', 'MHCB'])
      expect(payoutRequest({ ...payout, bankCode }).params.bankCode).toBe(bankCode);
    // No document states an account-number format or length: passed on as given.
    for (const accountNo of ['123-4-56789-0', '12345 67890', 'ABC123', '1']) {
      expect(payoutRequest({ ...payout, accountNo }).params.accountNo).toBe(accountNo);
    }
    expect(refusal(() => payoutRequest({ ...payout, accountNo: ' ' }))).toEqual([
      { field: 'accountNo', rule: 'is required' },
    ]);
    // E-wallet codes are not listed in the documents: any non-empty code is passed on.
    const wallet = { ...payout, accountType: 'EWALLET' as const };
    expect(payoutRequest({ ...wallet, bankCode: 'true money', accountNo: '08 1' }).params).toMatchObject({
      bankCode: 'true money',
      accountNo: '08 1',
    });
    expect(fieldsRefused(() => payoutRequest({ ...wallet, bankCode: '', accountNo: '' }))).toEqual([
      'bankCode',
      'accountNo',
    ]);
  });

  it("checks the beneficiary name by the published pattern ^[A-Za-z\\s'.-]+$, 1-30 characters", () => {
    for (const name of ['john doe', "o'neil j. doe-smith", 'A', 'john  doe']) {
      expect(payoutRequest({ ...payout, name }).params.name).toBe(name);
    }
    for (const name of ['john!', 'สมชาย', 'x'.repeat(31), '']) {
      expect(fieldsRefused(() => payoutRequest({ ...payout, name }))).toEqual(['name']);
    }
  });

  it('checks phone (0 + 9 digits), email, partnerUserId, notifyUrl; subject is optional', () => {
    expect(fieldsRefused(() => payoutRequest({ ...payout, phone: '09876543210' }))).toEqual(['phone']);
    expect(fieldsRefused(() => payoutRequest({ ...payout, email: 'x@' }))).toEqual(['email']);
    expect(fieldsRefused(() => payoutRequest({ ...payout, partnerUserId: 'a b' }))).toEqual([
      'partnerUserId',
    ]);
    expect(fieldsRefused(() => payoutRequest({ ...payout, notifyUrl: 'mailto:x@example.com' }))).toEqual([
      'notifyUrl',
    ]);
    expect(payoutRequest(payout).params).not.toHaveProperty('subject');
    expect(
      fieldsRefused(() => payoutRequest({ ...payout, callBackUrl: 'https://x' } as ThbCreatePayoutInput)),
    ).toEqual(['callBackUrl']);
  });
});

describe('queryRequest', () => {
  it('sends orderId and, when given, orderNo', () => {
    expect(queryRequest({ orderId: 'M1' }).params).toEqual({ orderId: 'M1' });
    expect(queryRequest({ orderId: 'M1', orderNo: '6023042811314347' }).params).toEqual({
      orderId: 'M1',
      orderNo: '6023042811314347',
    });
    expect(queryRequest({ orderId: 'M1', orderNo: '' }).params).toEqual({ orderId: 'M1' });
  });

  it('refuses a missing or too long orderId and an orderNo that is not text', () => {
    expect(fieldsRefused(() => queryRequest({ orderId: 'x'.repeat(49) }))).toEqual(['orderId']);
    // orderNo's form is the provider's: only its type is checked.
    expect(queryRequest({ orderId: 'M1', orderNo: '60 23' }).params.orderNo).toBe('60 23');
    expect(fieldsRefused(() => queryRequest({ orderId: 'M1', orderNo: 5 as unknown as string }))).toEqual([
      'orderNo',
    ]);
    expect(fieldsRefused(() => queryRequest({} as { orderId: string }))).toEqual(['orderId']);
  });
});

describe('input types, inferred from the schemas', () => {
  it('are the documented fields, never unknown or any', () => {
    expectTypeOf<ThbCreateCollectionInput>().toEqualTypeOf<{
      orderId: string;
      amount: number | string;
      payType: ThbPayType;
      inBankCode?: ThbInBankCode | undefined;
      name: string;
      phone: string;
      email: string;
      callBackUrl: string;
      callBackFailUrl: string;
      notifyUrl?: string | undefined;
      subject: string;
      body?: string | undefined;
      partnerUserId: string;
    }>();
    expectTypeOf<ThbCreatePayoutInput>().toEqualTypeOf<{
      orderId: string;
      amount: number | string;
      accountType: ThbAccountType;
      bankCode: string;
      accountNo: string;
      name: string;
      phone: string;
      email: string;
      notifyUrl?: string | undefined;
      subject?: string | undefined;
      body?: string | undefined;
      partnerUserId: string;
    }>();
    expectTypeOf<ThbOrderQuery>().toEqualTypeOf<{ orderId: string; orderNo?: string | undefined }>();
    expectTypeOf<ThbStatementQuery>().toEqualTypeOf<{ type: ThbStatementType; date: string }>();
    expectTypeOf<ThbVoucherQuery>().toEqualTypeOf<{ orderNo: string }>();
    type Range = { minSatang: number; maxSatang: number } | undefined;
    expectTypeOf<ThbLimitsOption>().toEqualTypeOf<{
      collection?: { QR?: Range; PAYMENT_GATEWAY?: Range; CASHIER?: Range } | undefined;
      payout?: { BANK_ACCOUNT?: Range; EWALLET?: Range } | undefined;
    }>();
    // The client's methods take exactly these.
    expectTypeOf<
      Parameters<ThbCollectClient['createCollection']>[0]
    >().toEqualTypeOf<ThbCreateCollectionInput>();
    expectTypeOf<Parameters<ThbCollectClient['createPayout']>[0]>().toEqualTypeOf<ThbCreatePayoutInput>();
    expectTypeOf<ThbCollectClientOptions['limits']>().toEqualTypeOf<ThbLimitsOption | undefined>();
  });
});
