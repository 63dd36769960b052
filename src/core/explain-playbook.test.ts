import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../config/parse-config-text.js';
import { explainPlaybook } from './explain-playbook.js';
import { buildWorkspace } from './workspace.js';

/** The demo workspace (demo/baton.yaml), as a new desk first sees it. */
function demo() {
  const parsed = parseConfigText(readFileSync(new URL('../../demo/baton.yaml', import.meta.url), 'utf8'), 'yaml', {});
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  return parsed.config;
}

describe('explainPlaybook, with the demo ruleset', () => {
  const config = demo();
  const playbook = explainPlaybook(config.handoff, buildWorkspace(config), 3);

  it('lists the enabled rules in the order they are tried, then the fallback', () => {
    expect(playbook.workspace).toBe('Acme Support (demo)');
    expect(playbook.rulesetVersion).toBe(3);
    expect(playbook.entries.map((e) => e.id)).toEqual(['enterprise-spanish', 'urgent-flag', 'account-owner', 'fallback']);
  });

  it('says when a rule applies and under which conditions, in words', () => {
    const spanish = playbook.entries[0]!;
    expect(spanish.title).toBe('Spanish-speaking enterprise customers on chat go to the Spanish queue.');
    expect(spanish.when).toBe('When the customer asks for a person or the AI agent cannot help');
    expect(spanish.onlyIf).toBe('The channel is “web-chat”, the contact’s plan is “enterprise” and the language is “es”');
    expect(playbook.entries[2]!.onlyIf).toBe('The intent is “billing_dispute” and the contact’s account owner is set');
  });

  it('says where each kind goes, what happens to the owner and who is alerted', () => {
    const [spanish, urgent, owner, fallback] = playbook.entries;
    expect(spanish).toMatchObject({
      goesTo: 'the Spanish support queue (team Billing)',
      alerts: 'The eligible agents (of Ana García and María López) are alerted in the app; when nobody is eligible, everyone there is.',
      customerHears: [
        { language: 'es', text: 'Te paso con un especialista. Tiempo estimado de espera: {{expected_wait}}.' },
        { language: 'en', text: "I'm connecting you to a specialist. Expected wait: {{expected_wait}}." },
      ],
      tasks: ['A call-back for the owner, due 1h after the handoff.'],
      sets: 'Marked priority high and tagged “escalated”.',
    });
    expect(spanish!.assignment).toContain('waits in the Spanish support queue');
    expect(spanish!.queueNotes).toEqual([
      'Only agents with “lang:es” take it.',
      'First response expected within 5 min.',
      'Unclaimed after 15 min, it moves to the General queue.',
      'Out of hours (schedule “office”), it waits and the customer is told when the team is back.',
    ]);
    expect(urgent!.queueNotes).toEqual([]);
    expect(urgent).toMatchObject({ goesTo: 'the On call team', when: 'When a workflow or an agent flags the conversation', sets: null, customerHears: null });
    expect(urgent!.alerts).toBe('The agent it is assigned to is alerted in the app; while it waits, the eligible agents (of Olu Bello) are.');
    expect(owner).toMatchObject({ goesTo: 'the contact’s account owner', alerts: 'The owner and the followers are alerted in the app.' });
    expect(owner!.assignment).toContain('The owner keeps it');
    expect(fallback).toMatchObject({ title: 'Everything else (the fallback)', goesTo: 'the General queue (team Support)', onlyIf: null });
  });

  it('names, for every way a conversation reaches people, the rules that may take it', () => {
    const byTrigger = Object.fromEntries(playbook.triggers.map((t) => [t.trigger, t.rules]));
    expect(byTrigger.customer_requested_human).toEqual(['enterprise-spanish', 'fallback']);
    expect(byTrigger.workflow_flag).toEqual(['urgent-flag', 'fallback']);
    expect(byTrigger.sla_breach).toEqual(['fallback']);
    expect(playbook.triggers.find((t) => t.trigger === 'no_assistant')?.label).toBe('A customer writes on a channel without an AI agent');
  });

  it('leaves out disabled rules and says when nobody is alerted or nothing is told', () => {
    const quiet = {
      ...config.handoff,
      rules: config.handoff.rules.map((rule, index) => (index === 0 ? { ...rule, enabled: false } : rule)),
      fallback: { ...config.handoff.fallback, notify: [], message: false as const },
    };
    const result = explainPlaybook(quiet, buildWorkspace(config), null);
    expect(result.entries.map((e) => e.id)).toEqual(['urgent-flag', 'account-owner', 'fallback']);
    expect(result.entries.at(-1)).toMatchObject({ alerts: 'Nobody is alerted.', customerHears: [] });
  });
});
