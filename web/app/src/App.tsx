import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { api, ApiError, type MeWithStatus } from './api.js';
import { SignIn } from './components/SignIn.js';
import { InvitePage, SetupPage } from './components/JoinForms.js';
import { Workspace } from './components/Workspace.js';
import { Simulator } from './screens/Simulator.js';
import { Settings } from './screens/Settings.js';
import { ContactPage } from './screens/ContactPage.js';
import { Playbook } from './screens/Playbook.js';
import { SavedReplies } from './screens/SavedReplies.js';
import { Account } from './screens/Account.js';

// The reports screen and its chart library load only when it is opened: the inbox does not pay for them.
const Reports = lazy(() => import('./screens/Reports.js').then((module) => ({ default: module.Reports })));

type Session =
  | { state: 'loading' }
  | { state: 'invite' }
  | { state: 'setup' }
  | { state: 'signed_out'; notice: string | null }
  | { state: 'signed_in'; me: MeWithStatus };

/** Who is signed in decides the screen: the sign-in form, or the inbox. */
export function App() {
  // An invitation link opens its page whoever is signed in: it is for the person it was sent to.
  const [session, setSession] = useState<Session>(
    location.pathname === '/invite' ? { state: 'invite' } : { state: 'loading' },
  );

  useEffect(() => {
    if (location.pathname === '/invite') return;
    let live = true;
    api
      .me()
      .then((me) => live && setSession({ state: 'signed_in', me }))
      .catch(async (error: unknown) => {
        if (!live) return;
        if (!(error instanceof ApiError && error.status === 401))
          return setSession({ state: 'signed_out', notice: 'Baton is not reachable right now.' });
        // Nobody signed in: on a Baton nobody can sign in to yet, the one-time setup instead.
        const setup = await api.setupState().catch(() => ({ needed: false }));
        if (live) setSession(setup.needed ? { state: 'setup' } : { state: 'signed_out', notice: null });
      });
    return () => {
      live = false;
    };
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      history.replaceState(null, '', '/');
      setSession({ state: 'signed_out', notice: 'You are signed out.' });
    }
  }, []);

  const sessionEnded = useCallback(
    () => setSession({ state: 'signed_out', notice: 'Your session ended. Sign in again.' }),
    [],
  );

  switch (session.state) {
    case 'loading':
      return (
        <div className="splash" role="status">
          Loading Baton…
        </div>
      );
    case 'invite':
      return <InvitePage onSignedIn={(me) => setSession({ state: 'signed_in', me })} />;
    case 'setup':
      return <SetupPage onSignedIn={(me) => setSession({ state: 'signed_in', me })} />;
    case 'signed_out':
      return <SignIn notice={session.notice} onSignedIn={(me) => setSession({ state: 'signed_in', me })} />;
    case 'signed_in':
      // Each screen is its own URL (the server's SPA fallback serves them all).
      if (location.pathname === '/simulator') return <Simulator me={session.me} />;
      {
        const contact = /^\/contacts\/([^/]+)$/.exec(location.pathname)?.[1];
        if (contact !== undefined) return <ContactPage me={session.me} id={decodeURIComponent(contact)} />;
      }
      if (location.pathname === '/playbook') return <Playbook me={session.me} />;
      if (location.pathname === '/saved-replies') return <SavedReplies me={session.me} />;
      if (location.pathname === '/account') return <Account me={session.me} />;
      if (location.pathname === '/reports')
        return (
          <Suspense
            fallback={
              <div className="splash" role="status">
                Loading reports…
              </div>
            }
          >
            <Reports me={session.me} />
          </Suspense>
        );
      if (location.pathname.startsWith('/settings') && session.me.role === 'admin')
        return <Settings me={session.me} />;
      return <Workspace me={session.me} onSignOut={signOut} onSessionEnded={sessionEnded} />;
  }
}
