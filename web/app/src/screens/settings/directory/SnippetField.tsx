import { useId, useRef, useState } from 'react';
import { widgetSnippet } from './snippet.js';

/**
 * The widget snippet of a chat channel in a read-only box with a Copy button: the clipboard API
 * where the page may use it, else the text is selected and copied the old way, else left selected
 * for Ctrl+C — and the outcome is said in a status message.
 */
export function SnippetField({ channelId }: { channelId: string }) {
  const id = useId();
  const box = useRef<HTMLInputElement>(null);
  const [outcome, setOutcome] = useState<string>('');
  const snippet = widgetSnippet(location.origin, channelId);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(snippet);
      setOutcome('Copied');
      return;
    } catch {
      // No clipboard API here (plain http, or permission refused): fall back to the selection.
    }
    const input = box.current;
    if (input === null) return;
    input.focus();
    input.select();
    // execCommand is deprecated but is the one fallback browsers without the clipboard API have.
    const copied = document.execCommand('copy');
    setOutcome(copied ? 'Copied' : 'Selected: press Ctrl+C (⌘C) to copy');
  };

  return (
    <div className="snippet">
      <label htmlFor={id}>Widget snippet: put it on your site, before &lt;/body&gt;</label>
      <div className="snippet-row">
        <input
          id={id}
          ref={box}
          readOnly
          value={snippet}
          onFocus={(e) => e.target.select()}
          spellCheck={false}
        />
        <button
          type="button"
          onClick={() => void copy()}
          aria-label={`Copy the widget snippet of ${channelId}`}
        >
          Copy
        </button>
        <span className="snippet-status" role="status" aria-live="polite">
          {outcome}
        </span>
      </div>
    </div>
  );
}
