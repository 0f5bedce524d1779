import { createHmac, timingSafeEqual } from 'node:crypto';
import { SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from '../../jobs/index.js';
import type { PiiCipher } from '../../store/index.js';

/**
 * The payment gateway as the portal sees it (decision 1001): it takes a payment to collect and gives back
 * its own payment id and a page where the borrower pays; later it calls POST /portal/payment-callbacks with
 * the outcome, signed with HMAC-SHA256 over `timestamp.body` (the same scheme as Lendguard's own webhooks).
 */
export interface PaymentGateway {
  readonly name: string;
  /** The key callbacks are signed with. */
  readonly callbackSecret: string;
  createPayment(p: {
    paymentId: string;
    amount: string;
    currency: string;
  }): Promise<{ gatewayPaymentId: string; payUrl: string }>;
}

/** How far a callback's timestamp may be from the server's clock. */
export const CALLBACK_SKEW_MS = 5 * 60_000;

/** Whether a callback's signature is the gateway's, over this exact body, and recent. */
export function callbackSignatureValid(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  rawBody: string | undefined,
  now: Date,
): boolean {
  const signature = headers[SIGNATURE_HEADER];
  const timestamp = headers[TIMESTAMP_HEADER];
  if (typeof signature !== 'string' || typeof timestamp !== 'string' || rawBody === undefined) return false;
  if (!/^[0-9]{1,12}$/.test(timestamp)) return false;
  if (Math.abs(Number(timestamp) * 1000 - now.getTime()) > CALLBACK_SKEW_MS) return false;
  const expected = Buffer.from(signBody(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * The built-in test gateway: a page of this server (`/test-gateway/payments/{paymentId}`) where the payer
 * presses "pay" or "fail", after which it calls the callback route over HTTP, signed, as a real gateway
 * would. On only where `portal_settings.test_gateway` is set (the demo, tests). Its key is derived from the
 * PII key, so it differs per installation and is never configured by hand.
 */
export function testGateway(cipher: PiiCipher): PaymentGateway {
  const secret = createHmac('sha256', cipher.blindIndex('portal_test_gateway', 'callback'))
    .update('lendguard test gateway')
    .digest('hex');
  return {
    name: 'test',
    callbackSecret: secret,
    async createPayment(p) {
      return {
        gatewayPaymentId: `tgw_${p.paymentId.slice(4)}`,
        payUrl: `/test-gateway/payments/${p.paymentId}`,
      };
    },
  };
}
