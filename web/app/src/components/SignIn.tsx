import { useState, type FormEvent } from 'react';
import { api, ApiError, type MeWithStatus } from '../api.js';

export function SignIn({ notice, onSignedIn }: { notice: string | null; onSignedIn: (me: MeWithStatus) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.login(email.trim(), password));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        // The throttle and a deactivated account say what to do; a wrong password says no more than that.
        const told = e.message.includes('too many') || e.message.includes('deactivated');
        setError(told ? `${e.message[0]!.toUpperCase()}${e.message.slice(1)}.` : 'That email and password do not match an account.');
      }
      else if (e instanceof ApiError && e.status === 422) setError('Enter a valid email address and your password.');
      else setError('Could not reach Baton. Try again in a moment.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <form className="signin-card" onSubmit={(e) => void submit(e)} aria-labelledby="signin-title" noValidate>
        <div className="brand brand-large" aria-hidden="true">
          <span className="brand-mark">B</span> Baton
        </div>
        <h1 id="signin-title">Sign in to your inbox</h1>
        {notice !== null && error === null && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        {error !== null && (
          <p className="form-error" role="alert" id="signin-error">
            {error}
          </p>
        )}
        <label htmlFor="signin-email">Email</label>
        <input
          id="signin-email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          aria-invalid={error !== null}
          aria-describedby={error !== null ? 'signin-error' : undefined}
          autoFocus
        />
        <label htmlFor="signin-password">Password</label>
        <input
          id="signin-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={error !== null}
        />
        <button type="submit" className="primary wide" disabled={busy || email.trim() === '' || password === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="field-hint">Forgot your password, or never had one? Ask an admin to send you an invitation link.</p>
      </form>
    </main>
  );
}
