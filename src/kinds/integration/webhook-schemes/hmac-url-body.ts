import { hmacVerifyBody } from './hmac-body.js';
import type { SchemeTemplate } from './scheme.js';

/** Square: HMAC-SHA256 over the notification URL followed by the raw body, base64. */
export const hmacUrlBody: SchemeTemplate = {
  cryptoImports: ['createHmac', 'timingSafeEqual'],
  verifyBody: (context) => hmacVerifyBody(context, 'request.url + request.rawBody'),
};
