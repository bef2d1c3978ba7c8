import type { SchemeTemplate } from './scheme.js';

/** Twilio: HMAC-SHA1 over the URL plus the sorted form parameters, base64 (twilio-node's validateRequest). */
export const twilio: SchemeTemplate = {
  cryptoImports: ['createHash', 'createHmac', 'timingSafeEqual'],
  verifyBody: ({ sig }) =>
    `    const signature = header(request, ${sig});
    if (!signature) return false;
    const url = new URL(request.url);
    let signed = request.url;
    const contentType = header(request, 'content-type') ?? '';
    if (url.searchParams.has('bodySHA256')) {
      // JSON bodies: the URL carries the body's SHA-256 and the signature covers the URL only.
      const bodyHash = createHash('sha256').update(request.rawBody).digest('hex');
      if (!safeEqual(bodyHash, url.searchParams.get('bodySHA256') ?? '')) return false;
    } else if (contentType.includes('application/x-www-form-urlencoded') || contentType === '') {
      const params = new URLSearchParams(request.rawBody);
      const keys = [...new Set(params.keys())].sort();
      for (const key of keys) for (const value of [...new Set(params.getAll(key))].sort()) signed += key + value;
    }
    const expected = createHmac('sha1', this.secret).update(Buffer.from(signed, 'utf8')).digest('base64');
    return safeEqual(expected, signature);`,
};
