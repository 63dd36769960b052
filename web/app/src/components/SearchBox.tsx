import { useEffect, useRef } from 'react';

/** Typing in one of these is typing, not a shortcut. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * The inbox search box: `/` focuses it from anywhere but a field being typed in; Esc clears it
 * (and a second Esc leaves it).
 */
export function SearchBox({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.metaKey || e.ctrlKey || e.altKey || isTypingTarget(e.target)) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);
  return (
    <form className="search" role="search" onSubmit={(e) => e.preventDefault()}>
      <label className="visually-hidden" htmlFor="inbox-search">
        Search conversations
      </label>
      <input
        ref={input}
        id="inbox-search"
        type="search"
        placeholder="Search  /"
        autoComplete="off"
        maxLength={200}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== 'Escape') return;
          e.preventDefault();
          if (value === '') e.currentTarget.blur();
          else onChange('');
        }}
      />
    </form>
  );
}
