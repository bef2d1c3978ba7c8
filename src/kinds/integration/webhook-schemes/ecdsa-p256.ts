import type { SchemeTemplate } from './scheme.js';

/** SendGrid: ECDSA P-256 with SHA-256 over timestamp + body; base64 DER key and signature. */
export const ecdsaP256: SchemeTemplate = {
  cryptoImports: ['createPublicKey', 'timingSafeEqual', 'verify as cryptoVerify'],
  verifyBody: ({ sig, ts }) =>
    `    const signature = header(request, ${sig});
    const timestamp = header(request, ${ts});
    if (!signature || !timestamp) return false;
    try {
      const key = createPublicKey({ key: Buffer.from(this.secret, 'base64'), format: 'der', type: 'spki' });
      return cryptoVerify('sha256', Buffer.from(timestamp + request.rawBody), key, Buffer.from(signature, 'base64'));
    } catch {
      return false;
    }`,
};
