import type { SecretLintRuleCreator } from '@secretlint/types';

/**
 * Two secretlint rules of our own, run beside secretlint's maintained recommended preset.
 *
 * Hand-written because nothing maintained covers them: the preset (v11) has no Stripe rule and
 * no secretlint rule package for Stripe exists; and "the value of an environment variable the
 * service declares" depends on the run, so no published rule can know it. Both are secretlint
 * rules, so their findings carry the same file, line and rule as the preset's.
 */

/**
 * Stripe live secret (`sk_live_`) and restricted (`rk_live_`) keys. The pattern is the one
 * Stripe's security team gave GitLab's secret detection (gitlab-org/gitlab#458019); test keys
 * cannot move money and publishable keys are public, so neither is reported.
 */
export const stripeLiveKeyRule: SecretLintRuleCreator = {
  messages: {
    STRIPE_LIVE_KEY: { en: (props: { KEY: string }) => `found Stripe live API key: ${props.KEY}` },
  },
  meta: {
    id: 'orchestrate/stripe-live-key',
    recommended: true,
    type: 'scanner',
    supportedContentTypes: ['text'],
  },
  create(context) {
    const t = context.createTranslator(stripeLiveKeyRule.messages);
    return {
      file(source) {
        for (const match of source.content.matchAll(/\b[sr]k_live_[0-9a-zA-Z]{10,247}\b/g)) {
          const start = match.index ?? 0;
          context.report({ message: t('STRIPE_LIVE_KEY', { KEY: match[0] }), range: [start, start + match[0].length] });
        }
      },
    };
  },
};

/** Options of {@link envValueRule}: the variables whose values must not appear. */
export interface EnvValueOptions {
  values: ReadonlyArray<{ name: string; value: string }>;
}

/** The literal value of a declared environment variable, such as the real `TWILIO_AUTH_TOKEN`. */
export const envValueRule: SecretLintRuleCreator<EnvValueOptions> = {
  messages: {},
  meta: {
    id: 'orchestrate/env-value',
    recommended: true,
    type: 'scanner',
    supportedContentTypes: ['text'],
  },
  create(context, options) {
    // One message per variable, built here so the name is not a masked data value.
    const messages = Object.fromEntries(options.values.map(({ name }) => [name, { en: () => `found the value of environment variable ${name}` }]));
    const t = context.createTranslator(messages);
    return {
      file(source) {
        for (const { name, value } of options.values) {
          for (let at = source.content.indexOf(value); at !== -1; at = source.content.indexOf(value, at + value.length)) {
            context.report({ message: t(name), range: [at, at + value.length] });
          }
        }
      },
    };
  },
};
