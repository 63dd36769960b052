/**
 * What a timer does when it falls due: the SLA first-response timer, the queue overflow timer and
 * a resolved conversation's check-in. Pure: the services read the state under the conversation's
 * row lock and hand it here, so the same facts always give the same answer, and a timer that
 * fires twice (a crash before its row was settled) or late (after a newer handoff) decides
 * "nothing to do" from the state instead of from memory.
 */
import type { ConversationStatus, Trigger } from '../contract/common.js';
import { primarySubtag } from './routing/render-template.js';

/**
 * Re-routes in a row after SLA breaches before Baton stops moving the conversation and only
 * alerts (PEERS: CW #13515/#13516/#14508, RC #12579 — nobody reassigned when the agent did not
 * reply; re-routing forever would only bounce the customer between queues).
 */
export const MAX_SLA_REROUTES = 3;

/** Statuses in which a first human response is still owed: waiting in a queue, or owned but unanswered. */
const AWAITING_FIRST_RESPONSE: readonly ConversationStatus[] = ['queued', 'assigned'];

export interface SlaBreachFacts {
  readonly now: number;
  readonly status: ConversationStatus;
  readonly firstHumanResponseAt: number | null;
  /** The conversation's current deadline (the latest handoff's). */
  readonly firstResponseDueAt: number | null;
  readonly breaches: number;
  /** The `handoff.completed` seq the timer was set for. */
  readonly timerHandoffSeq: number;
  /** The seq of the latest `handoff.completed` event (null: none). */
  readonly latestHandoffSeq: number | null;
  /** The trigger of the latest handoff (its trace); null when there is none. */
  readonly latestTrigger: Trigger | null;
  /** The latest `sla.breached` event's handoff seq and streak, if any. */
  readonly lastBreach: { readonly handoffSeq: number; readonly streak: number } | null;
  /** Default MAX_SLA_REROUTES. */
  readonly maxReroutes?: number;
}

export type SlaBreachDecision =
  | { readonly breached: false; readonly reason: 'answered' | 'superseded' | 'not_awaiting_response' | 'already_breached' }
  /** The deadline moved later than this timer (it was re-computed): wait for the new one. */
  | { readonly breached: false; readonly reason: 'not_due'; readonly dueAt: number }
  | {
      readonly breached: true;
      /** The conversation's breach count after this one. */
      readonly breaches: number;
      /** Breaches in a row, each the re-route of the previous one; 1 for the first. */
      readonly streak: number;
      /** Hand off again with trigger `sla_breach`, or (past the cap) only alert. */
      readonly reroute: boolean;
    };

export function decideSlaBreach(facts: SlaBreachFacts): SlaBreachDecision {
  if (facts.latestHandoffSeq !== facts.timerHandoffSeq) return { breached: false, reason: 'superseded' };
  if (facts.lastBreach !== null && facts.lastBreach.handoffSeq === facts.timerHandoffSeq) return { breached: false, reason: 'already_breached' };
  // The human clock restarts at each handoff (CW PR #12058): any reply since this one counts.
  if (facts.firstHumanResponseAt !== null) return { breached: false, reason: 'answered' };
  if (!AWAITING_FIRST_RESPONSE.includes(facts.status)) return { breached: false, reason: 'not_awaiting_response' };
  if (facts.firstResponseDueAt !== null && facts.firstResponseDueAt > facts.now) {
    return { breached: false, reason: 'not_due', dueAt: facts.firstResponseDueAt };
  }
  const streak = facts.latestTrigger === 'sla_breach' && facts.lastBreach !== null ? facts.lastBreach.streak + 1 : 1;
  return { breached: true, breaches: facts.breaches + 1, streak, reroute: streak <= (facts.maxReroutes ?? MAX_SLA_REROUTES) };
}

