import { VIEW_LABELS, VIEWS, type View } from '../state/inbox.js';

export function ViewNav({ view, counts, onChange }: { view: View; counts: Record<View, number>; onChange: (view: View) => void }) {
  return (
    <nav className="views" aria-label="Inbox views">
      <ul>
        {VIEWS.map((v) => (
          <li key={v}>
            <button type="button" className="view-button" aria-current={v === view ? 'page' : undefined} onClick={() => onChange(v)}>
              <span className="view-label">{VIEW_LABELS[v]}</span>
              <span className="count" aria-label={`${counts[v]} conversations`}>
                {counts[v]}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
