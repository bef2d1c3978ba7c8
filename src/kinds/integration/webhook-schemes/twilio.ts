import type { SchemeTemplate } from './scheme.js';

/** Twilio: HMAC-SHA1 over the URL plus the sorted form parameters, base64 (twilio-node's validateRequest). */
export const twilio: SchemeTemplate = {
  cryptoImports: ['createHash', 'createHmac', 'timingSafeEqual'],
  verifyBody: ({ sig }) =>
    `    const signature = header(request, ${sig});
    if (!signature) return false;
    const url = new URL(request.url);
    let params = '';
    const contentType = header(request, 'content-type') ?? '';
    if (url.searchParams.has('bodySHA256')) {
      // JSON bodies: the URL carries the body's SHA-256 and the signature covers the URL only.
      const bodyHash = createHash('sha256').update(request.rawBody).digest('hex');
      if (!safeEqual(bodyHash, url.searchParams.get('bodySHA256') ?? '')) return false;
    } else if (contentType.includes('application/x-www-form-urlencoded') || contentType === '') {
      const form = new URLSearchParams(request.rawBody);
      const keys = [...new Set(form.keys())].sort();
      for (const key of keys) for (const value of [...new Set(form.getAll(key))].sort()) params += key + value;
    }
    // Like twilio-node, the URL is tried without and with the default port: proxies add or drop it.
    const withoutPort = new URL(request.url);
    withoutPort.port = '';
    const withPort = new URL(withoutPort.href);
    const explicit = withPort.protocol === 'https:' ? '443' : '80';
    // URL drops a default port, so it is spliced into the text by hand.
    const withPortText = withPort.href.replace(\`//\${withPort.host}\`, \`//\${withPort.hostname}:\${explicit}\`);
    return [withoutPort.href, withPortText, request.url].some((candidate) =>
      safeEqual(createHmac('sha1', this.secret).update(Buffer.from(candidate + params, 'utf8')).digest('base64'), signature),
    );`,
};