export interface OverflowFacts {
  readonly status: ConversationStatus;
  readonly ownerId: string | null;
  readonly queueId: string | null;
  /** The queue the timer was set for and its `handoff.completed` seq. */
  readonly timerQueue: string;
  readonly timerHandoffSeq: number;
  readonly latestHandoffSeq: number | null;
  /** The timer queue's `overflow.to` as configured now (null: overflow was removed). */
  readonly overflowTo: string | null;
  /** Whether that queue exists in the workspace now. */
  readonly overflowQueueExists: boolean;
}

export type OverflowDecision =
  | { readonly move: false; readonly reason: 'superseded' | 'not_waiting' | 'no_overflow' }
  | { readonly move: true; readonly to: string };

/** Overflow moves only a conversation still waiting, unowned, in the queue of the same handoff. */
export function decideOverflow(facts: OverflowFacts): OverflowDecision {
  if (facts.latestHandoffSeq !== facts.timerHandoffSeq) return { move: false, reason: 'superseded' };
  if (facts.status !== 'queued' || facts.ownerId !== null || facts.queueId !== facts.timerQueue) return { move: false, reason: 'not_waiting' };
  if (facts.overflowTo === null || !facts.overflowQueueExists || facts.overflowTo === facts.timerQueue) return { move: false, reason: 'no_overflow' };
  return { move: true, to: facts.overflowTo };
}

/**
 * A check-in falls due: send it on a resolved conversation; wait for the next resolution when the
 * conversation was reopened meanwhile (a check-in in the middle of a live conversation would be
 * noise); drop it when the conversation is closed (the customer can no longer reply there).
 */
export function decideCheckIn(status: ConversationStatus): 'send' | 'defer' | 'cancel' {
  switch (status) {
    case 'resolved':
      return 'send';
    case 'closed':
      return 'cancel';
    case 'bot':
    case 'queued':
    case 'assigned':
    case 'waiting_on_customer':
      return 'defer';
  }
}

// ── customer texts ────────────────────────────────────────────────────────────────────────────

const FOLLOW_UP_OFFER: Readonly<Record<string, string>> = {
  en: "Sorry for the wait — nobody has answered yet. Leave your email and we'll follow up, or keep waiting here.",
  es: 'Perdona la espera: todavía no te ha respondido nadie. Déjanos tu correo electrónico y te escribiremos, o sigue esperando aquí.',
  fr: "Désolés pour l'attente — personne ne vous a encore répondu. Laissez-nous votre e-mail et nous reviendrons vers vous, ou continuez à patienter ici.",
  de: 'Entschuldigen Sie die Wartezeit – bisher hat noch niemand geantwortet. Hinterlassen Sie Ihre E-Mail-Adresse, dann melden wir uns, oder warten Sie weiter hier.',
  pt: 'Desculpe a espera — ninguém respondeu ainda. Deixe seu e-mail e entraremos em contato, ou continue aguardando aqui.',
};

const CHECK_IN: Readonly<Record<string, string>> = {
  en: 'Hi {name}, checking in — is everything working now? Reply here if you need anything.',
  es: 'Hola {name}, te escribimos para saber cómo va: ¿ya funciona todo? Responde aquí si necesitas algo.',
  fr: 'Bonjour {name}, nous prenons de vos nouvelles — tout fonctionne-t-il maintenant ? Répondez ici si vous avez besoin de quoi que ce soit.',
  de: 'Hallo {name}, wir wollten nachfragen – funktioniert jetzt alles? Antworten Sie einfach hier, wenn Sie etwas brauchen.',
  pt: 'Olá {name}, passando para saber — está tudo funcionando agora? Responda aqui se precisar de algo.',
};

/** The customer's language (primary subtag), else English. */
export function textLanguage(language: string | null): string {
  const primary = language === null || language === '' ? 'en' : primarySubtag(language);
  return primary in FOLLOW_UP_OFFER ? primary : 'en';
}

