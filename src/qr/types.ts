/**
 * What {@link parsePromptPayPayload} reads out of a PromptPay / EMVCo merchant-presented QR payload.
 */

/** One TLV data object of an EMVCo payload, as written. */
export interface EmvTag {
  /** Two-digit tag id, for example `54` (amount). */
  id: string;
  /** The value as written (for a template, the nested TLV text). */
  value: string;
  /** The nested data objects of a template tag (29, 30, 62, ...), when its value parses as TLV. */
  subTags?: readonly EmvTag[];
}

/**
 * Whom a PromptPay QR pays.
 * - `mobile`, `nationalId`, `eWallet`, `bankAccount`: PromptPay credit transfer (tag 29, sub-tags 01-04);
 * - `billerId`: PromptPay bill payment (tag 30), with its references;
 * - `other`: any other merchant-account template (cards, foreign schemes, bank-specific ones).
 */
export type PromptPayTargetType = 'mobile' | 'nationalId' | 'eWallet' | 'bankAccount' | 'billerId' | 'other';

/** The account a QR pays into. */
export interface PromptPayTarget {
  /** Which kind of identifier the QR carries, from its sub-tag; `other` when not a PromptPay one. */
  type: PromptPayTargetType;
  /**
   * The identifier as written in the QR. A mobile number is in the 13-digit PromptPay form
   * (`0066812345678`); see `mobileNumber` for the local form.
   */
  value: string;
  /** For `mobile`: the local 10-digit form, `0812345678`. */
  mobileNumber?: string;
  /** For `billerId`: reference 1 (customer or invoice number). */
  ref1?: string;
  /** For `billerId`: reference 2, when present. */
  ref2?: string;
  /** Id of the merchant-account template the target came from (`29`, `30`, ...). */
  tagId: string;
  /** The template's application identifier (sub-tag 00), for example `A000000677010111` for PromptPay. */
  aid?: string;
}

/** A PromptPay / EMVCo merchant-presented QR payload, read. */
export interface PromptPayPayload {
  /** `true` when the payload is well formed and its CRC matches: safe to show or pay. */
  valid: boolean;
  /** Whether the CRC (tag 63) matches the payload. A mismatch means a typo, truncation or tampering. */
  crcValid: boolean;
  /** The CRC as written in tag 63. */
  crc: string;
  /** The CRC the payload should carry (CRC-16/CCITT-FALSE, uppercase hex). */
  expectedCrc: string;
  /** `static`: reusable, the payer types the amount (tag 01 = 11 or absent); `dynamic`: one payment (12). */
  pointOfInitiation: 'static' | 'dynamic';
  /** The amount in satang, when the QR carries one (tag 54). */
  amountSatang?: number;
  /** The amount exactly as written in tag 54, for example `300.00`. */
  amount?: string;
  /** ISO 4217 alpha code when known (`764` → `THB`), otherwise the numeric code as written. */
  currency: string;
  /** ISO 4217 numeric code as written in tag 53, for example `764`. */
  currencyCode: string;
  /** ISO 3166-1 alpha-2 country code (tag 58), for example `TH`. */
  countryCode: string;
  /** Whom the QR pays, from the first merchant-account template (tags 02-51). */
  target?: PromptPayTarget;
  /** Merchant name (tag 59), when present. PromptPay person-to-person QRs have none. */
  merchantName?: string;
  /** Merchant city (tag 60), when present. */
  merchantCity?: string;
  /** Every top-level data object in payload order, template sub-tags included. */
  tags: readonly EmvTag[];
}
