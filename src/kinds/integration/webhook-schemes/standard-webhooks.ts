import type { SchemeTemplate } from './scheme.js';

/** Standard Webhooks (OpenAI, Anthropic, Replicate): webhook-id/-timestamp/-signature; HMAC-SHA256 with the whsec_ base64 key. */
export const standardWebhooks: SchemeTemplate = {
  cryptoImports: ['createHmac', 'timingSafeEqual'],
  verifyBody: ({ scheme, sig, ts, required }) =>
    `${required}    const id = header(request, 'webhook-id');
    const timestamp = header(request, ${ts});
    const signatures = header(request, ${sig});
    if (!id || !timestamp || !signatures) return false;
    const seconds = Number.parseInt(timestamp, 10);
    if (Number.isNaN(seconds)) return false;
    const nowSeconds = Math.floor(this.now() / 1000);
    if (nowSeconds - seconds > this.toleranceSeconds || seconds > nowSeconds + this.toleranceSeconds) return false;
${
      scheme.unprefixedSecret === 'base64'
        ? `    // As the standardwebhooks library the SDK uses: the whsec_ prefix is optional, the key is always base64.
    const key = Buffer.from(this.secret.startsWith('whsec_') ? this.secret.slice('whsec_'.length) : this.secret, 'base64');`
        : `    // whsec_ secrets are base64 after the prefix; a secret without it is used as UTF-8 bytes, as the SDK does.
    const key = this.secret.startsWith('whsec_') ? Buffer.from(this.secret.slice('whsec_'.length), 'base64') : Buffer.from(this.secret, 'utf8');`
    }
    const expected = createHmac('sha256', key).update(\`\${id}.\${timestamp}.\${request.rawBody}\`).digest('base64');
    return signatures.split(' ').some((part) => part.startsWith('v1,') && safeEqual(expected, part.slice(3)));`,
};
