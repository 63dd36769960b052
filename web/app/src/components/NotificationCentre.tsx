import { useEffect, useRef, useState } from 'react';
import { formatAgo } from '../format.js';
import type { InboxNotification } from '../state/inbox.js';
import type { DesktopAlerts } from './useAssignmentAlerts.js';

interface Props {
  items: readonly InboxNotification[];
  unread: number;
  now: number;
  onOpen: (n: InboxNotification) => void;
  onReadAll: () => void;
  /** Desktop alerts on a new assignment (useAssignmentAlerts). */
  alerts: Pick<DesktopAlerts, 'status' | 'enable' | 'disable'>;
}

/** The desktop alerts switch, as the browser allows it. */
function DesktopAlertsControl({ alerts }: { alerts: Props['alerts'] }) {
  switch (alerts.status) {
    case 'unsupported':
      return null;
    case 'denied':
      return <p className="muted small">Desktop alerts are blocked for this site in your browser's settings.</p>;
    case 'on':
      return (
        <p className="small">
          Desktop alerts are on: you are alerted when a conversation is assigned to you.{' '}
          <button type="button" className="link" onClick={alerts.disable}>
            Turn off desktop alerts
          </button>
        </p>
      );
    case 'ask':
    case 'off':
      return (
        <p className="small">
          <button type="button" onClick={() => void alerts.enable()}>
            Turn on desktop alerts
          </button>{' '}
          <span className="muted">when a conversation is assigned to you.</span>
        </p>
      );
  }
}

/** The bell with the unread count, and the list it opens. */
export function NotificationCentre({ items, unread, now, onOpen, onReadAll, alerts }: Props) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    const onClick = (e: MouseEvent) => {
      if (root.current !== null && !root.current.contains(e.target as Node)) setOpen(false);
    };
    addEventListener('keydown', onKey);
    addEventListener('mousedown', onClick);
    return () => {
      removeEventListener('keydown', onKey);
      removeEventListener('mousedown', onClick);
    };
  }, [open]);

  return (
    <div className="notifications" ref={root}>
      <button
        type="button"
        className="ghost bell"
        aria-expanded={open}
        aria-controls="notification-panel"
        aria-label={`Notifications, ${unread} unread`}
        onClick={() => setOpen(!open)}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z" />
        </svg>
        {unread > 0 && (
          <span className="bell-count" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <div id="notification-panel" className="notification-panel" role="region" aria-label="Notifications">
          <div className="panel-head">
            <strong>Notifications</strong>
            <button type="button" className="link" onClick={onReadAll} disabled={unread === 0}>
              Mark all read
            </button>
          </div>
          <div className="desktop-alerts">
            <DesktopAlertsControl alerts={alerts} />
          </div>
          {items.length === 0 ? (
            <p className="muted pad">No notifications yet.</p>
          ) : (
            <ul>
              {items.map((n) => (
                <li key={n.id}>
                  <button
                    type="button"
                    className={`notification ${n.read ? 'read' : 'unread'}`}
                    onClick={() => {
                      onOpen(n);
                      setOpen(false);
                    }}
                  >
                    <span className="notification-title">
                      {!n.read && <span className="visually-hidden">Unread: </span>}
                      {n.title}
                    </span>
                    <span className="notification-body">{n.body}</span>
                    <time className="muted" dateTime={n.createdAt}>
                      {formatAgo(n.createdAt, now)}
                    </time>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
