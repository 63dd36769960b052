/**
 * The rating page of an email conversation's resolution (`/rate/<token>`, the link in the
 * resolution email; services/conversations/rate-with-link.ts): a server-rendered form, 1–5 and an
 * optional comment, that works without JavaScript.
 *
 * - The token in the path is the only credential: single-use, expiring, stored hashed. A GET only
 *   shows the form (mail scanners open links); the POST rates.
 * - CSRF: a POST is accepted only from this origin (`Origin`, else `Sec-Fetch-Site`), besides
 *   carrying the token; the page says `form-action 'self'` and is never framed.
 * - Every text is escaped; the page loads nothing (no scripts, inline styles only), sends no
 *   Referer (the path holds the token), and is not cached or indexed.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { BatonError } from '../../platform/errors.js';
import { readRatingPage, rateWithLink, type RatingLinkState, type RatingTexts } from '../../services/conversations/rate-with-link.js';
import { checkSameOrigin } from '../app.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

const TokenParams = z.object({ token: z.string().max(200) });
const PageQuery = z.object({ score: z.coerce.number().int().min(1).max(5).optional().catch(undefined) });
const RatingForm = z.object({
  score: z.coerce.number().int().min(1).max(5),
  comment: z.string().max(2_000).optional(),
});

const PAGE_SECURITY_POLICY = ["default-src 'none'", "style-src 'unsafe-inline'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'"].join('; ');

const STATUS_BY_STATE: Readonly<Record<RatingLinkState, number>> = { open: 200, used: 409, expired: 410, stale: 409, unknown: 404 };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function page(texts: RatingTexts, title: string, body: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(texts.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2933; background: #f5f7fa; }
  main { max-width: 30rem; margin: 3rem auto; padding: 1.5rem; background: #fff; border-radius: 10px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
  h1 { font-size: 1.25rem; margin: 0 0 1rem; }
  fieldset { border: 0; padding: 0; margin: 0 0 1rem; }
  legend { font-weight: 600; margin-bottom: .5rem; }
  .scores label { display: block; padding: .35rem .5rem; border-radius: 6px; cursor: pointer; }
  .scores label:hover { background: #eef2ff; }
  textarea { width: 100%; box-sizing: border-box; min-height: 6rem; font: inherit; padding: .5rem; border: 1px solid #cbd2d9; border-radius: 6px; }
  button { margin-top: 1rem; font: inherit; padding: .55rem 1rem; border: 0; border-radius: 6px; background: #1f5eff; color: #fff; cursor: pointer; }
  .problem { color: #b42318; font-weight: 600; }
</style>
</head>
<body><main>
${body}
</main></body>
</html>
`;
}

function formPage(texts: RatingTexts, organisation: string, options: { readonly selected?: number; readonly comment?: string; readonly problem?: string } = {}): string {
  const scores = texts.scores
    .map((label, index) => {
      const value = index + 1;
      return `<label><input type="radio" name="score" value="${value}" required${options.selected === value ? ' checked' : ''}> ${escapeHtml(label)}</label>`;
    })
    .join('\n');
  return page(
    texts,
    texts.question(organisation),
    `<h1>${escapeHtml(texts.question(organisation))}</h1>
${options.problem === undefined ? '' : `<p class="problem" role="alert">${escapeHtml(options.problem)}</p>`}
<form method="post">
<fieldset class="scores"><legend>${escapeHtml(texts.resolved(organisation))}</legend>
${scores}
</fieldset>
<label for="comment">${escapeHtml(texts.comment)}</label>
<textarea id="comment" name="comment" maxlength="2000">${escapeHtml(options.comment ?? '')}</textarea>
<button type="submit">${escapeHtml(texts.send)}</button>
</form>`,
  );
}

function messagePage(texts: RatingTexts, text: string): string {
  return page(texts, text, `<h1>${escapeHtml(text)}</h1>`);
}

const MESSAGE_OF: Readonly<Record<Exclude<RatingLinkState, 'open'>, 'used' | 'expired' | 'stale' | 'unknown'>> = { used: 'used', expired: 'expired', stale: 'stale', unknown: 'unknown' };

function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', PAGE_SECURITY_POLICY)
    .send(html);
}

export function ratingPageRoutes({ ctx }: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/rate/:token',
      summary: 'The rating page of a resolved email conversation (the link in the resolution email)',
      tags: ['web'],
      access: 'public',
      params: TokenParams,
      query: PageQuery,
      handler: async ({ params, query, reply }) => {
        const view = await readRatingPage(ctx, params.token);
        if (view.state !== 'open') return sendPage(reply, STATUS_BY_STATE[view.state], messagePage(view.texts, view.texts[MESSAGE_OF[view.state]]));
        return sendPage(reply, 200, formPage(view.texts, view.organisation, query.score === undefined ? {} : { selected: query.score }));
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/rate/:token',
      summary: 'Rate a resolved email conversation from its rating page (once)',
      tags: ['web'],
      access: 'public',
      writes: true,
      params: TokenParams,
      rawBody: [FORM_CONTENT_TYPE],
      rateLimit: { max: 30, per: 'address' },
      handler: async ({ params, body, request, reply }) => {
        checkSameOrigin(request, ctx.env.BATON_PUBLIC_URL);
        if (typeof body !== 'string') throw new BatonError('unsupported_media_type', `the rating page posts ${FORM_CONTENT_TYPE}`);
        const fields = new URLSearchParams(body);
        const comment = (fields.get('comment') ?? '').trim();
        const parsed = RatingForm.safeParse({ score: fields.get('score') ?? undefined, ...(comment === '' ? {} : { comment }) });
        if (!parsed.success) {
          const view = await readRatingPage(ctx, params.token);
          if (view.state !== 'open') return sendPage(reply, STATUS_BY_STATE[view.state], messagePage(view.texts, view.texts[MESSAGE_OF[view.state]]));
          const problem = parsed.error.issues.some((issue) => issue.path[0] === 'comment') ? view.texts.commentTooLong : view.texts.pickScore;
          const score = Number(fields.get('score'));
          return sendPage(reply, 422, formPage(view.texts, view.organisation, { ...(score >= 1 && score <= 5 ? { selected: score } : {}), comment, problem }));
        }
        const outcome = await rateWithLink(ctx, { token: params.token, score: parsed.data.score, comment: parsed.data.comment ?? null });
        if (outcome.rated) return sendPage(reply, 200, messagePage(outcome.texts, outcome.texts.thanks));
        const state = outcome.state === 'open' ? 'used' : outcome.state;
        return sendPage(reply, STATUS_BY_STATE[state], messagePage(outcome.texts, outcome.texts[MESSAGE_OF[state]]));
      },
    }),
  ];
}
