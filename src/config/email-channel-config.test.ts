import { describe, expect, it } from 'vitest';
import { parseConfigText } from './parse-config-text.js';

function document(...channels: string[]): string {
  return `
workspace: { name: Acme }
queues: [{ id: general, name: General }]
channels:
${channels.map((c) => `  - ${c}`).join('\n')}
handoff:
  fallback: { destination: { queue: general } }
`;
}

const problems = (text: string): string[] => {
  const result = parseConfigText(text, 'yaml', {});
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
};

describe('email channel addresses in baton.yaml', () => {
  it('accepts an email channel with an address', () => {
    expect(problems(document('{ id: mail, type: email, address: support@acme.test, defaultRoute: { queue: general } }'))).toEqual([]);
  });

  it('needs an address that is an email address, once per workspace (case-insensitive)', () => {
    expect(problems(document('{ id: mail, type: email, defaultRoute: { queue: general } }'))).toEqual([
      'channels[0].address: required for an email channel: the address customers write to and replies come from',
    ]);
    expect(problems(document('{ id: mail, type: email, address: "support at acme", defaultRoute: { queue: general } }'))).toEqual([
      'channels[0].address: "support at acme" is not an email address',
    ]);
    expect(
      problems(
        document(
          '{ id: mail, type: email, address: support@acme.test, defaultRoute: { queue: general } }',
          '{ id: mail-2, type: email, address: Support@Acme.test, defaultRoute: { queue: general } }',
        ),
      ),
    ).toEqual(['channels[1].address: duplicate address "Support@Acme.test" (also channel mail)']);
  });

  it('warns that an address on another kind of channel is ignored', () => {
    const result = parseConfigText(document('{ id: chat, type: chat, address: support@acme.test, defaultRoute: { queue: general } }'), 'yaml', {});
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => w.path)).toContain('channels[0].address');
  });
});
