/**
 * The two ways in that come before a password exists (issue 16 §1): the invitation page (a link
 * from an admin sets the password, then signs in) and the one-time setup of the first admin on an
 * empty Baton. Both send the password to the server, whose one rule (at least 10 characters, not
 * a commonly used password) decides; its refusals are shown as the sentences it sends.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, type MeWithStatus } from '../api.js';

const PASSWORD_HINT = 'At least 10 characters, and not a commonly used password. A few unrelated words work well.';

const sentence = (text: string): string => (text === '' ? text : `${text[0]!.toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`);

/** What the server said, as sentences: the message, and each field's problem. */
function explain(error: unknown): { message: string; fields: Record<string, string> } {
  if (!(error instanceof ApiError)) return { message: 'Could not reach Baton. Try again in a moment.', fields: {} };
  const fields: Record<string, string> = {};
  for (const detail of error.details) if (fields[detail.path] === undefined) fields[detail.path] = sentence(detail.message);
  if (error.status === 422 && Object.keys(fields).length > 0) return { message: 'Please fix the field below.', fields };
  return { message: sentence(error.message), fields };
}

function Card({ title, intro, children, onSubmit }: { title: string; intro: ReactNode; children: ReactNode; onSubmit: (e: FormEvent) => void }) {
  return (
    <main className="signin">
      <form className="signin-card" onSubmit={onSubmit} aria-labelledby="join-title" noValidate>
        <div className="brand brand-large" aria-hidden="true">
          <span className="brand-mark">B</span> Baton
        </div>
        <h1 id="join-title">{title}</h1>
        <p className="notice">{intro}</p>
        {children}
      </form>
    </main>
  );
}

function PasswordFields({ password, setPassword, confirm, setConfirm, error }: { password: string; setPassword: (v: string) => void; confirm: string; setConfirm: (v: string) => void; error: string | undefined }) {
  return (
    <>
      <label htmlFor="join-password">Password</label>
      <input
        id="join-password"
        type="password"
        autoComplete="new-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        aria-invalid={error !== undefined}
        aria-describedby="join-password-hint"
      />
      <p className="field-hint" id="join-password-hint">
        {error ?? PASSWORD_HINT}
      </p>
      <label htmlFor="join-confirm">Password again</label>
      <input id="join-confirm" type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} />
    </>
  );
}

/**
 * The state both pages share: the password typed twice, the server's answer, and the submit that
 * checks the two match, sends, and signs in with what the server returns.
 */
function useNewPassword(send: (password: string) => Promise<MeWithStatus>, onSignedIn: (me: MeWithStatus) => void) {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password !== confirm) return setError({ message: 'The two passwords are not the same.', fields: {} });
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await send(password));
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  };
  return { password, setPassword, confirm, setConfirm, error, busy, submit };
}

/** `/invite#<token>`: choose a password, then the inbox. */
export function InvitePage({ onSignedIn }: { onSignedIn: (me: MeWithStatus) => void }) {
  const token = location.hash.replace(/^#/, '');
  const { password, setPassword, confirm, setConfirm, error, busy, submit } = useNewPassword(async (chosen) => {
    const me = await api.acceptInvite(token, chosen);
    history.replaceState(null, '', '/');
    return me;
  }, onSignedIn);

  return (
    <Card title="Choose your password" intro="You were invited to Baton. Choose a password to sign in with from now on." onSubmit={(e) => void submit(e)}>
      {token === '' && (
        <p className="form-error" role="alert">
          This invitation link is incomplete. Open the whole link you were sent, or ask an admin for a new one.
        </p>
      )}
      {error !== null && (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      )}
      <PasswordFields password={password} setPassword={setPassword} confirm={confirm} setConfirm={setConfirm} error={error?.fields.password} />
      <button type="submit" className="primary wide" disabled={busy || token === '' || password === '' || confirm === ''}>
        {busy ? 'Setting your password…' : 'Set password and sign in'}
      </button>
    </Card>
  );
}

/** First run on an empty Baton: the first admin, once. */
export function SetupPage({ onSignedIn }: { onSignedIn: (me: MeWithStatus) => void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const { password, setPassword, confirm, setConfirm, error, busy, submit } = useNewPassword(
    (chosen) => api.setup({ name: name.trim(), email: email.trim(), password: chosen }),
    onSignedIn,
  );

  return (
    <Card title="Set up Baton" intro="Nobody can sign in yet. Create the first admin account; you can invite your team from Settings → Users." onSubmit={(e) => void submit(e)}>
      {error !== null && (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      )}
      <label htmlFor="setup-name">Your name</label>
      <input id="setup-name" autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} aria-invalid={error?.fields.name !== undefined} autoFocus />
      {error?.fields.name !== undefined && <p className="field-hint">{error.fields.name}</p>}
      <label htmlFor="setup-email">Email</label>
      <input id="setup-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} aria-invalid={error?.fields.email !== undefined} />
      {error?.fields.email !== undefined && <p className="field-hint">{error.fields.email}</p>}
      <PasswordFields password={password} setPassword={setPassword} confirm={confirm} setConfirm={setConfirm} error={error?.fields.password} />
      <button type="submit" className="primary wide" disabled={busy || name.trim() === '' || email.trim() === '' || password === '' || confirm === ''}>
        {busy ? 'Creating your account…' : 'Create admin account'}
      </button>
    </Card>
  );
}
