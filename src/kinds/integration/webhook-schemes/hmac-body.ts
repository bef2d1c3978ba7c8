import type { SchemeContext, SchemeTemplate } from './scheme.js';

/** The HMAC check of the body, or of what the caller passes as the signed content. */
export function hmacVerifyBody({ scheme, sig, required }: SchemeContext, content: string): string {
  const prefix = scheme.signaturePrefix ?? '';
  return `${required}    const signature = header(request, ${sig});
    if (!signature || !request.rawBody) return false;
    const expected = ${JSON.stringify(prefix)} + createHmac('${scheme.hmacHash}', this.secret).update(${content}, 'utf8').digest('${scheme.encoding}');
    return safeEqual(expected, signature);`;
}

/** HMAC over the raw body: GitHub (hex with `sha256=`), Shopify (base64), Vercel (SHA-1 hex). */
export const hmacBody: SchemeTemplate = {
  cryptoImports: ['createHmac', 'timingSafeEqual'],
  verifyBody: (context) => hmacVerifyBody(context, 'request.rawBody'),
};
