import { describe, expect, it } from 'vitest';
import { interpolateEnv } from './interpolate-env.js';

const ENV = { SMTP_URL: 'smtp://relay:25', HOOK_SECRET: 'whsec_abc', BATON_ADMIN_TOKEN: 'the-admin-token', DATABASE_URL: 'postgres://u:p@db/baton', REDIS_URL: 'redis://r' };

describe('interpolateEnv', () => {
  it('reads the environment in credentials and endpoints', () => {
    const document = {
      notifications: { email: { smtpUrl: '${SMTP_URL}' }, webhooks: [{ url: 'https://h.test/${SMTP_URL:-x}', secret: '${HOOK_SECRET}' }] },
      channels: [{ id: 'bot', botSecret: '${HOOK_SECRET}' }],
    };
    const result = interpolateEnv(document, ENV);
    expect(result.problems).toEqual([]);
    expect(result.value).toEqual({
      notifications: { email: { smtpUrl: 'smtp://relay:25' }, webhooks: [{ url: 'https://h.test/smtp://relay:25', secret: 'whsec_abc' }] },
      channels: [{ id: 'bot', botSecret: 'whsec_abc' }],
    });
    expect(result.templates.map((template) => template.path.join('.'))).toEqual([
      'notifications.email.smtpUrl',
      'notifications.webhooks.0.url',
      'notifications.webhooks.0.secret',
      'channels.0.botSecret',
    ]);
  });

  // Regression: `${VAR}` was expanded in every string, and a knowledge article saying
  // `${BATON_ADMIN_TOKEN} ${DATABASE_URL}` was answered, expanded, to an anonymous customer.
  it('keeps every other string as written', () => {
    const document = {
      workspace: { name: 'Acme ${SMTP_URL}' },
      knowledge: [{ id: 'k', title: 'Shell', body: 'Run echo ${HOME} or $${X}; ${BATON_ADMIN_TOKEN} ${DATABASE_URL}' }],
      handoff: { fallback: { message: { en: 'Wait ${REDIS_URL}' } } },
      notifications: { email: { from: '${SMTP_URL}' } },
    };
    const result = interpolateEnv(document, ENV);
    expect(result.value).toEqual(document);
    expect(result.problems).toEqual([]);
    expect(result.templates).toEqual([]);
  });

  it("refuses Baton's own variables even where the environment may be read", () => {
    for (const name of ['BATON_ADMIN_TOKEN', 'DATABASE_URL', 'REDIS_URL', 'BATON_ANYTHING']) {
      const result = interpolateEnv({ notifications: { slack: { webhookUrl: `\${${name}}`, botToken: `\${${name}:-fallback}` } } }, ENV);
      expect(JSON.stringify(result.value)).not.toMatch(/the-admin-token|postgres:|redis:|fallback/);
      expect(result.problems.map((problem) => problem.path)).toEqual(['notifications.slack.webhookUrl', 'notifications.slack.botToken']);
      expect(result.problems[0]?.message).toBe(`\${${name}} is one of Baton's own settings, which a workspace cannot read`);
    }
  });
});
