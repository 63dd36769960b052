import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError, type ErrorDetail } from '../../api.js';
import { directoryApi } from './directory/directory-api.js';
import { CheckboxField, ProblemsProvider, TagsField, TextField } from './directory/fields.js';
import { isAtOrUnder } from './directory/problems.js';
import {
  COMMON_EVENTS,
  emptyWebhook,
  notificationsToForm,
  withNotifications,
  type NotificationsForm,
  type WebhookForm,
} from './directory/notifications-form.js';

const SECRET_HINT = 'Write ${VARIABLE} to read it from the server environment instead of storing it here.';

/**
 * Settings → Notifications: where Baton sends alerts besides the inbox — Slack, email over SMTP
 * and signed webhooks (docs/configuration.md `notifications:`). They are part of the workspace document, so
 * Save reads the document again, replaces only this section and applies it with PUT /api/config.
 */
export function NotificationTargetsSettings() {
  const [form, setForm] = useState<NotificationsForm | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [problems, setProblems] = useState<readonly ErrorDetail[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headingId = useId();

  const load = useCallback(async () => {
    try {
      const document = await directoryApi.document();
      setForm(notificationsToForm(document.notifications));
      setLoadError(null);
    } catch (error) {
      setLoadError(error instanceof ApiError ? error.message : 'The workspace could not be loaded.');
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const set = (change: Partial<NotificationsForm>) => {
    setForm((current) => (current === null ? current : { ...current, ...change }));
  };
  const setWebhook = (index: number, change: Partial<WebhookForm>) => {
    if (form === null) return;
    set({ webhooks: form.webhooks.map((w, n) => (n === index ? { ...w, ...change } : w)) });
    setProblems((current) => current.filter((p) => !isAtOrUnder(p.path, `notifications.webhooks[${index}]`)));
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (form === null) return;
    setBusy(true);
    setStatus(null);
    try {
      // The document as it is now, so an edit made elsewhere since this screen loaded is kept.
      const current = await directoryApi.document();
      const outcome = await directoryApi.putDocument(withNotifications(current, form), {
        dryRun: false,
        summary: 'notifications: changed in Settings',
      });
      setProblems([]);
      setFormError(null);
      setStatus(
        outcome.changed
          ? `Saved the notification targets (workspace revision ${outcome.revision}).`
          : 'Nothing to save: the targets were already these.',
      );
    } catch (error) {
      setFormError(
        `Not saved: ${error instanceof ApiError ? error.message : 'Baton is not reachable right now.'}`,
      );
      setProblems(error instanceof ApiError ? error.details : []);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="settings-section dir-screen" aria-labelledby={headingId}>
      <div className="dir-head">
        <div>
          <h2 id={headingId}>Notifications</h2>
          <p className="muted small">
            Where alerts go besides the inbox: a Slack channel, email over your SMTP relay and signed webhooks
            to your systems. Rules choose which of them a handoff notifies.
          </p>
        </div>
      </div>
      <div role="status" aria-live="polite" className="dir-status">
        {status !== null && <p className="settings-ok">{status}</p>}
      </div>
      {loadError !== null && (
        <p className="form-error" role="alert">
          {loadError}
        </p>
      )}
      {form === null && loadError === null && <p className="muted">Loading the notification targets…</p>}
      {form !== null && (
        <form
          className="dir-form"
          aria-label="Notification targets"
          onSubmit={(e) => void save(e)}
          noValidate
        >
          {formError !== null && (
            <div className="form-error dir-problems" role="alert">
              <p>{formError}</p>
              {problems.length > 0 && (
                <ul aria-label="Problems">
                  {problems.map((p, i) => (
                    <li key={i}>
                      <code>{p.path}</code> {p.message}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
          <ProblemsProvider value={problems}>
            <div className="dir-fields-grid">
              <fieldset className="field">
                <legend>Slack</legend>
                <div className="dir-fields-grid">
                  <TextField
                    label="Incoming webhook URL"
                    value={form.slackWebhookUrl}
                    onChange={(slackWebhookUrl) => set({ slackWebhookUrl })}
                    path="notifications.slack.webhookUrl"
                    placeholder="${SLACK_WEBHOOK_URL}"
                    hint={SECRET_HINT}
                  />
                  <TextField
                    label="Bot token"
                    value={form.slackBotToken}
                    onChange={(slackBotToken) => set({ slackBotToken })}
                    path="notifications.slack.botToken"
                    placeholder="${SLACK_BOT_TOKEN}"
                    hint="Instead of a webhook URL: a bot token and a channel."
                  />
                  <TextField
                    label="Slack channel"
                    value={form.slackChannel}
                    onChange={(slackChannel) => set({ slackChannel })}
                    path="notifications.slack.channel"
                    placeholder="#support-alerts"
                  />
                </div>
              </fieldset>
              <fieldset className="field">
                <legend>Email</legend>
                <div className="dir-fields-grid">
                  <TextField
                    label="SMTP URL"
                    value={form.emailSmtpUrl}
                    onChange={(emailSmtpUrl) => set({ emailSmtpUrl })}
                    path="notifications.email.smtpUrl"
                    placeholder="${SMTP_URL}"
                    hint={SECRET_HINT}
                  />
                  <TextField
                    label="From"
                    value={form.emailFrom}
                    onChange={(emailFrom) => set({ emailFrom })}
                    path="notifications.email.from"
                    placeholder="Acme Support <support@example.com>"
                  />
                </div>
              </fieldset>
              <fieldset className="field">
                <legend>Webhooks</legend>
                <p className="field-hint">
                  Each target receives the event types it lists, signed per Standard Webhooks with its secret.
                </p>
                {form.webhooks.length === 0 && <p className="muted small">No webhook targets.</p>}
                <div className="week">
                  {form.webhooks.map((webhook, index) => (
                    <div
                      key={index}
                      className="webhook-card"
                      role="group"
                      aria-label={`Webhook ${index + 1}`}
                    >
                      <h4>Webhook {index + 1}</h4>
                      <TextField
                        label="URL"
                        type="url"
                        value={webhook.url}
                        onChange={(url) => setWebhook(index, { url })}
                        path={`notifications.webhooks[${index}].url`}
                        required
                        placeholder="https://hooks.example.com/baton"
                      />
                      <TextField
                        label="Secret"
                        value={webhook.secret}
                        onChange={(secret) => setWebhook(index, { secret })}
                        path={`notifications.webhooks[${index}].secret`}
                        placeholder="${WEBHOOK_SECRET}"
                        hint={SECRET_HINT}
                      />
                      <TextField
                        label="Id (optional)"
                        value={webhook.id}
                        onChange={(id) => setWebhook(index, { id })}
                        path={`notifications.webhooks[${index}].id`}
                      />
                      <TagsField
                        legend="Events"
                        noun={`event of webhook ${index + 1}`}
                        values={webhook.events}
                        onChange={(events) => setWebhook(index, { events })}
                        path={`notifications.webhooks[${index}].events`}
                        suggestions={COMMON_EVENTS}
                        placeholder="handoff.completed"
                        hint="Event types such as handoff.completed, conversation.assigned or sla.breached."
                      />
                      <div className="webhook-actions">
                        <button
                          type="button"
                          onClick={() => set({ webhooks: form.webhooks.filter((_, n) => n !== index) })}
                        >
                          Remove webhook {index + 1}
                        </button>
                      </div>
                    </div>
                  ))}
                </div>
                <div>
                  <button type="button" onClick={() => set({ webhooks: [...form.webhooks, emptyWebhook()] })}>
                    Add webhook target
                  </button>
                </div>
              </fieldset>
              <CheckboxField
                label="Allow private network addresses (localhost, 10.x, 192.168.x) for webhook and Slack targets"
                checked={form.allowPrivateNetworks}
                onChange={(allowPrivateNetworks) => set({ allowPrivateNetworks })}
                path="notifications.allowPrivateNetworks"
                hint="Off by default, so a target cannot reach services inside your network."
              />
            </div>
          </ProblemsProvider>
          <div className="settings-actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save notification targets'}
            </button>
            <button type="button" onClick={() => void load()} disabled={busy}>
              Discard changes
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
