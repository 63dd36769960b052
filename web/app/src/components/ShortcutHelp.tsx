import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { ShortcutRegistry } from '../keyboard.js';

/** The `?` dialog: the shortcuts on screen now (a modal `<dialog>`: Esc closes it, focus returns). */
export function ShortcutHelp({ registry, onClose }: { registry: ShortcutRegistry; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const shortcuts = useSyncExternalStore(
    (listener) => registry.subscribe(listener),
    () =>
      registry
        .list()
        .map((s) => `${s.key}\u0000${s.description}`)
        .join('\u0001'),
  );
  useEffect(() => {
    const node = dialog.current;
    if (node !== null && !node.open) node.showModal();
    return () => node?.close();
  }, []);
  const rows =
    shortcuts === '' ? [] : shortcuts.split('\u0001').map((row) => row.split('\u0000') as [string, string]);
  return (
    <dialog ref={dialog} className="shortcut-help" aria-labelledby="shortcut-help-title" onClose={onClose}>
      <h2 id="shortcut-help-title">Keyboard shortcuts</h2>
      <p className="muted small">Not while typing in a field.</p>
      <dl>
        {rows.map(([key, description]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{description}</dd>
          </div>
        ))}
        <div>
          <dt>
            <kbd>/</kbd> in the reply box
          </dt>
          <dd>Insert a saved reply</dd>
        </div>
        <div>
          <dt>
            <kbd>Ctrl</kbd>+<kbd>Enter</kbd>
          </dt>
          <dd>Send the reply or add the note</dd>
        </div>
      </dl>
      <form method="dialog">
        <button type="submit" className="primary">
          Close
        </button>
      </form>
    </dialog>
  );
}
