/**
 * @module
 * SDK JWTs: Zoom Cobrowse's tokens, HS256-signed with an app's SDK secret. Verification looks the
 * app up by the `app_key` claim, checks the signature and expiry with jose, then validates the
 * claims with the protocol's `SdkTokenClaims` (exact claims, numeric `role_type`, at most 48 h of
 * lifetime). Every failure is `2001 TOKEN_INVALID` with a reason that names the rule broken.
 */
import { SignJWT, decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { SdkTokenClaims, SightlineError, type RoleType } from '@sightline/protocol';
import type { AppRecord } from './ports.js';

/** A verified SDK token: whose app it is and what it claims. */
export interface VerifiedSdkToken {
  app: AppRecord;
  claims: SdkTokenClaims;
}

/** The only algorithm accepted. Anything else, `none` included, is refused before verification. */
export const SDK_TOKEN_ALGORITHM = 'HS256';

const encoder = new TextEncoder();

/** The key bytes of an HS256 secret. */
export function secretKey(secret: string): Uint8Array {
  return encoder.encode(secret);
}

function invalid(reason: string): SightlineError {
  return new SightlineError('TOKEN_INVALID', reason);
}

/**
 * A human reason for a jose failure. Used for SDK tokens and for the server's own session tokens;
 * never includes the token or a secret.
 */
export function joseFailureReason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired.';
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return 'The signature does not verify (wrong secret?).';
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return `Claim ${error.claim} failed validation (${error.reason}).`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return `The algorithm must be HS256.`;
  if (error instanceof errors.JOSEError) return 'The token is malformed.';
  throw error;
}

function describeClaimsError(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const issue = issues[0];
  if (!issue) return 'The claims are invalid.';
  const claim = issue.path.map(String).join('.');
  if (claim === 'role_type') return 'Claim role_type must be the number 1 (customer) or 2 (agent).';
  return claim ? `Claim ${claim}: ${issue.message}.` : `Claims: ${issue.message}.`;
}

/**
 * Verifies an SDK JWT at `nowMs`. Throws `TOKEN_INVALID` with a reason; never anything else for a
 * bad token.
 */
export async function verifySdkToken(
  token: string,
  findApp: (sdkKey: string) => Promise<AppRecord | undefined>,
  nowMs: number,
): Promise<VerifiedSdkToken> {
  let algorithm: unknown;
  let appKey: unknown;
  try {
    algorithm = decodeProtectedHeader(token).alg;
    appKey = decodeJwt(token).app_key;
  } catch {
    throw invalid('The token is not a JWT.');
  }
  // Checked before any key is touched: `alg: none` and asymmetric algorithms never reach jose.
  if (algorithm !== SDK_TOKEN_ALGORITHM) {
    throw invalid(`The algorithm must be HS256, not ${JSON.stringify(algorithm ?? null)}.`);
  }
  if (typeof appKey !== 'string' || appKey.length === 0) {
    throw invalid('Claim app_key is missing.');
  }
  const app = await findApp(appKey);
  if (!app) throw invalid('Claim app_key names no app on this server.');

  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, secretKey(app.sdkSecret), {
      algorithms: [SDK_TOKEN_ALGORITHM],
      currentDate: new Date(nowMs),
    }));
  } catch (error) {
    throw invalid(joseFailureReason(error));
  }
  const claims = SdkTokenClaims.safeParse(payload);
  if (!claims.success) throw invalid(describeClaimsError(claims.error.issues));
  return { app, claims: claims.data };
}

/** Requires a verified token to have `role`; a customer token on an agent endpoint is 2001. */
export function requireRole(token: VerifiedSdkToken, role: RoleType): VerifiedSdkToken {
  if (token.claims.role_type !== role) {
    const wanted = role === 1 ? '1 (customer)' : '2 (agent)';
    throw invalid(`This endpoint needs a token with role_type ${wanted}.`);
  }
  return token;
}

/** The claims the server itself puts in SDK JWTs it issues (console login, `/api/token`). */
export interface IssuedClaims {
  role_type: RoleType;
  user_id: string;
  user_name: string;
}

/** Signs an SDK JWT for `app`, as an integrator's token server would. Times in seconds. */
export async function signSdkToken(
  app: AppRecord,
  claims: IssuedClaims,
  times: { iat: number; exp: number },
): Promise<string> {
  return new SignJWT({ app_key: app.sdkKey, ...claims })
    .setProtectedHeader({ alg: SDK_TOKEN_ALGORITHM, typ: 'JWT' })
    .setIssuedAt(times.iat)
    .setExpirationTime(times.exp)
    .sign(secretKey(app.sdkSecret));
}
