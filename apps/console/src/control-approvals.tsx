/**
 * @module
 * For managers and admins: requests for full control waiting for their approval (ADR 0012),
 * each with Approve and Deny. Polled while the console is open.
 */
import { toSightlineError, type ControlApproval } from '@sightline/protocol';
import { useEffect, useState } from 'preact/hooks';
import { decideApproval, listApprovals } from './api.js';
import { errorWords } from './messages.js';

/** How often the list is fetched again. */
const POLL_MS = 5_000;

/** The approvals waiting; nothing when there are none. */
export function ControlApprovals({ token }: { token: string }) {
  const [approvals, setApprovals] = useState<ControlApproval[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();

  const refresh = async () => {
    try {
      setApprovals(await listApprovals(token));
      setError(undefined);
    } catch (thrown) {
      setError(errorWords(toSightlineError(thrown).code));
    }
  };

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [token]);

  const decide = async (id: string, decision: 'approve' | 'deny') => {
    setBusy(id);
    try {
      await decideApproval(token, id, decision);
      setApprovals((list) => list.filter((a) => a.id !== id));
    } catch (thrown) {
      setError(errorWords(toSightlineError(thrown).code));
    } finally {
      setBusy(undefined);
    }
  };

  if (approvals.length === 0 && !error) return null;
  return (
    <section class="approvals" data-testid="control-approvals" aria-label="Full control requests">
      <h2>Full control requests</h2>
      {error && (
        <p class="error" role="alert" data-testid="control-approvals-error">
          {error}
        </p>
      )}
      <ul>
        {approvals.map((a) => (
          <li key={a.id} data-testid="control-approval" data-approval-id={a.id}>
            <span>
              <strong>{a.agent.userName}</strong> asks for full control of{' '}
              <strong>{a.customerUserName}</strong>’s page
            </span>
            <button
              type="button"
              class="primary"
              data-testid="approval-approve"
              disabled={busy === a.id}
              onClick={() => void decide(a.id, 'approve')}
            >
              Approve
            </button>
            <button
              type="button"
              class="danger"
              data-testid="approval-deny"
              disabled={busy === a.id}
              onClick={() => void decide(a.id, 'deny')}
            >
              Deny
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
