/**
 * The new part of an e-mail reply: mail clients quote the whole history under the answer, and a
 * conversation that stored it would repeat every earlier message in each new one (and feed the
 * assistant text the customer did not write this time). Pure: text in, text out.
 *
 * Cut at the first line that introduces a quote — "On <date>, <who> wrote:" (Gmail, Apple Mail,
 * Thunderbird, also wrapped over two lines), "-----Original Message-----" (Outlook), a
 * "From: … / Sent: …" header block (Outlook without the separator), "Le … a écrit :",
 * "El … escribió:", "Am … schrieb …:", "Em … escreveu:" — and drop a trailing block of ">"
 * lines. ">" lines in the middle (the customer answering inline) are kept: they are the context
 * of what follows them. When nothing but quote is left, the text is returned as it was, so a
 * message is never stored empty.
 */

const ATTRIBUTION: readonly RegExp[] = [
  /^On\b.{0,300}\bwrote:\s*$/i,
  /^Le\b.{0,300}\ba écrit\s*:\s*$/i,
  /^El\b.{0,300}\bescribió\s*:\s*$/i,
  /^Am\b.{0,300}\bschrieb\b.{0,100}:\s*$/i,
  /^Em\b.{0,300}\bescreveu\s*:\s*$/i,
];

const SEPARATOR: readonly RegExp[] = [/^-{2,}\s*Original Message\s*-{2,}\s*$/i, /^_{10,}\s*$/];

/** An Outlook header block: "From: …" followed within two lines by "Sent:" or "Date:". */
function isHeaderBlock(lines: readonly string[], index: number): boolean {
  if (!/^(From|De|Von):\s/i.test(lines[index]?.trim() ?? '')) return false;
  for (let next = index + 1; next <= index + 2 && next < lines.length; next++) {
    if (/^(Sent|Date|Enviado|Envoyé|Gesendet):\s/i.test(lines[next]?.trim() ?? '')) return true;
  }
  return false;
}

function isAttribution(line: string): boolean {
  const trimmed = line.trim();
  return ATTRIBUTION.some((pattern) => pattern.test(trimmed));
}

export function trimQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const trimmed = line.trim();
    // "On Tue, 24 Nov 2026 at 10:00, Ana García <support@acme.test>" + "wrote:" on the next line.
    const wrapped = i + 1 < lines.length ? `${trimmed} ${(lines[i + 1] ?? '').trim()}` : trimmed;
    if (isAttribution(line) || (/^(On|Le|El|Am|Em)\b/i.test(trimmed) && isAttribution(wrapped))) {
      end = i;
      break;
    }
    if (SEPARATOR.some((pattern) => pattern.test(trimmed)) || isHeaderBlock(lines, i)) {
      end = i;
      break;
    }
  }
  let kept = lines.slice(0, end);
  // A trailing block of quoted lines (blank lines between them included).
  let cut = kept.length;
  while (cut > 0 && /^\s*(>.*)?$/.test(kept[cut - 1] ?? '')) cut -= 1;
  if (kept.slice(cut).some((line) => line.trim().startsWith('>'))) kept = kept.slice(0, cut);
  const result = kept.join('\n').replace(/\s+$/, '').replace(/^\s*\n/, '');
  return result.trim() === '' ? text.trim() : result;
}
