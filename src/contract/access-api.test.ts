import { describe, expect, it } from 'vitest';
import { AcceptInviteInput, isCommonPassword, NewPassword, SetupInput } from './access-api.js';

const messagesOf = (value: unknown): string[] => {
  const parsed = NewPassword.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
};

describe('NewPassword: the one rule for every password', () => {
  it('takes a long passphrase of unrelated words', () => {
    expect(messagesOf('plum tractor sunrise 42')).toEqual([]);
    expect(messagesOf('Zebra-Kettle-Orbit')).toEqual([]);
  });

  it('refuses fewer than 10 characters, and 10 that are mostly spaces', () => {
    expect(messagesOf('abc123xyz')).toContain('use at least 10 characters');
    expect(messagesOf('  ab  cd   ')).toContain('use at least 10 characters that are not spaces');
  });

  it('refuses passwords from the common-password list, whatever their case or spacing', () => {
    for (const common of ['password123', 'qwertyuiop', '1234567890', 'PASSWORD123', 'iloveyou12']) {
      expect(isCommonPassword(common), common).toBe(true);
      expect(messagesOf(common), common).toContain('this password is on a list of commonly used passwords; choose another');
    }
    expect(isCommonPassword('plum tractor sunrise 42')).toBe(false);
  });

  it('refuses one or two characters repeated, and more than 200 characters', () => {
    expect(messagesOf('abababababab')).toContain('this password repeats one or two characters; choose one that is harder to guess');
    expect(messagesOf('x'.repeat(201))).toContain('use at most 200 characters');
  });

  it('is the rule of accepting an invitation and of the setup', () => {
    expect(AcceptInviteInput.safeParse({ token: 'bi_x', password: 'password123' }).success).toBe(false);
    expect(SetupInput.safeParse({ name: 'Iris', email: 'iris@example.test', password: 'password123' }).success).toBe(false);
    expect(SetupInput.safeParse({ name: 'Iris', email: 'iris@example.test', password: 'plum tractor sunrise 42' }).success).toBe(true);
  });
});
