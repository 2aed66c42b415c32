import { describe, expect, it } from 'vitest';
import { SightlineError } from '@sightline/protocol';
import { SDK_SECRET, claims, sign } from '../../test/support/tokens.js';
import { SessionTokens } from './session-tokens.js';

const NOW = 1_800_000_000_000;
const key = new Uint8Array(32).fill(7);
const tokens = new SessionTokens(key, () => NOW);
const grant = { sessionId: 'session-0001', userId: 'agent-1', userName: 'Alex' };

async function refused(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SightlineError);
  expect((error as SightlineError).errorName).toBe('TOKEN_INVALID');
  return (error as SightlineError).message;
}

describe('session tokens', () => {
  it('round-trips a join token and a resume token', async () => {
    const join = await tokens.sign('join', grant, NOW + 60_000);
    await expect(tokens.verify('join', join)).resolves.toEqual(grant);
    const resume = await tokens.sign('resume', grant, NOW + 60_000);
    await expect(tokens.verify('resume', resume)).resolves.toEqual(grant);
  });

  it('never accepts one kind as the other', async () => {
    const join = await tokens.sign('join', grant, NOW + 60_000);
    const resume = await tokens.sign('resume', grant, NOW + 60_000);
    await refused(tokens.verify('resume', join));
    await refused(tokens.verify('join', resume));
  });

  it('never accepts an SDK JWT, even one signed with the server key', async () => {
    await refused(tokens.verify('join', await sign(claims(2), { secret: SDK_SECRET })));
    const sdkJwtWithServerKey = await sign(claims(2), {
      secret: Buffer.from(key).toString('latin1'),
    });
    await refused(tokens.verify('join', sdkJwtWithServerKey));
  });

  it('expires', async () => {
    const join = await tokens.sign('join', grant, NOW - 1_000);
    expect(await refused(tokens.verify('join', join))).toContain('expired');
  });

  it('rejects a token signed with another server key', async () => {
    const other = new SessionTokens(new Uint8Array(32).fill(8), () => NOW);
    const join = await other.sign('join', grant, NOW + 60_000);
    expect(await refused(tokens.verify('join', join))).toContain('signature');
  });
});
