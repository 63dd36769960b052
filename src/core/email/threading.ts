/**
 * E-mail threading, pure (RFC 5322 §3.6.4): Message-ID, In-Reply-To and References are lists of
 * `<id-left@id-right>`; a reply's References are its parent's References followed by the
 * parent's Message-ID, and its In-Reply-To is the parent's Message-ID.
 */

/** `<a@b>`: one id, in angle brackets, or null when there is none. Ids compare exactly (§3.6.4). */
export function normalizeMessageId(raw: string | null | undefined): string | null {
  const ids = parseMessageIds(raw);
  return ids[0] ?? null;
}

/**
 * Every id in a header value (or values), in order, each once. Angle-bracketed ids are taken as
 * written; a value without brackets (an HTTP caller's `abc@example.test`) is split on white space
 * and wrapped.
 */
export function parseMessageIds(raw: string | readonly string[] | null | undefined): string[] {
  if (raw === null || raw === undefined) return [];
  const values = typeof raw === 'string' ? [raw] : raw;
  const ids: string[] = [];
  for (const value of values) {
    const bracketed = value.match(/<[^<>\s]+>/g);
    const found = bracketed ?? value.split(/[\s,]+/).filter((token) => token !== '').map((token) => `<${token.replace(/^<|>$/g, '')}>`);
    for (const id of found) if (id.length > 2 && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** At most this many ids in References: the first (the thread's root) and the latest ones. */
export const MAX_REFERENCES = 20;

/** References of a reply to `parent` (null: not a reply to anything we know). */
export function buildReferences(parent: { readonly messageId: string; readonly references: readonly string[] } | null): string[] {
  if (parent === null) return [];
  const chain = [...parent.references.filter((id) => id !== parent.messageId), parent.messageId];
  // RFC 5322 §3.6.4 allows trimming; keep the root so clients that thread by it still do.
  if (chain.length <= MAX_REFERENCES) return chain;
  return [chain[0] as string, ...chain.slice(chain.length - (MAX_REFERENCES - 1))];
}

/** `Re: <subject>`, without piling up "Re: Re:"; one line. */
export function replySubject(subject: string | null, fallback: string): string {
  const base = (subject ?? '').replace(/\s+/g, ' ').trim();
  if (base === '') return `Re: ${fallback}`;
  return /^re:/i.test(base) ? base : `Re: ${base}`;
}

/** The domain of an address, for Message-IDs Baton makes (`support@acme.test` → `acme.test`). */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = at < 0 ? '' : address.slice(at + 1).trim().toLowerCase();
  return /^[a-z0-9.-]+$/.test(domain) && domain !== '' ? domain : 'baton.invalid';
}

/** A Message-ID for an outgoing message with a unique id (RFC 5322 §3.6.4: globally unique). */
export function outgoingMessageId(messageId: string, fromAddress: string): string {
  return `<baton.${messageId.replace(/[^A-Za-z0-9.-]/g, '')}@${domainOf(fromAddress)}>`;
}
