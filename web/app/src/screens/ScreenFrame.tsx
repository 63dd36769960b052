import type { ReactNode } from 'react';
import type { MeWithStatus } from '../api.js';

/**
 * The frame of the screens beside the inbox (simulator, settings): the top bar with the way back
 * to the inbox and to the other screens. Plain links: each screen is its own URL, served by the
 * SPA fallback, so a reload or a shared link lands on the same screen.
 */
export function ScreenFrame({ me, title, children }: { me: MeWithStatus; title: string; children: ReactNode }) {
  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href="/">
          <span className="brand-mark" aria-hidden="true">
            B
          </span>
          <span className="brand-name">Baton</span>
          <span className="visually-hidden">: back to the inbox</span>
        </a>
        <nav className="screen-links" aria-label="Screens">
          <a href="/">Inbox</a>
          <a href="/simulator" aria-current={location.pathname === '/simulator' ? 'page' : undefined}>
            Simulator
          </a>
          <a href="/saved-replies" aria-current={location.pathname === '/saved-replies' ? 'page' : undefined}>
            Saved replies
          </a>
          <a href="/playbook" aria-current={location.pathname === '/playbook' ? 'page' : undefined}>
            Playbook
          </a>
          <a href="/reports" aria-current={location.pathname === '/reports' ? 'page' : undefined}>
            Reports
          </a>
          {me.role === 'admin' && (
            <a href="/settings/rules" aria-current={location.pathname.startsWith('/settings') ? 'page' : undefined}>
              Settings
            </a>
          )}
        </nav>
        <div className="topbar-spacer" />
        <span className="me">{me.name}</span>
      </header>
      <main className="screen" aria-label={title}>
        <h1 className="screen-title">{title}</h1>
        {children}
      </main>
    </div>
  );
}
