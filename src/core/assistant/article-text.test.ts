import { describe, expect, it } from 'vitest';
import { articleText } from './article-text.js';

describe('an article body as paragraphs', () => {
  it('folds the line breaks of a YAML block into spaces and keeps blank lines as paragraph breaks', () => {
    const body = 'Open Settings → Security and choose "Reset password". We email you a link that is valid\nfor 30 minutes; follow it.\n\nStill stuck?  Write to us\n   and we will help.\n';
    expect(articleText(body)).toBe('Open Settings → Security and choose "Reset password". We email you a link that is valid for 30 minutes; follow it.\n\nStill stuck?  Write to us and we will help.');
  });

  it('keeps list items on their own lines, and treats several blank lines and CRLF as one break', () => {
    expect(articleText('Do this:\n- open Settings\n- choose Billing\n1. then Plan\r\n\r\n\r\nDone.')).toBe('Do this:\n- open Settings\n- choose Billing\n1. then Plan\n\nDone.');
  });

  it('leaves a one-line body as it is', () => {
    expect(articleText('  Just one line.  ')).toBe('Just one line.');
  });
});
