import { describe, expect, it } from 'vitest';
import { escapeHtml, messageIdFor, renderNotificationEmail } from './email.js';

describe('notification emails', () => {
  const mail = renderNotificationEmail({
    to: 'ana@acme.test',
    recipientName: 'Ana',
    title: 'New conversation: <img src=x onerror=alert(1)>\r\nBcc: everyone@acme.test',
    body: 'Assigned to you (no assistant · rule "everyone").',
    link: 'https://desk.acme.test/conversations/c1?a=1&b=2',
    facts: [['Contact', "O'Brien <ob@example.test>"]],
  });

  it('escapes every customer-provided string in the HTML', () => {
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(mail.html).toContain('O&#39;Brien &lt;ob@example.test&gt;');
    expect(mail.html).toContain('href="https://desk.acme.test/conversations/c1?a=1&amp;b=2"');
  });

  it('keeps the subject on one line, so customer text cannot add a header', () => {
    expect(mail.subject).toBe('New conversation: <img src=x onerror=alert(1)> Bcc: everyone@acme.test');
  });

  it('carries the link in the plain-text part', () => {
    expect(mail.text).toContain('Open the conversation: https://desk.acme.test/conversations/c1?a=1&b=2');
    expect(mail.text).toContain("Contact: O'Brien <ob@example.test>");
  });

  it('derives a stable Message-ID per delivery and recipient', () => {
    const id = messageIdFor('c1:notify.email:assigned:3', 'ana', 'desk.acme.test');
    expect(id).toMatch(/^<[0-9a-f]{40}@desk\.acme\.test>$/);
    expect(messageIdFor('c1:notify.email:assigned:3', 'ana', 'desk.acme.test')).toBe(id);
    expect(messageIdFor('c1:notify.email:assigned:3', 'olu', 'desk.acme.test')).not.toBe(id);
  });

  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
