import { describe, expect, it } from 'vitest';
import {
  channelToForm,
  describeCapacity,
  emptyQueueForm,
  emptyUserForm,
  formToChannel,
  formToKnowledge,
  formToQueue,
  formToTeam,
  formToUser,
  parseCount,
  patchOf,
  queueToForm,
  teamsOf,
  teamToForm,
  userToForm,
  type UserItem,
} from './forms.js';

const ana: UserItem = {
  id: 'ana',
  name: 'Ana García',
  email: 'ana@acme.test',
  role: 'agent',
  skills: ['lang:es', 'product:billing'],
  capacity: { chat: 3, email: 10 },
  schedule: 'office',
  status: 'available',
  currentStatus: 'away',
  statusChangedAt: null,
};

describe('users form', () => {
  it('gives back the same user after a round trip through the form', () => {
    const { currentStatus: _c, statusChangedAt: _s, ...stored } = ana;
    expect(formToUser(userToForm(ana))).toEqual(stored);
  });

  it('sends skills trimmed without repeats, capacity per channel type, and leaves an empty schedule out', () => {
    const form = {
      ...emptyUserForm(),
      id: ' zoe ',
      name: 'Zoe',
      email: 'zoe@acme.test',
      skills: ['lang:en', ' lang:en', ''],
    };
    form.capacity = { chat: '2', email: '', in_app: '0', api: '' };
    expect(formToUser(form)).toEqual({
      id: 'zoe',
      name: 'Zoe',
      email: 'zoe@acme.test',
      role: 'agent',
      skills: ['lang:en'],
      capacity: { chat: 2, in_app: 0 },
      status: 'available',
    });
  });

  it('sends a capacity that is not a whole number as typed, so the server names the field', () => {
    expect(parseCount('2.5')).toBe('2.5');
    expect(parseCount(' 4 ')).toBe(4);
    expect(parseCount('')).toBeUndefined();
  });

  it('describes capacity and the teams a user is in', () => {
    expect(describeCapacity({ chat: 3, email: 10 })).toBe('chat 3 · email 10');
    expect(describeCapacity(undefined)).toBe('');
    const teams = [
      { id: 'billing', name: 'Billing', members: ['ana'] },
      { id: 'support', name: 'Support', members: [], leads: ['ana'] },
      { id: 'oncall', name: 'On call', members: ['olu'] },
    ];
    expect(teamsOf('ana', teams)).toEqual(['Billing', 'Support (lead)']);
  });
});

describe('PATCH bodies', () => {
  it('sends only what changed, and null for a field the form emptied', () => {
    const before = { id: 'ana', name: 'Ana', schedule: 'office', skills: ['a'], currentStatus: 'away' };
    const after = { id: 'ana', name: 'Ana G', skills: ['a'] };
    expect(patchOf(before, after, ['currentStatus'])).toEqual({ name: 'Ana G', schedule: null });
  });

  it('never sends the id', () => {
    expect(patchOf({ id: 'a' }, { id: 'b', name: 'x' })).toEqual({ name: 'x' });
  });
});

describe('teams form', () => {
  it('keeps members, leads, strategy and sticky', () => {
    const team = {
      id: 'billing',
      name: 'Billing',
      members: ['ana', 'maria'],
      leads: ['olu'],
      strategy: 'least_busy' as const,
      sticky: true,
    };
    expect(formToTeam(teamToForm(team))).toEqual(team);
    expect(formToTeam(teamToForm({ id: 'x', name: 'X' }))).toEqual({
      id: 'x',
      name: 'X',
      members: [],
      leads: [],
      strategy: 'round_robin',
      sticky: false,
    });
  });
});

describe('queues form', () => {
  it('gives back the demo Spanish queue after a round trip, keeping a condition it does not edit', () => {
    const queue = {
      id: 'es-support',
      name: 'Spanish support',
      team: 'billing',
      requiredSkills: ['lang:es'],
      schedule: 'office',
      sla: { firstResponse: '5m', businessHours: false },
      overflow: { after: '15m', to: 'general' },
      outOfHours: {
        action: 'route' as const,
        to: { team: 'oncall' },
        when: { priority: { in: ['urgent'] } },
      },
    };
    expect(formToQueue(queueToForm(queue))).toEqual(queue);
  });

  it('leaves out SLA, overflow and out-of-hours when empty, and sends half an overflow for the server to name', () => {
    const form = { ...emptyQueueForm(), id: 'q', name: 'Q' };
    expect(formToQueue(form)).toEqual({ id: 'q', name: 'Q', requiredSkills: [] });
    expect(formToQueue({ ...form, overflowAfter: '10m' }).overflow).toEqual({ after: '10m' });
    expect(formToQueue({ ...form, sticky: 'no', strategy: 'manual' })).toMatchObject({
      sticky: false,
      strategy: 'manual',
    });
  });
});

describe('channels form', () => {
  it('keeps the address only on email channels and the bot fields only for a webhook assistant', () => {
    const email = {
      id: 'support-email',
      name: 'Support email',
      type: 'email' as const,
      address: 'support@acme.test',
      assistant: 'none' as const,
      defaultRoute: { queue: 'general' },
    };
    expect(formToChannel(channelToForm(email))).toEqual(email);
    const chat = channelToForm({
      id: 'web',
      type: 'chat',
      defaultRoute: { team: 'billing' },
      address: 'old@acme.test',
      botUrl: 'https://bot.test',
    });
    expect(formToChannel(chat)).toEqual({
      id: 'web',
      type: 'chat',
      assistant: 'builtin',
      defaultRoute: { team: 'billing' },
    });
    expect(formToChannel({ ...chat, assistant: 'webhook' })).toMatchObject({ botUrl: 'https://bot.test' });
  });
});

describe('knowledge form', () => {
  it('keeps the body as written and cleans the tags', () => {
    expect(
      formToKnowledge({
        id: ' faq ',
        title: ' Title ',
        body: 'Line 1\n',
        language: '',
        tags: ['a', 'a', ' '],
      }),
    ).toEqual({
      id: 'faq',
      title: 'Title',
      body: 'Line 1\n',
      language: 'en',
      tags: ['a'],
    });
  });
});
