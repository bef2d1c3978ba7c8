import type { SchemeTemplate } from './scheme.js';

/** Stripe: a `t=,v1=` header; HMAC-SHA256 over `{t}.{body}`, hex (stripe-node's constructEvent). */
export const stripe: SchemeTemplate = {
  cryptoImports: ['createHmac', 'timingSafeEqual'],
  verifyBody: ({ sig }) =>
    `    const value = header(request, ${sig});
    if (!value || !request.rawBody) return false;
    let timestamp = -1;
    const signatures: string[] = [];
    for (const item of value.split(',')) {
      const [key, part] = item.split('=');
      if (key === 't' && part !== undefined) timestamp = Number.parseInt(part, 10);
      if (key === 'v1' && part !== undefined) signatures.push(part);
    }
    if (!Number.isFinite(timestamp) || timestamp <= 0 || signatures.length === 0) return false;
    const expected = createHmac('sha256', this.secret).update(\`\${timestamp}.\${request.rawBody}\`, 'utf8').digest('hex');
    if (!signatures.some((candidate) => safeEqual(expected, candidate))) return false;
    // Stripe's constructEvent rejects events older than the tolerance; it does not reject future ones,
    // and a tolerance of 0 turns the check off, as in stripe-node.
    return this.toleranceSeconds === 0 || Math.floor(this.now() / 1000) - timestamp <= this.toleranceSeconds;`,
};
