import type { SchemeTemplate } from './scheme.js';

/** Netlify: a JWT (HS256, shared secret) whose claims carry the issuer and the body's SHA-256. */
export const jwsHs256: SchemeTemplate = {
  cryptoImports: ['createHash', 'createHmac', 'timingSafeEqual'],
  helpers: `/** The token's header and the claims the handler relies on (a JWT verified by hand: the check is short and needs no JWT library). */
const JwsHeader = z.object({ alg: z.string() });
const JwsClaims = z.object({ iss: z.string(), sha256: z.string(), exp: z.number().optional() });\n`,
  verifyBody: ({ scheme, sig }) =>
    `    const token = header(request, ${sig});
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
    return safeEqual(bodyHash, claims.data.sha256);`,
};
