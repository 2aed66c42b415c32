/**
 * @module
 * News between the site's tabs about the shared session (`multiTabSessionPersistence`), over a
 * `BroadcastChannel`: a tab that starts a session says so, and so does a tab whose session ended,
 * so that tabs not in it yet can offer it, or stop offering it, without polling storage.
 *
 * `started` carries the session itself (what `localStorage` holds, same origin only): each tab
 * runs in its own process, and a `localStorage` write reaches the others asynchronously, so a tab
 * reading storage on this news could still find nothing.
 */

/** What one tab tells the others. `session` is checked by the receiver before use. */
export type TabNews =
  { type: 'started'; sessionId: string; session: unknown } | { type: 'ended'; sessionId: string };

const CHANNEL = 'sightline.session';

function isNews(value: unknown): value is TabNews {
  const news = value as { type?: unknown; sessionId?: unknown } | null;
  return (
    typeof news === 'object' &&
    news !== null &&
    (news.type === 'started' || news.type === 'ended') &&
    typeof news.sessionId === 'string'
  );
}

/** One tab's end of the channel. Without `BroadcastChannel` it posts and hears nothing. */
export class TabChannel {
  readonly #channel: BroadcastChannel | undefined;

  constructor(hear: (news: TabNews) => void) {
    try {
      this.#channel = new BroadcastChannel(CHANNEL);
    } catch {
      this.#channel = undefined;
    }
    this.#channel?.addEventListener('message', (event: MessageEvent) => {
      if (isNews(event.data)) hear(event.data);
    });
  }

  /** Tells the other tabs of the site. */
  post(news: TabNews): void {
    try {
      this.#channel?.postMessage(news);
    } catch {
      // A closed channel: the other tabs learn it from storage or the server instead.
    }
  }

  close(): void {
    this.#channel?.close();
  }
}
