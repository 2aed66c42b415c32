/**
 * @module
 * The SDK JWT's claims: exactly Zoom Cobrowse's, so existing token servers keep working.
 * HS256, signed with the app's SDK secret.
 */
import * as z from 'zod';
import { JWT_MAX_LIFETIME_SECONDS, USER_ID_MAX_LENGTH, USER_NAME_MAX_LENGTH } from './limits.js';

/** JWT `role_type`: 1 is a customer, 2 an agent. A string such as `"1"` is rejected, as Zoom does. */
export const RoleType = { CUSTOMER: 1, AGENT: 2 } as const;
export type RoleType = (typeof RoleType)[keyof typeof RoleType];

/**
 * The claims of an SDK JWT. Unknown claims are rejected (`strict`), so a typo such as
 * `user_identity` fails loudly instead of silently dropping the user's id.
 */
export const SdkTokenClaims = z
  .object({
    app_key: z.string().min(1).max(256),
    role_type: z.union([z.literal(RoleType.CUSTOMER), z.literal(RoleType.AGENT)]),
    iat: z.number().int().nonnegative(),
    exp: z.number().int().positive(),
    user_id: z.string().min(1).max(USER_ID_MAX_LENGTH),
    user_name: z.string().min(1).max(USER_NAME_MAX_LENGTH),
    enable_byop: z.union([z.literal(0), z.literal(1)]).optional(),
  })
  .strict()
  .refine((c) => c.exp > c.iat, { message: 'exp must be after iat', path: ['exp'] })
  .refine((c) => c.exp - c.iat <= JWT_MAX_LIFETIME_SECONDS, {
    message: 'exp may be at most 48 hours after iat',
    path: ['exp'],
  });
export type SdkTokenClaims = z.infer<typeof SdkTokenClaims>;
