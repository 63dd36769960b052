import { splitTextSegments } from '../../../shared/text-segments.js';

/**
 * Message text with its http, https and mailto links clickable and its line breaks kept (the
 * container is `white-space: pre-wrap`): React text children and `<a>` elements built from
 * web/shared/text-segments.ts, never HTML.
 */
export function LinkedText({ text }: { text: string }) {
  return (
    <>
      {splitTextSegments(text).map((segment, index) =>
        segment.type === 'link' ? (
          <a key={index} href={segment.href} target="_blank" rel="noopener noreferrer">
            {segment.text}
          </a>
        ) : (
          segment.text
        ),
      )}
    </>
  );
}
