/**
 * `deliver.rating_request`: the email that tells the customer of an email conversation it is
 * resolved and asks them to rate it, with the single-use link to the rating page
 * (services/conversations/request-rating.ts enqueues it in the resolution's transaction).
 *
 * - Not sent when the conversation was reopened since (the link belongs to a resolution that no
 *   longer stands; the next resolution sends its own) or this resolution is already rated.
 * - Threaded like the replies (delivery/email-reply-job.ts): Subject `Re: <subject>`, In-Reply-To
 *   and References from the customer's latest email, From the channel's address named after the
 *   workspace; `Auto-Submitted: auto-generated` (RFC 3834: made by Baton, not a person), and not
 *   sent at all when the customer's email was itself automated.
 * - Its Message-ID is derived from the delivery's idempotency key, so a redelivery after a crash
 *   carries the same one.
 * - The link is a secret: the outbox row drops it once sent (`redactWhenDone`).
 */
import { z } from 'zod';
import { isAwaitingRating } from '../core/csat.js';
import { ratingTextsFor } from '../core/rating-texts.js';
import { buildReferences, domainOf, parseMessageIds, replySubject } from '../core/email/threading.js';
import type { ServiceContext } from '../services/context.js';
import { RATING_REQUEST_JOB } from '../services/conversations/request-rating.js';
import { getContact } from '../store/repositories/contacts.js';
import { getConversation } from '../store/repositories/conversations.js';
import { findLatestInboundEmail } from '../store/repositories/email-messages.js';
import { escapeHtml, messageIdFor, sendEmail } from './channels/email.js';
import { EMAIL_REPLY_RETRY } from './email-reply-job.js';
import { PermanentDeliveryError, type ExternalJob } from './outbox-worker.js';

export const RatingRequestPayload = z.object({
  conversationId: z.string().min(1),
  resolutionSeq: z.number().int().min(0),
  link: z.string().min(1),
});

const StoredEmail = z.object({ references: z.array(z.string()).default([]), automated: z.boolean().default(false) });

export function ratingRequestJob(ctx: ServiceContext): ExternalJob<typeof RatingRequestPayload> {
  return {
    kind: RATING_REQUEST_JOB,
    mode: 'external',
    payload: RatingRequestPayload,
    retry: EMAIL_REPLY_RETRY,
    redactWhenDone: (payload) => ({ ...payload, link: '(sent, not kept)' }),
    async send(payload, item) {
      const { db } = ctx.database;
      const conversation = await getConversation(db, payload.conversationId);
      if (conversation === null) return;
      if (conversation.resolutionSeq !== payload.resolutionSeq || !isAwaitingRating(conversation)) {
        ctx.logger.info({ conversationId: conversation.id, delivery: item.id }, 'rating request not sent: reopened or rated since');
        return;
      }
      const contact = await getContact(db, conversation.contactId);
      const { config } = await ctx.workspace.current();
      const channel = config.channels.find((c) => c.id === conversation.channelId);
      if (channel === undefined || channel.type !== 'email' || channel.address === undefined || channel.address === '') {
        throw new PermanentDeliveryError(`channel "${conversation.channelId}" is not an email channel with an address`);
      }
      if (contact?.email === null || contact?.email === undefined) throw new PermanentDeliveryError('the contact has no email address');
      const smtpUrl = config.notifications.email?.smtpUrl;
      if (smtpUrl === undefined || smtpUrl === '') throw new PermanentDeliveryError('email is not configured: set notifications.email.smtpUrl');

      const parent = await findLatestInboundEmail(db, conversation.id, conversation.lastMessageSeq + 1);
      const parentEmail = parent === null ? null : StoredEmail.safeParse(parent.data.email);
      if (parentEmail?.success === true && parentEmail.data.automated) {
        ctx.logger.info({ conversationId: conversation.id, delivery: item.id }, 'rating request to an automated email not sent (RFC 3834)');
        return;
      }
      const parentId = parent === null ? null : (parseMessageIds(parent.externalId)[0] ?? null);
      const references = parentId === null ? [] : buildReferences({ messageId: parentId, references: parentEmail?.success === true ? parentEmail.data.references : [] });
      const organisation = config.workspace.name;
      const texts = ratingTextsFor(conversation.language);
      const scoreLinks = texts.scores.map((label, index) => ({ label, href: `${payload.link}?score=${index + 1}` }));
      const text = [texts.resolved(organisation), '', texts.question(organisation), texts.rateWithLink, payload.link, '', texts.linkNote, ''].join('\n');
      const html = [
        '<!doctype html>',
        '<html><body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;font-size:15px;color:#111;line-height:1.45">',
        `<p>${escapeHtml(texts.resolved(organisation))}</p>`,
        `<p><strong>${escapeHtml(texts.question(organisation))}</strong></p>`,
        `<p>${scoreLinks.map((s) => `<a href="${escapeHtml(s.href)}" style="display:inline-block;margin:0 6px 6px 0;padding:6px 10px;border:1px solid #1f5eff;border-radius:6px;color:#1f5eff;text-decoration:none">${escapeHtml(s.label)}</a>`).join('')}</p>`,
        `<p style="color:#777;font-size:12px">${escapeHtml(texts.linkNote)} ${escapeHtml(payload.link)}</p>`,
        '</body></html>',
      ].join('\n');
      await sendEmail({
        smtpUrl,
        from: { name: organisation, address: channel.address },
        to: contact.email,
        messageId: messageIdFor(item.idempotencyKey, contact.id, domainOf(channel.address)),
        ...(parentId === null ? {} : { inReplyTo: parentId }),
        references,
        rendered: { subject: replySubject(conversation.subject, `Your message to ${organisation}`), text, html },
        headers: { 'X-Baton-Conversation': conversation.id, 'Auto-Submitted': 'auto-generated' },
      });
    },
  };
}
