/**
 * What the matrix's local provider server (`server.ts`, in Node) answers, shared with the checks that run
 * in the runtime under test, so both sides agree without talking about it.
 */

/** The JWT gateway side: `POST /api/v1/balance`. */
export const MOCK_GATEWAY = {
  prefix: '/api/v1',
  merchantId: 'M-42',
  balance: 1234.56,
  balanceSatang: 123456,
  currency: 'THB',
} as const;

/** The THB collect side: `POST /thb/collect/query`. */
export const MOCK_THB = {
  appId: 1001,
  /** Answered with a correctly signed, paid collection. */
  orderId: 'M1001',
  orderNo: 'TH202506150001',
  amount: '300.00',
  amountSatang: 30000,
  /** Answered with a collection whose signature does not verify (one field changed after signing). */
  tamperedOrderId: 'M-TAMPERED',
} as const;
