import type { SchemeTemplate } from './scheme.js';

/** Mailgun: a signature object inside the JSON body; HMAC-SHA256 over timestamp + token, hex. */
export const mailgun: SchemeTemplate = {
  cryptoImports: ['createHmac', 'timingSafeEqual'],
  helpers: `const MailgunSignature = z.object({ signature: z.object({ timestamp: z.string(), token: z.string(), signature: z.string() }) });\n`,
  verifyBody: ({  }) =>
    `    const parsed = MailgunSignature.safeParse(safeJson(request.rawBody));
    if (!parsed.success) return false;
    const { timestamp, token, signature } = parsed.data.signature;
    const expected = createHmac('sha256', this.secret).update(timestamp + token).digest('hex');
    return safeEqual(expected, signature);`,
};
