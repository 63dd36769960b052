import type { SearchSnippet } from '../api.js';

const SOURCE_LABELS: Record<SearchSnippet['source'], string | null> = { message: null, note: 'Internal note', contact: 'Contact', tags: 'Tags' };

/**
 * Why a search result matched: the server's plain segments, matched words in <mark>. Each
 * segment is React text — customer text is never interpreted as markup.
 */
export function Snippet({ snippet }: { snippet: SearchSnippet }) {
  const label = SOURCE_LABELS[snippet.source];
  return (
    <span className={`snippet snippet-${snippet.source}`}>
      {label !== null && <span className="badge snippet-source">{label}</span>}
      {snippet.segments.map((s, i) => (s.match ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
    </span>
  );
}
