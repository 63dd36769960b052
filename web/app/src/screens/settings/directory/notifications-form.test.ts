import { describe, expect, it } from 'vitest';
import { formToNotifications, notificationsToForm, withNotifications } from './notifications-form.js';

describe('notification targets form', () => {
  it('gives back the documented targets, ${VAR} references kept as written', () => {
    const notifications = {
      slack: { webhookUrl: '${SLACK_WEBHOOK_URL}' },
      email: { smtpUrl: '${SMTP_URL}', from: 'Acme Support <support@acme.test>' },
      allowPrivateNetworks: false,
      webhooks: [
        {
          url: 'https://hooks.acme.test/baton',
          secret: '${WEBHOOK_SECRET}',
          events: ['handoff.completed', 'sla.breached'],
        },
      ],
    };
    expect(formToNotifications(notificationsToForm(notifications))).toEqual(notifications);
  });

  it('leaves out empty Slack and email blocks and reads a missing section as empty', () => {
    expect(formToNotifications(notificationsToForm(undefined))).toEqual({
      allowPrivateNetworks: false,
      webhooks: [],
    });
  });

  it('replaces only the notifications of the document', () => {
    const document = {
      workspace: { name: 'Acme' },
      users: [{ id: 'ana' }],
      notifications: { webhooks: [{ url: 'https://old.test' }] },
    };
    const form = notificationsToForm(document.notifications);
    form.webhooks = [];
    form.allowPrivateNetworks = true;
    expect(withNotifications(document, form)).toEqual({
      workspace: { name: 'Acme' },
      users: [{ id: 'ana' }],
      notifications: { allowPrivateNetworks: true, webhooks: [] },
    });
  });
});
