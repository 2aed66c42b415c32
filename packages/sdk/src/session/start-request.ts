/**
 * @module
 * `POST /api/customer/start`: exchanges the customer's SDK JWT for a session (PIN, resume token).
 * Network failures are retried a few times; an HTTP error is reported as the server sent it
 * (`{ error: { code, message } }`), so `session_error` carries the server's code and words. An
 * invitation is exchanged for the same answer the same way (`invite.ts`, {@link postForSession}).
 */
import type { Clock } from '@sightline/client';
import { SightlineError, StartSessionResponse } from '@sightline/protocol';

/** The `session_error` payload, Zoom's shape. */
export interface SessionErrorPayload {
  code: number;
  errorMsg: string;
}

/** The result of a start request. */
export type StartResult =
  { ok: true; session: StartSessionResponse } | { ok: false; error: SessionErrorPayload };

/** How a request for a session is sent: everything but where to and what. */
export interface SessionRequestOptions {
  fetch: typeof globalThis.fetch;
  clock: Clock;
  /** Aborts the request and any retry wait (the customer ended the session meanwhile). */
  signal: AbortSignal;
  /**
   * Attempts when the network fails (not when the server answers with an error).
   * @default 3
   */
  attempts?: number;
  /**
   * Wait before the first retry; doubles after each.
   * @default 300
   */
  retryDelayMs?: number;
}

/** What a start request needs. */
export interface StartRequestOptions extends SessionRequestOptions {
  serverUrl: string;
  sdkToken: string;
  customPinCode?: string;
}

/** A catalogue error as a `session_error` payload. */
export function errorPayloadOf(error: SightlineError): SessionErrorPayload {
  return { code: error.code, errorMsg: error.message };
}

function wait(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = clock.setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clock.clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

async function errorOfResponse(response: Response): Promise<SessionErrorPayload> {
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = body.error ?? {};
    if (typeof code === 'number' && typeof message === 'string') return { code, errorMsg: message };
  } catch {
    // Not our error body (a proxy's HTML page, say): described by status below.
  }
  return errorPayloadOf(
    new SightlineError('SESSION_START_FAILED', `The server answered HTTP ${response.status}.`),
  );
}

/** Sends the start request, retrying network failures. Never throws. */
export function requestStart(options: StartRequestOptions): Promise<StartResult> {
  const body = options.customPinCode === undefined ? {} : { customPinCode: options.customPinCode };
  return postForSession(
    `${options.serverUrl}/api/customer/start`,
    { authorization: `Bearer ${options.sdkToken}` },
    body,
    options,
  );
}

/**
 * POSTs `body` as JSON to `url` for a session (the answer of `POST /api/customer/start`),
 * retrying network failures. Never throws.
 */
export async function postForSession(
  url: string,
  headers: Record<string, string>,
  body: object,
  options: SessionRequestOptions,
): Promise<StartResult> {
  const attempts = options.attempts ?? 3;
  let delay = options.retryDelayMs ?? 300;
  for (let attempt = 1; ; attempt += 1) {
    let response: Response;
    try {
      response = await options.fetch(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        credentials: 'omit',
        // Consent first: not even the page's URL leaves before the customer allows it.
        referrerPolicy: 'no-referrer',
        cache: 'no-store',
        signal: options.signal,
      });
    } catch {
      if (options.signal.aborted || attempt >= attempts) {
        return { ok: false, error: errorPayloadOf(new SightlineError('NETWORK_ERROR')) };
      }
      await wait(options.clock, delay, options.signal);
      delay *= 2;
      continue;
    }
    if (!response.ok) return { ok: false, error: await errorOfResponse(response) };
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      json = undefined;
    }
    const parsed = StartSessionResponse.safeParse(json);
    if (!parsed.success) {
      return {
        ok: false,
        error: errorPayloadOf(
          new SightlineError(
            'SESSION_START_FAILED',
            'The server answered with an unexpected body.',
          ),
        ),
      };
    }
    return { ok: true, session: parsed.data };
  }
}
