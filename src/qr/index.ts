/**
 * `thaipay/qr`: PromptPay / EMVCo QR payloads read, checked, built and rendered. Runs anywhere (no Node
 * built-ins); uqr and promptparse are imported only from this folder, so other entries never pay for them.
 */
export * from '../core/errors';
export { assertQrAmount, type ExpectedAmount } from './assert-amount';
export { type BuildPromptPayPayloadInput, buildPromptPayPayload, type PromptPayPayee } from './build';
export type { QrErrorCorrection, QrMatrixOptions } from './matrix';
export { parsePromptPayPayload } from './parse';
export { type QrSvgOptions, renderQrSvg } from './svg';
export { type QrTerminalOptions, renderQrTerminal } from './terminal';
export type { EmvTag, PromptPayPayload, PromptPayTarget, PromptPayTargetType } from './types';
