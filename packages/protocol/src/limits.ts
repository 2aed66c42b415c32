/**
 * @module
 * Every limit Sightline enforces, named once. The server enforces them; the SDKs read them so
 * they never send what the server would refuse. Time is in milliseconds, size in bytes.
 */

/** How long a new socket has to send `session.hello` before it is closed with 4408. */
export const HELLO_DEADLINE_MS = 5_000;

/** Largest JSON (text) frame accepted on `/ws`. Control traffic is small; anything bigger is abuse. */
export const MAX_TEXT_FRAME_BYTES = 64 * 1024;

/**
 * Largest binary frame (a `dom.batch`: header plus compressed payload). A full snapshot of a heavy
 * page compresses to well under this; the WebSocket server refuses larger frames before buffering them.
 */
export const MAX_BINARY_FRAME_BYTES = 8 * 1024 * 1024;

/** Largest `dom.batch` header (the JSON envelope before the payload). */
export const MAX_BATCH_HEADER_BYTES = 1024;

/** Invalid frames tolerated on one socket (each answered by `session.error`) before it is closed with 4400. */
export const MAX_INVALID_FRAMES = 5;

/**
 * Once a tab's checkout holds this many bytes of batches after its full snapshot, the server asks
 * the customer SDK for a fresh full snapshot so late joiners do not replay a long tail.
 */
export const CHECKOUT_TAIL_REFRESH_BYTES = 2 * 1024 * 1024;

/** The same trigger as {@link CHECKOUT_TAIL_REFRESH_BYTES}, counted in batches. */
export const CHECKOUT_TAIL_REFRESH_BATCHES = 2_000;

/**
 * Hard bound on one tab's checkout. Past it the server drops the checkout's tail and waits for the
 * requested full snapshot; live agents are unaffected, only a late joiner would wait.
 */
export const CHECKOUT_MAX_BYTES = 32 * 1024 * 1024;

/** How often the customer SDK flushes captured events into a `dom.batch`. Input is flushed at once. */
export const BATCH_INTERVAL_MS = 50;

/** Most batches the customer SDK keeps unacknowledged for resending after a reconnect. */
export const MAX_UNACKED_BATCHES = 10_000;

/** Length of a generated PIN (digits). */
export const PIN_LENGTH = 6;

/** Longest bring-your-own PIN. */
export const CUSTOM_PIN_MAX_LENGTH = 10;

/** The only characters a bring-your-own PIN may hold, after upper-casing. */
export const CUSTOM_PIN_PATTERN = /^[A-Z0-9]{1,10}$/;

/** Longest `user_name` claim, as Zoom defines it. */
export const USER_NAME_MAX_LENGTH = 80;

/** Longest `user_id` claim. Zoom sets none; this one keeps the audit log sane. */
export const USER_ID_MAX_LENGTH = 256;

/** Longest a JWT may live: `exp - iat`, as Zoom defines it. */
export const JWT_MAX_LIFETIME_SECONDS = 48 * 60 * 60;

/** Default customers per session (Zoom: 1). */
export const DEFAULT_MAX_CUSTOMERS = 1;

/** Default agents per session (Zoom: 5). */
export const DEFAULT_MAX_AGENTS = 5;

/** Lifetime of the join token `POST /api/agent/connect` returns: long enough to open a socket. */
export const JOIN_TOKEN_TTL_SECONDS = 120;

/** Longest a tab id may be. */
export const TAB_ID_MAX_LENGTH = 64;

/** Most tabs a reconnecting agent's `session.hello` may name in `resumeFrom`. */
export const MAX_RESUME_TABS = 64;

/** Longest ticket reference an agent may attach to an invitation (`ZD-48213`, `INC0012345`). */
export const TICKET_REF_MAX_LENGTH = 64;

/** Longest invitation token accepted (a signed JWT; ours are about 300 characters). */
export const INVITE_TOKEN_MAX_LENGTH = 2048;

/** Default lifetime of an invitation link, in seconds (15 min). */
export const DEFAULT_INVITE_TTL_SECONDS = 15 * 60;

/** Most server-managed mask rules one app may hold (`POST /api/mask-rules`). */
export const MASK_RULES_MAX_PER_APP = 100;

/** Longest URL pattern of a mask rule (a path glob such as `/account/**`). */
export const MASK_RULE_URL_PATTERN_MAX_LENGTH = 256;

/** Most entries in each list of a mask rule (mask selectors, block selectors, URL parameters). */
export const MASK_RULE_LIST_MAX_ENTRIES = 50;

/** Longest CSS selector in a mask rule. */
export const MASK_RULE_SELECTOR_MAX_LENGTH = 512;

/** Longest URL query parameter name in a mask rule. */
export const MASK_RULE_PARAM_MAX_LENGTH = 64;

/** Longest window of actions a customer may allow at once in `controlled` mode ("Allow for …"). */
export const CONTROL_GRANT_MAX_MS = 10 * 60 * 1000;

/** Longest text one `type` command may carry. */
export const CONTROL_TEXT_MAX_LENGTH = 4096;

/** Longest URL a `navigate` command may carry. */
export const CONTROL_URL_MAX_LENGTH = 2048;

/** Most points one annotation may have (a long pen stroke is thinned by the client). */
export const ANNOTATION_MAX_POINTS = 2000;

/** Longest text label. */
export const ANNOTATION_TEXT_MAX_LENGTH = 500;

/** How long a vanishing-pen stroke stays before it fades, ms. */
export const VANISHING_PEN_MS = 4000;

/** How long a customer has to approve one action in `controlled` mode before it expires, ms. */
export const CONTROL_ACTION_APPROVAL_MS = 30_000;

/** How long a manager's approval for `full_control` may be waited for, ms. */
export const CONTROL_APPROVAL_WAIT_MS = 5 * 60 * 1000;