/** Nobody answered within the SLA target — offer a follow-up by email. */
export function followUpOfferText(language: string | null): string {
  return FOLLOW_UP_OFFER[textLanguage(language)] ?? '';
}

/** The check-in N days after resolution; without a name, no dangling comma. */
export function checkInText(language: string | null, name: string | null): string {
  const template = CHECK_IN[textLanguage(language)] ?? '';
  const trimmed = name?.trim() ?? '';
  return trimmed === '' ? template.replace(' {name},', ',') : template.replace('{name}', trimmed);
}

// ── governance: closing resolved conversations, reminding admins to review the rules ─────────────

export interface AutoCloseFacts {
  readonly now: number;
  readonly status: ConversationStatus;
  /** When the conversation was resolved, as it is now (null: not resolved). */
  readonly resolvedAt: number | null;
  /** The resolution the timer was set for. */
  readonly timerResolvedAt: number;
  /** `workspace.autoCloseAfter` as it is now, in seconds. */
  readonly autoCloseAfterSeconds: number;
}

export type AutoCloseDecision =
  | { readonly close: true }
  /** Reopened since (a reply, an agent), or reopened and resolved again: that resolution's timer decides. */
  | { readonly close: false; readonly reason: 'not_resolved' | 'superseded' }
  /** `autoCloseAfter` was made longer since the timer was set: wait until then. */
  | { readonly close: false; readonly reason: 'not_due'; readonly dueAt: number };

/** A resolved conversation's auto-close timer fell due: close it, or not (it is stale, or early). */
export function decideAutoClose(facts: AutoCloseFacts): AutoCloseDecision {
  if (facts.status !== 'resolved' || facts.resolvedAt === null) return { close: false, reason: 'not_resolved' };
  if (facts.resolvedAt !== facts.timerResolvedAt) return { close: false, reason: 'superseded' };
  const dueAt = facts.resolvedAt + facts.autoCloseAfterSeconds * 1000;
  if (dueAt > facts.now) return { close: false, reason: 'not_due', dueAt };
  return { close: true };
}

/** How often admins are reminded again while the review stays overdue. */
export const REVIEW_REMINDER_REPEAT_MS = 7 * 24 * 3600 * 1000;

export interface ReviewReminderFacts {
  readonly now: number;
  /** The active ruleset version and when it was last reviewed (published counts); null: none published. */
  readonly active: { readonly version: number; readonly reviewedAt: number; readonly reviewEverySeconds: number } | null;
  /** The version and review the timer was set for. */
  readonly timerVersion: number;
  readonly timerReviewedAt: number;
}

export type ReviewReminderDecision =
  /** Remind now (round 0 at the due time, then one a week); the next reminder is due at `nextAt`. */
  | { readonly remind: true; readonly round: number; readonly dueAt: number; readonly nextAt: number }
  /** Published or reviewed since: the timer armed by that publish or review reminds instead. */
  | { readonly remind: false; readonly reason: 'superseded' }
  /** `reviewEvery` was made longer since: wait until then. */
  | { readonly remind: false; readonly reason: 'not_due'; readonly dueAt: number };

/**
 * The review reminder's timer fell due. Rounds are counted from the due time, so a timer that
 * runs twice, or late, names the same round (the notification's idempotency key) and the same
 * next instant.
 */
export function decideReviewReminder(facts: ReviewReminderFacts): ReviewReminderDecision {
  const active = facts.active;
  if (active === null || active.version !== facts.timerVersion || active.reviewedAt !== facts.timerReviewedAt) return { remind: false, reason: 'superseded' };
  const dueAt = active.reviewedAt + active.reviewEverySeconds * 1000;
  if (dueAt > facts.now) return { remind: false, reason: 'not_due', dueAt };
  const round = Math.floor((facts.now - dueAt) / REVIEW_REMINDER_REPEAT_MS);
  return { remind: true, round, dueAt, nextAt: dueAt + (round + 1) * REVIEW_REMINDER_REPEAT_MS };
}
