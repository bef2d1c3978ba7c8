import type { z } from 'zod';
import type { ServiceEntry } from '../schema.js';

export const twilio: z.input<typeof ServiceEntry> = {
  id: 'twilio',
  name: 'Twilio',
  className: 'Twilio',
  category: 'communication',
  kind: 'http-api',
  api: { baseUrl: 'https://api.twilio.com/2010-04-01', confidence: 'verified' },
  auth: { scheme: 'basic', description: 'HTTP Basic with Account SID and Auth Token (or API key SID and secret)', confidence: 'verified' },
  envVars: [
    { name: 'TWILIO_ACCOUNT_SID', description: 'Account SID (starts with AC)', secret: false },
    { name: 'TWILIO_AUTH_TOKEN', description: 'Auth Token; also the key that signs webhooks', secret: true },
    { name: 'TWILIO_FROM_NUMBER', description: 'Sending phone number in E.164 form', secret: false, confidence: 'unverified' },
  ],
  webhook: {
    signatureHeader: 'X-Twilio-Signature',
    algorithm: 'HMAC-SHA1, key = Auth Token',
    signedContent: 'full URL (with query) + form parameters sorted by key, each key followed by its value; JSON bodies: URL carries bodySHA256 = hex SHA-256 of the body and the signature covers the URL only',
    encoding: 'base64',
    toleranceSeconds: null,
    secretEnvVar: 'TWILIO_AUTH_TOKEN',
    confidence: 'verified',
    events: ['message.status', 'message.inbound', 'call.status'],
  },
  rateLimit: { signals: ['HTTP 429', 'error code 20429 (too many concurrent requests; safe to retry)'], retryAfterHeader: false, confidence: 'doc-excerpt' },
  sdk: { package: 'twilio', verifyFunction: 'twilio.validateRequest(authToken, signature, url, params)' },
  endpoints: [
    { method: 'POST', path: '/Accounts/{AccountSid}/Messages.json', description: 'Send an SMS or MMS' },
    { method: 'GET', path: '/Accounts/{AccountSid}/Messages/{Sid}.json', description: 'Fetch a message' },
    { method: 'POST', path: '/Accounts/{AccountSid}/Calls.json', description: 'Start a call' },
  ],
  capabilities: ['Send SMS and MMS messages', 'Fetch message status', 'Start voice calls', 'Receive and verify status and inbound-message webhooks'],
  sources: ['twilio/twilio-node src/webhooks/webhooks.ts', 'twilio/twilio-node src/base/BaseTwilio.ts', 'https://www.twilio.com/docs/usage/security#validating-requests'],
  unverified: ['Retry-After is documented only for some Twilio APIs (e.g. error 59004)', 'TWILIO_FROM_NUMBER is a convention, not read by the SDK'],
};
