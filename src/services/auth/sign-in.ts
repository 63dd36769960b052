import type { LoginInput, Me } from '../../contract/api.js';
import { BatonError } from '../../platform/errors.js';
import { logIn } from './authenticate.js';
import type { ServiceContext } from '../context.js';
import type { LoginThrottle } from './login-throttle.js';

export type SignInOutcome =
  | { readonly outcome: 'signed_in'; readonly token: string; readonly me: Me; readonly expiresAt: number }
  | { readonly outcome: 'throttled'; readonly retryAfterMs: number };

/**
 * Password sign-in behind the brute-force brake. A throttled email is refused before its
 * password is checked, so guessing on stops teaching the guesser anything; only a wrong email or
 * password counts as a failure (not a malformed request, not a database outage).
 */
export async function signIn(ctx: ServiceContext, throttle: LoginThrottle, input: LoginInput, address: string): Promise<SignInOutcome> {
  const retryAfterMs = await throttle.retryAfterMs(input.email, address);
  if (retryAfterMs > 0) {
    ctx.logger.warn({ email: input.email, address }, 'sign-in throttled after repeated failures');
    return { outcome: 'throttled', retryAfterMs };
  }
  try {
    const session = await logIn(ctx, input);
    await throttle.reset(input.email, address);
    return { outcome: 'signed_in', ...session };
  } catch (error) {
    if (error instanceof BatonError && error.code === 'unauthorized') await throttle.recordFailure(input.email, address);
    throw error;
  }
}
