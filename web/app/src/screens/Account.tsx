/**
 * Your account: change your own password (`PUT /api/users/me/password`), proving the current one.
 * The server's one password rule decides; its refusals are shown at their field, as sentences.
 */
import { useState, type FormEvent } from 'react';
import { api, ApiError, type MeWithStatus } from '../api.js';
import { ScreenFrame } from './ScreenFrame.js';

const sentence = (text: string): string => (text === '' ? text : `${text[0]!.toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`);

export function Account({ me }: { me: MeWithStatus }) {
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    setFields({});
    if (password !== confirm) return setError('The two new passwords are not the same.');
    setBusy(true);
    setError(null);
    try {
      await api.changePassword(current, password);
      setCurrent('');
      setPassword('');
      setConfirm('');
      setDone(true);
    } catch (e) {
      if (!(e instanceof ApiError)) return setError('Could not reach Baton. Try again in a moment.');
      const byPath: Record<string, string> = {};
      for (const d of e.details) byPath[d.path] ??= sentence(d.message);
      setFields(byPath);
      // A body the schema refused says "invalid body: …" for machines; the fields say it for people.
      setError(e.message.startsWith('invalid body') ? 'Please fix the field below.' : sentence(e.message));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ScreenFrame me={me} title="Your account">
      <section className="settings-section" aria-labelledby="password-title">
        <h2 id="password-title">Change your password</h2>
        <p>
          Signed in as {me.name} ({me.email}).
        </p>
        <form className="account-form" onSubmit={(e) => void submit(e)} aria-label="Change your password" noValidate>
          {error !== null && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          {done && (
            <p className="notice" role="status">
              Your password is changed. Use the new one next time you sign in.
            </p>
          )}
          <label htmlFor="account-current">Current password</label>
          <input id="account-current" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} aria-invalid={fields.current !== undefined} />
          {fields.current !== undefined && <p className="field-hint">{fields.current}</p>}
          <label htmlFor="account-new">New password</label>
          <input id="account-new" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} aria-invalid={fields.password !== undefined} aria-describedby="account-new-hint" />
          <p className="field-hint" id="account-new-hint">
            {fields.password ?? 'At least 10 characters, and not a commonly used password.'}
          </p>
          <label htmlFor="account-confirm">New password again</label>
          <input id="account-confirm" type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
          <div className="settings-actions">
            <button type="submit" className="primary" disabled={busy || current === '' || password === '' || confirm === ''}>
              {busy ? 'Changing…' : 'Change password'}
            </button>
          </div>
        </form>
      </section>
    </ScreenFrame>
  );
}
