import type { SchemeTemplate } from './scheme.js';

/** Discord: Ed25519 over timestamp + body; the hex public key and signature. */
export const ed25519: SchemeTemplate = {
  cryptoImports: ['createPublicKey', 'timingSafeEqual', 'verify as cryptoVerify'],
  helpers: `/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 key bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');\n`,
  challenge: `    if (z.object({ type: z.literal(1) }).safeParse(safeJson(request.rawBody)).success) return { status: 200, body: JSON.stringify({ type: 1 }) };
`,
  verifyBody: ({ sig, ts }) =>
    `    const signature = header(request, ${sig});
    const timestamp = header(request, ${ts});
    if (!signature || !timestamp || !/^[0-9a-f]+$/i.test(signature)) return false;
    try {
      // Discord gives the raw 32-byte key in hex; Node wants it wrapped as SPKI DER.
      const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(this.secret, 'hex')]), format: 'der', type: 'spki' });
      return cryptoVerify(null, Buffer.from(timestamp + request.rawBody), key, Buffer.from(signature, 'hex'));
    } catch {
      return false;
    }`,
};
