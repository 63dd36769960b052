/**
 * Who is typing in the open conversation right now (typing-indicator.ts decides): typing frames
 * from the stream, expired on a timer so the line goes away by itself.
 */
import { useEffect, useRef, useState } from 'react';
import { subscribeFrames } from './live-frames.js';
import { activeTypists, applyTypingFrames, typingText, type Typist } from './typing-indicator.js';

export function useTypingIndicator(conversationId: string, me: string, customerName: string): string | null {
  const [typists, setTypists] = useState<readonly Typist[]>([]);
  const [now, setNow] = useState(() => Date.now());
  const latest = useRef({ me, customerName });
  latest.current = { me, customerName };

  useEffect(() => {
    setTypists([]);
    return subscribeFrames((frames) => {
      const at = Date.now();
      setNow(at);
      setTypists((held) => applyTypingFrames(held, frames, { conversationId, ...latest.current, now: at }));
    });
  }, [conversationId]);

  // Wake up when the next typist expires.
  const active = activeTypists(typists, now);
  const nextExpiry = active.length === 0 ? null : Math.min(...active.map((t) => t.until));
  useEffect(() => {
    if (nextExpiry === null) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.max(0, nextExpiry - Date.now()) + 50);
    return () => clearTimeout(timer);
  }, [nextExpiry]);

  return typingText(active);
}
