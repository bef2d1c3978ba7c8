import { describe, expect, it } from 'vitest';
import { catalogServices, findService, requireService, serviceForInputs } from '../../../src/kinds/integration/catalog/catalog.js';
import { UserError } from '../../../src/errors.js';
import { envExample, researchNote } from '../../../src/kinds/integration/templates/notes.js';
import { clientSource } from '../../../src/kinds/integration/templates/client.js';
import { connectionSource } from '../../../src/kinds/integration/templates/connection.js';
import { webhookHandlerSource } from '../../../src/kinds/integration/templates/webhook.js';

const SEED = [
  ...['stripe', 'paypal', 'square', 'coinbase-commerce', 'twilio', 'sendgrid', 'mailgun', 'slack', 'discord', 'github', 'shopify'],
  ...['openai', 'anthropic', 'hugging-face', 'replicate', 'postgresql', 'redis', 'mongodb', 'mysql', 'dynamodb'],
  ...['aws-s3', 'aws-lambda', 'google-cloud-storage', 'azure-blob-storage', 'vercel', 'netlify'],
];
/** Services outside SERVICES.md's verified table: every fact of theirs is marked. */
const OUTSIDE_SERVICES_MD = ['coinbase-commerce', 'hugging-face', 'replicate', 'mysql', 'dynamodb', 'aws-lambda', 'google-cloud-storage', 'azure-blob-storage', 'vercel', 'netlify'];

describe('service catalog', () => {
  it('holds every seed service, each validated by the schema', () => {
    expect(catalogServices().map((s) => s.id).sort()).toEqual([...SEED].sort());
    for (const service of catalogServices()) {
      expect(service.sources.length, service.id).toBeGreaterThan(0);
      if (service.kind === 'http-api') expect(service.api.baseUrl, service.id).toMatch(/^https:\/\//);
      else expect(service.driver, service.id).toBeDefined();
    }
  });

  it('finds services by alias, whatever the case', () => {
    expect(findService('Postgres')?.id).toBe('postgresql');
    expect(findService('S3')?.id).toBe('aws-s3');
    expect(findService('STRIPE')?.id).toBe('stripe');
    expect(findService('lambda')?.id).toBe('aws-lambda');
    expect(findService('GCS')?.id).toBe('google-cloud-storage');
    expect(findService('azure')?.id).toBe('azure-blob-storage');
    expect(findService('huggingface')?.id).toBe('hugging-face');
    expect(findService('coinbase')?.id).toBe('coinbase-commerce');
  });

  it('an unknown service is a user error (exit 2) that lists the close matches', () => {
    const error = (() => {
      try {
        requireService('strpe');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ exitCode: 2, code: 'UNKNOWN_SERVICE' });
    expect((error as Error).message).toMatch(/unknown service "strpe": did you mean stripe\?/);
    expect(() => requireService('mongo-db')).toThrow(/did you mean mongodb/);
    expect(() => requireService('zzzzzzzz')).toThrow(/known services: .*twilio/);
    expect(() => requireService('netlfy')).toThrow(/did you mean netlify\?/);
    expect(() => requireService('dynamo-db')).toThrow(/did you mean dynamodb\?/);
    expect(() => requireService('hugingface')).toThrow(/did you mean hugging-face\?/);
    expect(() => requireService('replicat')).toThrow(/did you mean replicate\?/);
    expect(() => requireService('mysq')).toThrow(/did you mean mysql\?/);
    expect(() => requireService('google')).toThrow(/did you mean google-cloud-storage\?/);
    // A short alias (gcs, hf, aws) is compared against its own length, not its long id's.
    expect(() => requireService('vercell')).toThrow(/did you mean vercel\?/);
  });

  it('custom-api needs an http(s) URL without credentials, and marks what it does not know', () => {
    expect(() => requireService('custom-api')).toThrow(/needs the API base URL/);
    expect(() => requireService('custom-api', 'not a url')).toThrow(/is not a URL/);
    expect(() => requireService('custom-api', 'ftp://files.example.com')).toThrow(/http or https/);
    expect(() => requireService('custom-api', 'https://user:pw@api.example.com')).toThrow(/credentials/);
    const entry = requireService('custom-api', 'https://api.acme-corp.io/v2/');
    expect(entry).toMatchObject({ id: 'custom-api', className: 'AcmeCorp', api: { baseUrl: 'https://api.acme-corp.io/v2' } });
    expect(entry.envVars.map((v) => v.name)).toEqual(['ACME_CORP_API_TOKEN', 'ACME_CORP_WEBHOOK_SECRET']);
    expect(researchNote(entry)).toMatch(/UNVERIFIED: Authentication scheme/);
    expect(clientSource(entry)).toMatch(/FILL IN/);
    expect(serviceForInputs({ service: 'custom-api', url: 'https://api.acme-corp.io' })?.className).toBe('AcmeCorp');
    expect(serviceForInputs({ service: 'custom-api' })).toBeUndefined();
  });

  it('facts marked UNVERIFIED in SERVICES.md stay marked in what is generated', () => {
    const slack = requireService('slack');
    expect(researchNote(slack)).toMatch(/Base URL: `https:\/\/slack.com\/api` \*\*\(UNVERIFIED\)\*\*/);
    expect(clientSource(slack)).toMatch(/API base: https:\/\/slack.com\/api \(UNVERIFIED\)/);
    const square = requireService('square');
    expect(webhookHandlerSource(square)).toMatch(/UNVERIFIED: confirm against the service docs/);
    const github = requireService('github');
    expect(researchNote(github)).toMatch(/UNVERIFIED: GITHUB_TOKEN \/ GITHUB_WEBHOOK_SECRET are conventions/);
    expect(researchNote(requireService('mailgun'))).toMatch(/Official verifier: none in the official SDK/);
  });

  it('the services outside SERVICES.md mark their facts: nothing from memory is presented as verified', () => {
    for (const id of OUTSIDE_SERVICES_MD) {
      const entry = requireService(id);
      const confidences = [entry.api.confidence, entry.auth.confidence, entry.rateLimit.confidence, ...entry.envVars.map((v) => v.confidence), ...(entry.webhook ? [entry.webhook.confidence] : [])];
      expect(confidences, id).not.toContain('verified');
      expect(entry.unverified.length, id).toBeGreaterThan(0);
      expect(researchNote(entry), id).toMatch(/UNVERIFIED: .* is not in SERVICES\.md/);
    }
    expect(webhookHandlerSource(requireService('netlify'))).toMatch(/UNVERIFIED: confirm against the service docs/);
    expect(researchNote(requireService('hugging-face'))).toMatch(/No webhook handler is generated: Hub webhooks send the configured secret as-is/);
    expect(connectionSource(requireService('azure-blob-storage'))).toMatch(/\/\/ UNVERIFIED: Azure Blob Storage is not in SERVICES\.md/);
    expect(envExample(requireService('dynamodb'))).toMatch(/DYNAMODB_TABLE=/);
  });
});
