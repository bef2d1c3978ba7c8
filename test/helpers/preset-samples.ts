import { RSA_PRIVATE_KEY } from './planted-secrets.js';

/**
 * One sample (or more) for every rule of secretlint's recommended preset, in the shape that rule
 * reports. Each is assembled at run time so no file holds one whole. Made up: none is a real key.
 */
const chars = (n: number, alphabet = 'aB3dE5fG7hJ9kL2mN4pQ6rS8tU1vW0xYz') => Array.from({ length: n }, (_, i) => alphabet[(i * 7 + n) % alphabet.length]).join('');

const onePasswordToken = (): string => {
  // The shape 1Password documents for a service account token: base64 of its JSON, after ops_.
  let json = JSON.stringify({ email: 'ejwe64qmlxhri@1passwordserviceaccounts.lcl', muk: { alg: 'A256GCM', ext: true, k: chars(43), key_ops: ['encrypt', 'decrypt'], kty: 'oct', kid: 'mp' }, secretKey: 'A3-C4ZJMN-PQTZTL-HGL84-G64M7-KVZRN-4ZVP6', srpX: chars(64, '0123456789abcdef'), signInAddress: 'gotham.b5local.com:4000', userAuth: { method: 'SRPg-4096', alg: 'PBES2g-HS256', iterations: 100000, salt: chars(22) } });
  while (json.length % 3 !== 1) json = json.replace('{', '{ '); // so the base64 ends in fQ==
  return ['ops', Buffer.from(json).toString('base64')].join('_');
};

export const PRESET_SAMPLES: Record<string, Array<string | { text: string; file: string }>> = {
  '@secretlint/secretlint-rule-aws': [
    `key id ${['AKIA', 'Z3MSJV4WWNKWW5FG'].join('')}`,
    `aws_secret_access_key = "${['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYzq1234abcd'].join('/')}"`,
    `AWS_ACCOUNT_ID = "${['1234', '5678', '9012'].join('-')}"`,
  ],
  '@secretlint/secretlint-rule-gcp': [
    { file: 'service-account.json', text: JSON.stringify({ type: 'service_account', project_id: 'demo', private_key_id: chars(40, '0123456789abcdef'), private_key: `${RSA_PRIVATE_KEY}\n`, client_email: 'demo@demo.iam.gserviceaccount.com' }, null, 2) },
  ],
  '@secretlint/secretlint-rule-privatekey': [RSA_PRIVATE_KEY],
  '@secretlint/secretlint-rule-npm': [
    { file: '.npmrc', text: `//registry.npmjs.org/:_authToken=${chars(36)}` },
    { file: 'package.json', text: `{ "repository": "https://${chars(40, '0123456789abcdef')}:x-oauth-basic@github.com/acme/app.git" }` },
    `token ${['npm', chars(36)].join('_')}`,
  ],
  '@secretlint/secretlint-rule-basicauth': [`curl https://deploy:${chars(14)}@ci.example.com/hook`],
  '@secretlint/secretlint-rule-slack': [
    `SLACK_BOT_TOKEN=${['xoxb', '1234567890', '1234567890123', chars(24)].join('-')}`,
    `hook ${['https://hooks.slack.com/services', `T${chars(8).toUpperCase()}`, `B${chars(8).toUpperCase()}`, chars(24)].join('/')}`,
  ],
  '@secretlint/secretlint-rule-sendgrid': [`SENDGRID_API_KEY=${['SG', chars(22), chars(43)].join('.')}`],
  '@secretlint/secretlint-rule-shopify': [`token ${['shpat', chars(32, '0123456789abcdef')].join('_')}`],
  '@secretlint/secretlint-rule-github': [
    `GITHUB_TOKEN=${['ghp', chars(36)].join('_')}`,
    `token ${['github', 'pat', chars(82)].join('_')}`,
  ],
  '@secretlint/secretlint-rule-openai': [
    `OPENAI_API_KEY=${['sk-proj-', chars(74), 'T3BlbkFJ', chars(74)].join('')}`,
    `key ${['sk-', chars(20), 'T3BlbkFJ', chars(20)].join('')}`,
  ],
  '@secretlint/secretlint-rule-anthropic': [`ANTHROPIC_API_KEY=${['sk-ant-api03-', chars(93), 'AA'].join('')}`],
  '@secretlint/secretlint-rule-linear': [`LINEAR_API_KEY=${['lin', 'api', chars(40)].join('_')}`],
  '@secretlint/secretlint-rule-1password': [`OP_SERVICE_ACCOUNT_TOKEN=${onePasswordToken()}`],
  '@secretlint/secretlint-rule-database-connection-string': [
    `DATABASE_URL=postgres://app:${chars(16)}@db.example.com:5432/app`,
    `MONGO_URL=mongodb+srv://app:${chars(16)}@cluster0.example.mongodb.net/app?retryWrites=true`,
    `jdbc:mysql://app:${chars(16)}@db.example.com:3306/app`,
  ],
};
