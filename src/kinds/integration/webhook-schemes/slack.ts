import type { SchemeTemplate } from './scheme.js';

/** Slack: `v0=` hex; HMAC-SHA256 over `v0:{timestamp}:{body}` (Bolt's request verification). */
export const slack: SchemeTemplate = {
  cryptoImports: ['createHmac', 'timingSafeEqual'],
  challenge: `    const handshake = z.object({ type: z.literal('url_verification'), challenge: z.string() }).safeParse(safeJson(request.rawBody));
    if (handshake.success) return { status: 200, body: handshake.data.challenge };
`,
  verifyBody: ({ sig, ts }) =>
    `    const timestamp = header(request, ${ts});
    const signature = header(request, ${sig});
    if (!timestamp || !signature) return false;
    const seconds = Number(timestamp);
    if (!Number.isFinite(seconds)) return false;
    // Bolt rejects requests older than five minutes; it does not reject future ones.
    if (seconds < Math.floor(this.now() / 1000) - this.toleranceSeconds) return false;
    const [version, hash] = signature.split('=');
    if (version !== 'v0' || !hash) return false;
    const expected = createHmac('sha256', this.secret).update(\`v0:\${timestamp}:\${request.rawBody}\`).digest('hex');
    return safeEqual(expected, hash);`,
};
