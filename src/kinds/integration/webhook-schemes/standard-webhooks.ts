import type { SchemeTemplate } from './scheme.js';

/** Standard Webhooks (OpenAI, Anthropic, Replicate): webhook-id/-timestamp/-signature; HMAC-SHA256 with the whsec_ base64 key. */
export const standardWebhooks: SchemeTemplate = {
  cryptoImports: ['createHmac', 'timingSafeEqual'],
  verifyBody: ({ sig, ts, required }) =>
    `${required}    const id = header(request, 'webhook-id');
    const timestamp = header(request, ${ts});
    const signatures = header(request, ${sig});
    if (!id || !timestamp || !signatures) return false;
    const seconds = Number.parseInt(timestamp, 10);
    if (Number.isNaN(seconds)) return false;
    const nowSeconds = Math.floor(this.now() / 1000);
    if (nowSeconds - seconds > this.toleranceSeconds || seconds > nowSeconds + this.toleranceSeconds) return false;
    // whsec_ secrets are base64 after the prefix (Standard Webhooks); others are used as UTF-8 bytes.
    const key = this.secret.startsWith('whsec_') ? Buffer.from(this.secret.slice('whsec_'.length), 'base64') : Buffer.from(this.secret, 'utf8');
    const expected = createHmac('sha256', key).update(\`\${id}.\${timestamp}.\${request.rawBody}\`).digest('base64');
    return signatures.split(' ').some((part) => part.startsWith('v1,') && safeEqual(expected, part.slice(3)));`,
};
