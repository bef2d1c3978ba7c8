import type { WebhookScheme } from '../catalog/schema.js';

/**
 * The body of the generated `verify()` method, one per signature scheme. Each mirrors what the
 * official SDK's verify function accepts (see SERVICES.md for where each was read); the test
 * suite compares them against the SDKs on the same vectors.
 */
export function verifyBody(scheme: WebhookScheme): string {
  const sig = JSON.stringify(scheme.signatureHeader);
  const ts = JSON.stringify(scheme.timestampHeader ?? '');
  const tolerance = scheme.toleranceSeconds;
  const required = scheme.requiredHeaders.length
    ? `    for (const name of ${JSON.stringify(scheme.requiredHeaders)}) if (!header(request, name)) return false;\n`
    : '';
  switch (scheme.scheme) {
    case 'twilio':
      return `    const signature = header(request, ${sig});
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
    return safeEqual(expected, signature);`;
    case 'stripe':
      return `    const value = header(request, ${sig});
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
    // Stripe's constructEvent rejects events older than the tolerance; it does not reject future ones.
    return Math.floor(this.now() / 1000) - timestamp <= this.toleranceSeconds;`;
    case 'slack':
      return `    const timestamp = header(request, ${ts});
    const signature = header(request, ${sig});
    if (!timestamp || !signature) return false;
    const seconds = Number(timestamp);
    if (!Number.isFinite(seconds)) return false;
    // Bolt rejects requests older than five minutes; it does not reject future ones.
    if (seconds < Math.floor(this.now() / 1000) - this.toleranceSeconds) return false;
    const [version, hash] = signature.split('=');
    if (version !== 'v0' || !hash) return false;
    const expected = createHmac('sha256', this.secret).update(\`v0:\${timestamp}:\${request.rawBody}\`).digest('hex');
    return safeEqual(expected, hash);`;
    case 'hmac-body':
    case 'hmac-url-body': {
      const prefix = scheme.signaturePrefix ?? '';
      const content = scheme.scheme === 'hmac-url-body' ? 'request.url + request.rawBody' : 'request.rawBody';
      return `${required}    const signature = header(request, ${sig});
    if (!signature || !request.rawBody) return false;
    const expected = ${JSON.stringify(prefix)} + createHmac('${scheme.hmacHash}', this.secret).update(${content}, 'utf8').digest('${scheme.encoding}');
    return safeEqual(expected, signature);`;
    }
    case 'standard-webhooks':
      return `${required}    const id = header(request, 'webhook-id');
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
    return signatures.split(' ').some((part) => part.startsWith('v1,') && safeEqual(expected, part.slice(3)));`;
    case 'ed25519':
      return `    const signature = header(request, ${sig});
    const timestamp = header(request, ${ts});
    if (!signature || !timestamp || !/^[0-9a-f]+$/i.test(signature)) return false;
    try {
      // Discord gives the raw 32-byte key in hex; Node wants it wrapped as SPKI DER.
      const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(this.secret, 'hex')]), format: 'der', type: 'spki' });
      return cryptoVerify(null, Buffer.from(timestamp + request.rawBody), key, Buffer.from(signature, 'hex'));
    } catch {
      return false;
    }`;
    case 'ecdsa-p256':
      return `    const signature = header(request, ${sig});
    const timestamp = header(request, ${ts});
    if (!signature || !timestamp) return false;
    try {
      const key = createPublicKey({ key: Buffer.from(this.secret, 'base64'), format: 'der', type: 'spki' });
      return cryptoVerify('sha256', Buffer.from(timestamp + request.rawBody), key, Buffer.from(signature, 'base64'));
    } catch {
      return false;
    }`;
    case 'mailgun':
      return `    const parsed = MailgunSignature.safeParse(safeJson(request.rawBody));
    if (!parsed.success) return false;
    const { timestamp, token, signature } = parsed.data.signature;
    const expected = createHmac('sha256', this.secret).update(timestamp + token).digest('hex');
    return safeEqual(expected, signature);`;
    case 'paypal-api':
      return `${required}    const signature = header(request, ${sig});
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
    return result.success && result.data.verification_status === 'SUCCESS';`;
    case 'jws-hs256':
      return `    const token = header(request, ${sig});
    if (!token || !request.rawBody) return false;
    const parts = token.split('.');
    if (parts.length !== 3) return false;
    const [encodedHeader, encodedClaims, signature] = parts as [string, string, string];
    // Only HS256: a token naming another algorithm (or "none") is refused before anything else.
    const jwsHeader = JwsHeader.safeParse(safeJson(Buffer.from(encodedHeader, 'base64url').toString('utf8')));
    if (!jwsHeader.success || jwsHeader.data.alg !== 'HS256') return false;
    const expected = createHmac('sha256', this.secret).update(\`\${encodedHeader}.\${encodedClaims}\`).digest('base64url');
    if (!safeEqual(expected, signature)) return false;
    const claims = JwsClaims.safeParse(safeJson(Buffer.from(encodedClaims, 'base64url').toString('utf8')));
    if (!claims.success || claims.data.iss !== ${JSON.stringify(scheme.issuer ?? '')}) return false;
    if (claims.data.exp !== undefined && claims.data.exp * 1000 <= this.now()) return false;
    // The token signs a SHA-256 of the body, so the body itself is checked through the claim.
    const bodyHash = createHash('sha256').update(request.rawBody, 'utf8').digest('hex');
    return safeEqual(bodyHash, claims.data.sha256);`;
  }
}

/** Module-level helpers a scheme's verify body needs, beyond `header` and `safeEqual`. */
export function verifyHelpers(scheme: WebhookScheme): string {
  switch (scheme.scheme) {
    case 'ed25519':
      return `/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 key bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');\n`;
    case 'mailgun':
      return `const MailgunSignature = z.object({ signature: z.object({ timestamp: z.string(), token: z.string(), signature: z.string() }) });\n`;
    case 'paypal-api':
      return `const PayPalVerification = z.object({ verification_status: z.enum(['SUCCESS', 'FAILURE']) });\n`;
    case 'jws-hs256':
      return `/** The token's header and the claims the handler relies on (a JWT verified by hand: the check is short and needs no JWT library). */
const JwsHeader = z.object({ alg: z.string() });
const JwsClaims = z.object({ iss: z.string(), sha256: z.string(), exp: z.number().optional() });\n`;
    default:
      return '';
  }
}

/** The node:crypto names the verify body uses. */
export function cryptoImports(scheme: WebhookScheme): string[] {
  switch (scheme.scheme) {
    case 'twilio':
      return ['createHash', 'createHmac', 'timingSafeEqual'];
    case 'ed25519':
    case 'ecdsa-p256':
      return ['createPublicKey', 'timingSafeEqual', 'verify as cryptoVerify'];
    case 'paypal-api':
      return ['timingSafeEqual'];
    case 'jws-hs256':
      return ['createHash', 'createHmac', 'timingSafeEqual'];
    default:
      return ['createHmac', 'timingSafeEqual'];
  }
}
