/**
 * Settings → Users, per user: can they sign in (invited until when, active, deactivated, no
 * password yet; last sign-in), and the actions for it — invite or resend (the link shown to copy,
 * with its expiry), reset the password, deactivate (after a confirmation) and reactivate.
 */
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type InvitationCreated, type UserAccess } from '../../api.js';

const when = (at: string): string => new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Every user's access, reloaded after each change. */
export function useUserAccess(): { access: ReadonlyMap<string, UserAccess>; reload: () => Promise<void>; error: string | null } {
  const [access, setAccess] = useState<ReadonlyMap<string, UserAccess>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      const list = await api.userAccess();
      setAccess(new Map(list.items.map((a) => [a.userId, a])));
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Could not load who can sign in.');
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { access, reload, error };
}

export function describeAccess(access: UserAccess | undefined): string {
  if (access === undefined) return '';
  switch (access.state) {
    case 'invited':
      return `Invited: the link works until ${when(access.invitationExpiresAt ?? '')}`;
    case 'active':
      return access.lastSignedInAt === null ? 'Active, never signed in' : `Active, last signed in ${when(access.lastSignedInAt)}`;
    case 'deactivated':
      return `Deactivated on ${when(access.deactivatedAt ?? '')}`;
    case 'no_password':
      return 'No password yet: invite them';
  }
}

const capitalised = (text: string): string => (text === '' ? text : `${text[0]!.toUpperCase()}${text.slice(1)}`);

export function UserAccessPanel({ userId, name, access, onChanged }: { userId: string; name: string; access: UserAccess | undefined; onChanged: () => Promise<void> }) {
  const [link, setLink] = useState<InvitationCreated | null>(null);
  const [copied, setCopied] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const act = async (work: () => Promise<string | null>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setNotice(await work());
      await onChanged();
    } catch (e) {
      setError(e instanceof ApiError ? `${capitalised(e.message)}.` : 'Could not reach Baton. Try again in a moment.');
    } finally {
      setBusy(false);
    }
  };
  const invite = (reset: boolean) =>
    act(async () => {
      const created = reset ? await api.resetPassword(userId) : await api.invite(userId);
      // The admin reaches Baton at this origin, so the person they send it to can too; the server
      // only knows BATON_PUBLIC_URL (or localhost when it is unset). The token is the fragment.
      const fragment = created.url.slice(created.url.indexOf('#'));
      setLink({ ...created, url: `${location.origin}/invite${fragment}` });
      setCopied(false);
      return null;
    });
  const copy = async () => {
    if (link === null) return;
    try {
      await navigator.clipboard.writeText(link.url);
      setCopied(true);
    } catch {
      setError('Could not copy: select the link and copy it yourself.');
    }
  };

  const state = access?.state;
  return (
    <div className="user-access" role="group" aria-label={`Sign-in for ${name}`}>
      <p className="user-access-state" data-state={state}>
        {describeAccess(access)}
      </p>
      <div className="settings-actions">
        {(state === 'no_password' || state === 'invited') && (
          <button type="button" onClick={() => void invite(false)} disabled={busy}>
            {state === 'invited' ? 'Resend invitation' : 'Invite'}
          </button>
        )}
        {state === 'active' && (
          <button type="button" onClick={() => void invite(true)} disabled={busy}>
            Reset password
          </button>
        )}
        {state !== undefined && state !== 'deactivated' && (
          <button type="button" className="danger" onClick={() => setConfirming(true)} disabled={busy || confirming}>
            Deactivate
          </button>
        )}
        {state === 'deactivated' && (
          <button type="button" onClick={() => void act(async () => (await api.reactivate(userId), `${name} can sign in again.`))} disabled={busy}>
            Reactivate
          </button>
        )}
      </div>
      {confirming && (
        <div className="dir-confirm" role="group" aria-label={`Deactivate ${name}?`}>
          <p>
            Deactivate <strong>{name}</strong>? They are signed out everywhere at once, their API tokens stop working, and their open
            conversations go back to their queues.
          </p>
          <div className="settings-actions">
            <button
              type="button"
              className="danger"
              autoFocus
              disabled={busy}
              onClick={() => {
                setConfirming(false);
                setLink(null);
                void act(async () => {
                  const done = await api.deactivate(userId);
                  const n = done.released.length;
                  return `${name} is deactivated. ${n === 0 ? 'They had no open conversations.' : `${n} open conversation${n === 1 ? '' : 's'} went back to the queue.`}`;
                });
              }}
            >
              Yes, deactivate {name}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {link !== null && (
        <div className="invite-link">
          <label htmlFor={`invite-link-${userId}`}>Invitation link for {name}</label>
          <div className="invite-link-row">
            <input id={`invite-link-${userId}`} readOnly value={link.url} onFocus={(e) => e.currentTarget.select()} />
            <button type="button" onClick={() => void copy()}>
              {copied ? 'Copied' : 'Copy link'}
            </button>
          </div>
          <p className="field-hint">
            Works once, until {when(link.expiresAt)}. {link.emailed ? 'It was also emailed to them.' : 'Email is not set up: send it to them yourself.'}
          </p>
        </div>
      )}
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {notice !== null && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
    </div>
  );
}
