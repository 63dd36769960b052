import { describe, expect, it } from 'vitest';
import { parseConfigText, parseConfigValue } from './parse-config-text.js';

/** A small workspace; each test breaks one item of it. */
function document(parts: { queue?: string; team?: string; rule?: string; fallback?: string } = {}): string {
  return `
workspace: { name: Acme }
users:
  - { id: ana, name: Ana, email: ana@acme.test }
teams:
  - ${parts.team ?? '{ id: billing, name: Billing, members: [ana] }'}
queues:
  - { id: general, name: General }
  - ${parts.queue ?? '{ id: billing-q, name: Billing, team: billing }'}
channels:
  - { id: web, type: chat, defaultRoute: { queue: general } }
handoff:
  rules:
    - ${parts.rule ?? '{ id: r1, if: { channel: { eq: web } }, then: { destination: { team: billing } } }'}
  fallback: ${parts.fallback ?? '{ destination: { queue: general } }'}
`;
}

/** Every problem as `path: message`, sorted (the items here are one line each, so line order says little). */
function problems(text: string): string[] {
  const result = parseConfigText(text, 'yaml', {});
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`).sort();
}

describe('references in an item that fails its own schema', () => {
  it('the example is valid', () => {
    expect(problems(document())).toEqual([]);
  });

  it('a queue with an invalid sla still has its team checked: both problems, with their line', () => {
    const text = document({ queue: '{ id: billing-q, name: Billing, team: bliling, sla: { firstResponse: soon } }' });
    const result = parseConfigText(text, 'yaml', {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path).sort()).toEqual(['queues[1].sla.firstResponse', 'queues[1].team']);
    expect(result.problems.find((p) => p.path === 'queues[1].team')?.message).toBe('unknown team "bliling" (did you mean "billing"?)');
    for (const problem of result.problems) expect(problem.line).toBe(9);
  });

  it('a rule with an invalid assignment still has its destination checked; an unknown key does not hide it either', () => {
    expect(problems(document({ rule: '{ id: r1, then: { destination: { team: biling }, assignment: reasign } }' }))).toEqual([
      expect.stringMatching(/^handoff\.rules\[0\]\.then\.assignment: must be one of/),
      'handoff.rules[0].then.destination.team: unknown team "biling" (did you mean "billing"?)',
    ]);
    const typo = problems(document({ queue: '{ id: billing-q, name: Billing, team: nobody, teem: billing }' }));
    expect(typo).toEqual(expect.arrayContaining(['queues[1].team: unknown team "nobody"']));
    expect(typo).toEqual(expect.arrayContaining([expect.stringMatching(/^queues\[1\]\.teem: /)]));
    expect(typo).toHaveLength(2);
  });

  it('a team with an invalid strategy still has its members checked; the fallback likewise', () => {
    expect(problems(document({ team: '{ id: billing, name: Billing, members: [ana, zed], strategy: fastest }' }))).toEqual([
      'teams[0].members[1]: unknown user "zed"',
      expect.stringMatching(/^teams\[0\]\.strategy: must be one of/),
    ]);
    expect(problems(document({ team: '{ id: billing, name: Billing, members: [ana, zed], strategy: fastest }' }))).toHaveLength(2);
    expect(problems(document({ fallback: '{ destination: { queue: nowhere }, assignment: everyone }' }))).toEqual([
      expect.stringMatching(/^handoff\.fallback\.assignment: must be one of/),
      'handoff.fallback.destination.queue: unknown queue "nowhere"',
    ]);
  });

  it('says nothing that only follows from leaving the invalid part out, and keeps the item out of other items’ checks', () => {
    // members: [ana, 7] fails as a list, so the team is checked without members: no "no members" warning,
    // and the queue's required skills are not judged against a team that seems empty.
    const text = document({
      team: '{ id: billing, name: Billing, members: [ana, 7] }',
      queue: '{ id: billing-q, name: Billing, team: billing, requiredSkills: [lang:es] }',
    });
    const result = parseConfigText(text, 'yaml', {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path)).toEqual(['teams[0].members[1]']);
    expect(result.warnings.map((w) => w.path)).toEqual([]);
  });

  it('does not check an item whose id or another required part fails', () => {
    expect(problems(document({ queue: '{ id: "Billing Q", name: Billing, team: nobody }' }))).toEqual([expect.stringMatching(/^queues\[1\]\.id: /)]);
    expect(problems(document({ queue: '{ id: billing-q, team: nobody }' }))).toEqual([expect.stringMatching(/^queues\[1\]\.name: /)]);
  });

  it('keeps a duplicate id as written', () => {
    const dup = problems(document({ queue: '{ id: general, name: Again, sla: { firstResponse: soon } }' }));
    expect(dup).toEqual(expect.arrayContaining([expect.stringMatching(/^queues\[1\]\.id: duplicate queue id "general"/), expect.stringMatching(/^queues\[1\]\.sla\.firstResponse: /)]));
  });

  it('reaches a document sent as a value (PUT /api/config with JSON), without lines', () => {
    const value = {
      workspace: { name: 'Acme' },
      queues: [{ id: 'general', name: 'General', team: 'nobody', sla: { firstResponse: 'soon' } }],
      handoff: { fallback: { destination: { queue: 'general' } } },
    };
    const result = parseConfigValue(value, {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      expect.stringMatching(/^queues\[0\]\.sla\.firstResponse: /),
      'queues[0].team: unknown team "nobody"',
    ]);
  });
});
