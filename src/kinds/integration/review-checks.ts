import type { SecurityFinding } from '../../schema/results.js';

interface LineRule {
  rule: string;
  severity: SecurityFinding['severity'];
  pattern: RegExp;
  message: string;
  /** Only lines of files whose path matches. */
  files?: RegExp;
}

const LINE_RULES: LineRule[] = [
  {
    rule: 'hardcoded-secret',
    severity: 'critical',
    pattern: /\b(?:sk_live_[0-9a-zA-Z]{10,}|rk_live_[0-9a-zA-Z]{10,}|AKIA[0-9A-Z]{16}|xox[abpr]-[0-9A-Za-z-]{10,}|ghp_[0-9A-Za-z]{30,}|sk-ant-[0-9A-Za-z-_]{20,})/,
    message: 'credential literal in source; load it from the environment',
  },
  { rule: 'hardcoded-secret', severity: 'critical', pattern: /-----BEGIN (?:RSA |EC |OPENSSH )?PRIVATE KEY-----/, message: 'private key in source' },
  {
    rule: 'hardcoded-secret',
    severity: 'high',
    pattern: /\b(?:secret|token|password|api_?key|auth_?token)\w*\s*[:=]\s*['"`][A-Za-z0-9_\-+/=]{16,}['"`]/i,
    message: 'string literal assigned to a secret-like name; load it from the environment',
    files: /^(?!.*(?:\.test\.|__tests__)).*$/,
  },
  {
    rule: 'secret-in-log',
    severity: 'high',
    pattern: /\b(?:console\.(?:log|info|warn|error|debug)|logger\.\w+|log\.\w+)\([^)]*\b(?:secret|token|password|apiKey|api_key|authToken|authorization|credentials)\b/i,
    message: 'a log call includes a secret-like value',
  },
  { rule: 'eval', severity: 'high', pattern: /\beval\s*\(|\bnew Function\s*\(/, message: 'dynamic code evaluation' },
  { rule: 'shell-exec', severity: 'high', pattern: /\b(?:child_process|execSync|exec\(|spawnSync\()/, message: 'shell execution from integration code' },
  {
    rule: 'tls-disabled',
    severity: 'critical',
    pattern: /rejectUnauthorized\s*:\s*false|NODE_TLS_REJECT_UNAUTHORIZED\s*=?\s*['"]?0/,
    message: 'TLS certificate checks disabled',
  },
  {
    rule: 'non-constant-time-compare',
    severity: 'high',
    pattern: /\b\w*(?:signature|digest|hmac|expected)\w*\s*(?:===|!==|==|!=)\s*\w+|\w+\s*(?:===|!==|==|!=)\s*\w*(?:signature|digest|hmac)\w*\b/i,
    message: 'signature compared with ===; use crypto.timingSafeEqual',
    files: /webhook/i,
  },
];

/** The checks this review runs, by name, for the report. */
export const REVIEW_CHECKS = [
  'hardcoded secrets (credential patterns, private keys, secret-like literals)',
  'webhook handlers without signature verification',
  'secrets in log calls',
  'eval and dynamic code',
  'shell execution',
  'disabled TLS checks',
  'non-constant-time signature compares',
];

/** Runs every check over one file's text. Test files are checked for TLS and eval only. */
export function reviewFile(file: string, text: string): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  const isTest = /\.test\.[cm]?[jt]s$|__tests__/.test(file);
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const code = line.replace(/^\s*(?:\/\/|\*|#|--).*$/, '');
    for (const rule of LINE_RULES) {
      if (rule.files && !rule.files.test(file)) continue;
      if (isTest && rule.rule !== 'tls-disabled' && rule.rule !== 'eval') continue;
      if (rule.pattern.test(code)) findings.push({ file, line: i + 1, severity: rule.severity, rule: rule.rule, message: rule.message });
    }
  });
  // A handler, not a route: routes hand the raw request to the handler, which verifies it.
  if (/webhook/i.test(file) && !/\/routes\/|\/api\/webhooks\//.test(file) && !isTest && /\.[cm]?[jt]s$/.test(file)) {
    const verifies = /timingSafeEqual|verify\w*\(|crypto\.subtle\.verify/.test(text);
    if (!verifies) findings.push({ file, line: 1, severity: 'critical', rule: 'webhook-unverified', message: 'webhook handler does not verify signatures' });
  }
  return findings;
}
