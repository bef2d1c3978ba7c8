import type { SchemeTemplate } from './scheme.js';

/** PayPal: asymmetric; verified by PayPal's verify-webhook-signature endpoint (the current SDK has no local verifier). */
export const paypalApi: SchemeTemplate = {
  cryptoImports: ['timingSafeEqual'],
  helpers: `const PayPalVerification = z.object({ verification_status: z.enum(['SUCCESS', 'FAILURE']) });\n`,
  verifyBody: ({ sig, required }) =>
    `${required}    const signature = header(request, ${sig});
    const event = safeJson(request.rawBody);
    if (!signature || event === undefined || !this.options.accessToken) return false;
    // PayPal signs with a certificate; its verify endpoint does the check (the current SDK has no local verifier).
    const response = await (this.options.fetch ?? globalThis.fetch)(\`\${this.options.apiBaseUrl ?? 'https://api-m.paypal.com'}/v1/notifications/verify-webhook-signature\`, {
      method: 'POST',
      headers: { authorization: \`Bearer \${await this.options.accessToken()}\`, 'content-type': 'application/json' },
      body: JSON.stringify({
        auth_algo: header(request, 'PAYPAL-AUTH-ALGO'),
        cert_url: header(request, 'PAYPAL-CERT-URL'),
        transmission_id: header(request, 'PAYPAL-TRANSMISSION-ID'),
        transmission_sig: signature,
        transmission_time: header(request, 'PAYPAL-TRANSMISSION-TIME'),
        webhook_id: this.secret,
        webhook_event: event,
      }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) return false;
    const result = PayPalVerification.safeParse(await response.json());
    return result.success && result.data.verification_status === 'SUCCESS';`,
};
