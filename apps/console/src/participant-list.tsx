/**
 * @module
 * Who is in the session: the customer first (or a note that they are not connected), then you,
 * then the other agents.
 */
import type { Participant } from '@sightline/protocol';

/** Props of {@link ParticipantList}. */
export interface ParticipantListProps {
  self: Participant | undefined;
  participants: readonly Participant[];
}

/** The participant list, `[data-testid="participants"]`. */
export function ParticipantList({ self, participants }: ParticipantListProps) {
  const customer = participants.find((p) => p.role === 'customer');
  const agents = participants.filter((p) => p.role === 'agent');
  return (
    <ul class="people" aria-label="People in this session" data-testid="participants">
      {customer ? (
        <li class="person customer" data-role="customer">
          {customer.userName}
          <span class="role">customer</span>
        </li>
      ) : (
        <li class="person absent" data-role="customer">
          Customer not connected
        </li>
      )}
      {self && (
        <li class="person" data-role="agent">
          {self.userName}
          <span class="role">you</span>
        </li>
      )}
      {agents.map((agent) => (
        <li class="person" data-role="agent" key={agent.userId}>
          {agent.userName}
          <span class="role">agent</span>
        </li>
      ))}
    </ul>
  );
}
