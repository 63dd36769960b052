/**
 * The browser side of desktop alerts (assignment-alerts.ts decides which frames deserve one):
 * the permission, asked only from a click in the notification centre; the agent's own on/off
 * choice, kept in localStorage; and `new Notification(...)` with the customer's name and the
 * subject, which focuses this tab and opens the conversation when clicked.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type Conversation } from '../api.js';
import type { Frame } from '../state/inbox.js';
import { channelName, type Directory } from './directory.js';
import { subscribeFrames } from './live-frames.js';
import { describeAssignmentAlert, desktopAlertsStatus, emptyAlertMemory, findAssignmentAlerts, type AlertMemory, type DesktopAlertsStatus } from './assignment-alerts.js';

const CHOICE_KEY = 'baton.desktopAlerts';

const supported = (): boolean => typeof window !== 'undefined' && 'Notification' in window;
const permissionNow = (): NotificationPermission | null => (supported() ? Notification.permission : null);

function readChoice(): 'on' | 'off' | null {
  try {
    const value = localStorage.getItem(CHOICE_KEY);
    return value === 'on' || value === 'off' ? value : null;
  } catch {
    return null;
  }
}

function writeChoice(choice: 'on' | 'off'): void {
  try {
    localStorage.setItem(CHOICE_KEY, choice);
  } catch {
    // Storage refused (private mode): the choice lasts until the page is reloaded.
  }
}

export interface DesktopAlerts {
  readonly status: DesktopAlertsStatus;
  /** From a click: asks the browser's permission when not asked yet, then turns alerts on. */
  readonly enable: () => Promise<void>;
  readonly disable: () => void;
}

export function useAssignmentAlerts(userId: string, directory: Directory, onOpen: (conversationId: string) => void): DesktopAlerts {
  const [status, setStatus] = useState<DesktopAlertsStatus>(() => desktopAlertsStatus(permissionNow(), readChoice()));
  const memory = useRef<AlertMemory>(emptyAlertMemory);
  // The latest values, read when a frame arrives (onFrames stays the same function).
  const latest = useRef({ userId, directory, onOpen, status });
  latest.current = { userId, directory, onOpen, status };

  const enable = useCallback(async () => {
    if (!supported()) return;
    let permission = Notification.permission;
    if (permission === 'default') permission = await Notification.requestPermission();
    if (permission === 'granted') writeChoice('on');
    setStatus(desktopAlertsStatus(permission, readChoice()));
  }, []);

  const disable = useCallback(() => {
    writeChoice('off');
    setStatus(desktopAlertsStatus(permissionNow(), 'off'));
  }, []);

  const onFrames = useCallback((frames: readonly Frame[]) => {
    const { userId: me, status: now } = latest.current;
    // The memory moves on even while alerts are off, so turning them on never raises old ones.
    const found = findAssignmentAlerts(frames, me, memory.current);
    memory.current = found.memory;
    if (now !== 'on' || permissionNow() !== 'granted') return;
    for (const alert of found.alerts) {
      const show = (conversation: Conversation | null) => {
        const { directory: d, onOpen: openConversation } = latest.current;
        const text = describeAssignmentAlert(conversation, conversation === null ? null : channelName(d, conversation.channel));
        let notification: Notification;
        try {
          notification = new Notification(text.title, { body: text.body, tag: alert.key });
        } catch {
          // Some mobile browsers only show notifications from a service worker: the bell still counts it.
          return;
        }
        notification.onclick = () => {
          window.focus();
          openConversation(alert.conversationId);
          notification.close();
        };
      };
      // The frame names no customer: read the conversation (an alert without it is still an alert).
      void api
        .conversation(alert.conversationId)
        .then(
          (conversation) => conversation,
          () => null,
        )
        .then(show);
    }
  }, []);

  useEffect(() => subscribeFrames(onFrames), [onFrames]);

  return { status, enable, disable };
}
