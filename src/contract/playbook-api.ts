import { z } from 'zod';
import { Trigger } from './common.js';

/**
 * `GET /api/playbook`: the active handoff rules in plain language, for every agent
 * (HubSpot's handoff guide: "give agents clear guidance on how and when handoff is
 * triggered"). Generated from the active ruleset version by core/explain-playbook.ts.
 */
export const PlaybookEntry = z.object({
  /** The rule's id, or `fallback`. */
  id: z.string(),
  /** The rule's description, else its id. */
  title: z.string(),
  /** Which triggers it answers, in words: "When the customer asks for a person or the AI agent cannot help". */
  when: z.string(),
  /** Its conditions in words, or null when it has none. */
  onlyIf: z.string().nullable(),
  /** Where the conversation goes, with the team behind a queue. */
  goesTo: z.string(),
  /** What happens to its owner. */
  assignment: z.string(),
  /** Who is alerted, and how. */
  alerts: z.string(),
  /** What the customer is told, per language; null when the built-in sentence is sent, [] when nothing is. */
  customerHears: z.array(z.object({ language: z.string(), text: z.string() })).nullable(),
  /** Follow-up tasks it creates, in words. */
  tasks: z.array(z.string()),
  /** What the queue it goes to promises: skills needed, first-response target, overflow, out of hours. */
  queueNotes: z.array(z.string()),
  /** What it changes on the conversation (priority, tags), in words; null when nothing. */
  sets: z.string().nullable(),
});
export type PlaybookEntry = z.infer<typeof PlaybookEntry>;

export const Playbook = z.object({
  workspace: z.string(),
  /** The active ruleset version (null when the workspace document's rules were never published). */
  rulesetVersion: z.number().int().nullable(),
  /** Every way a conversation reaches people, and the rules (first match wins) that take it, else the fallback. */
  triggers: z.array(z.object({ trigger: Trigger, label: z.string(), rules: z.array(z.string()) })),
  /** The enabled rules in the order they are tried, then the fallback. */
  entries: z.array(PlaybookEntry),
});
export type Playbook = z.infer<typeof Playbook>;
