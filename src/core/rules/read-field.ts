import type { Scalar } from '../../contract/conditions.js';
import type { RuleFacts } from '../model.js';
import { DAY_MS, offsetMsAt, WEEKDAY_NAMES, weekdayOfDay, zoneClockFor, type ZoneClock } from '../schedule/zone-clock.js';

/**
 * How a condition reads a field of the facts (docs/configuration.md, "Conditions").
 *
 * - `scalar`: one value; `undefined` when missing (an unknown property).
 * - `list`: several values (the conversation's tags); an operator holds when some element
 *   satisfies it, `neq`/`nin` when none is `eq`/`in`.
 * - `channel`: the channel's id and its type, read like a list of two without building one
 *   (`channel: { eq: web-chat }` and `channel: { eq: chat }` both match a web chat).
 */
export type FieldReader =
  | { readonly kind: 'scalar'; readonly read: (facts: RuleFacts) => Scalar | undefined; readonly flavour: Flavour }
  | { readonly kind: 'list'; readonly read: (facts: RuleFacts) => readonly Scalar[]; readonly flavour: Flavour }
  | { readonly kind: 'channel'; readonly flavour: Flavour };

/**
 * `language`: eq/in compare language tags by primary subtag when the literal has none
 * (`pt-BR` eq `pt`); `priority`: gt/gte/lt/lte follow low < normal < high < urgent.
 */
export type Flavour = 'plain' | 'language' | 'priority';

/** Local wall clock of the workspace zone at `facts.now`, memoised per instant (one per evaluation). */
export interface LocalClock {
  readonly zone: ZoneClock;
  at: number;
  minuteOfDay: number;
  weekday: number;
}

export function localClockFor(timezone: string): LocalClock {
  return { zone: zoneClockFor(timezone), at: Number.NaN, minuteOfDay: 0, weekday: 1 };
}

function tick(clock: LocalClock, now: number): void {
  if (clock.at === now) return;
  const wall = now + offsetMsAt(clock.zone, now);
  const day = Math.floor(wall / DAY_MS);
  clock.at = now;
  clock.minuteOfDay = Math.floor((wall - day * DAY_MS) / 60_000);
  clock.weekday = weekdayOfDay(day);
}

/** "00:00" … "23:59", built once so that reading `time` allocates nothing. */
const TIME_TEXT: readonly string[] = Array.from(
  { length: 1440 },
  (_, minute) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`,
);
/** By Luxon weekday (1–7): index 0 is unused. */
const WEEKDAY_TEXT: readonly string[] = ['', ...WEEKDAY_NAMES];

function ownProperty(properties: Readonly<Record<string, Scalar>>, name: string): Scalar | undefined {
  // `hasOwn`: a property called "constructor" or "toString" must not read Object.prototype.
  return Object.hasOwn(properties, name) ? properties[name] : undefined;
}

const CONTACT_BUILT_INS: Readonly<Record<string, (facts: RuleFacts) => Scalar>> = {
  name: (facts) => facts.contact.name,
  email: (facts) => facts.contact.email,
  language: (facts) => facts.contact.language,
  timezone: (facts) => facts.contact.timezone,
  owner: (facts) => facts.contact.ownerId,
};

const CONVERSATION_BUILT_INS: Readonly<Record<string, (facts: RuleFacts) => Scalar>> = {
  priority: (facts) => facts.conversation.priority,
  owner: (facts) => facts.conversation.ownerId,
  status: (facts) => facts.conversation.status,
};

const readTags = (facts: RuleFacts): readonly Scalar[] => facts.conversation.tags;

/** The reader of a condition field, or null for a field conditions cannot read. */
export function fieldReader(field: string, clock: LocalClock): FieldReader | null {
  switch (field) {
    case 'channel':
      return { kind: 'channel', flavour: 'plain' };
    case 'priority':
      return { kind: 'scalar', read: (facts) => facts.conversation.priority, flavour: 'priority' };
    case 'tags':
      return { kind: 'list', read: readTags, flavour: 'plain' };
    case 'language':
      return { kind: 'scalar', read: (facts) => facts.language, flavour: 'language' };
    case 'intent':
      return { kind: 'scalar', read: (facts) => facts.intent, flavour: 'plain' };
    case 'trigger':
      return { kind: 'scalar', read: (facts) => facts.trigger, flavour: 'plain' };
    case 'message.text':
      return { kind: 'scalar', read: (facts) => facts.messageText, flavour: 'plain' };
    case 'time':
      return {
        kind: 'scalar',
        read: (facts) => {
          tick(clock, facts.now);
          return TIME_TEXT[clock.minuteOfDay];
        },
        flavour: 'plain',
      };
    case 'weekday':
      return {
        kind: 'scalar',
        read: (facts) => {
          tick(clock, facts.now);
          return WEEKDAY_TEXT[clock.weekday];
        },
        flavour: 'plain',
      };
    default:
      break;
  }
  const match = /^(contact|conversation)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(field);
  if (!match) return null;
  const [, owner = '', name = ''] = match;
  if (owner === 'contact') {
    const builtIn = Object.hasOwn(CONTACT_BUILT_INS, name) ? CONTACT_BUILT_INS[name] : undefined;
    if (builtIn !== undefined) return { kind: 'scalar', read: builtIn, flavour: name === 'language' ? 'language' : 'plain' };
    return { kind: 'scalar', read: (facts) => ownProperty(facts.contact.properties, name), flavour: 'plain' };
  }
  if (name === 'tags') return { kind: 'list', read: readTags, flavour: 'plain' };
  const builtIn = Object.hasOwn(CONVERSATION_BUILT_INS, name) ? CONVERSATION_BUILT_INS[name] : undefined;
  if (builtIn !== undefined) return { kind: 'scalar', read: builtIn, flavour: name === 'priority' ? 'priority' : 'plain' };
  return { kind: 'scalar', read: (facts) => ownProperty(facts.conversation.properties, name), flavour: 'plain' };
}
