import type { SignatureScheme, WebhookScheme } from '../catalog/schema.js';
import { ecdsaP256 } from './ecdsa-p256.js';
import { ed25519 } from './ed25519.js';
import { hmacBody } from './hmac-body.js';
import { hmacUrlBody } from './hmac-url-body.js';
import { jwsHs256 } from './jws-hs256.js';
import { mailgun } from './mailgun.js';
import { paypalApi } from './paypal-api.js';
import type { SchemeTemplate } from './scheme.js';
import { slack } from './slack.js';
import { standardWebhooks } from './standard-webhooks.js';
import { stripe } from './stripe.js';
import { twilio } from './twilio.js';

/** Every signature scheme the catalog can name; a new one is a file here and a line below. */
const SCHEMES: Record<SignatureScheme, SchemeTemplate> = {
  twilio,
  stripe,
  slack,
  'hmac-body': hmacBody,
  'hmac-url-body': hmacUrlBody,
  'standard-webhooks': standardWebhooks,
  ed25519,
  'ecdsa-p256': ecdsaP256,
  mailgun,
  'paypal-api': paypalApi,
  'jws-hs256': jwsHs256,
};

export function schemeTemplate(scheme: WebhookScheme): SchemeTemplate {
  return SCHEMES[scheme.scheme];
}

/** The body of the generated `verify()` method for the service's scheme. */
export function verifyBody(scheme: WebhookScheme): string {
  const required = scheme.requiredHeaders.length
    ? `    for (const name of ${JSON.stringify(scheme.requiredHeaders)}) if (!header(request, name)) return false;\n`
    : '';
  return SCHEMES[scheme.scheme].verifyBody({ scheme, sig: JSON.stringify(scheme.signatureHeader), ts: JSON.stringify(scheme.timestampHeader ?? ''), required });
}
