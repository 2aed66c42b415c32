/**
 * @module
 * The console's shell: who is signed in, and which screen shows (sign-in, the desk, a session).
 */
import type { CreateInviteResponse, SightlineError } from '@sightline/protocol';
import { useState } from 'preact/hooks';
import { canApprove, clearAuth, isSignInError, loadAuth, saveAuth, type Auth } from './api.js';
import { ControlApprovals } from './control-approvals.js';
import { Desk } from './desk.js';
import { Login } from './login.js';
import { errorWords } from './messages.js';
import { SessionView } from './session-view.js';

type Screen =
  | { name: 'login'; notice?: string }
  | { name: 'desk'; error?: string; pin?: string }
  | { name: 'session'; pin: string; attempt: number; invite?: CreateInviteResponse };

/** The whole console. */
export function App() {
  const [auth, setAuth] = useState<Auth | undefined>(() => loadAuth());
  const [screen, setScreen] = useState<Screen>(() => (auth ? { name: 'desk' } : { name: 'login' }));

  const signOut = (notice?: string) => {
    clearAuth();
    setAuth(undefined);
    setScreen({ name: 'login', ...(notice ? { notice } : {}) });
  };

  if (!auth || screen.name === 'login') {
    return (
      <Login
        notice={screen.name === 'login' ? screen.notice : undefined}
        onSignedIn={(signedIn) => {
          saveAuth(signedIn);
          setAuth(signedIn);
          setScreen({ name: 'desk' });
        }}
      />
    );
  }

  const onJoinFailed = (error: SightlineError, pin: string) => {
    if (isSignInError(error.code)) signOut(errorWords(error.code));
    else setScreen({ name: 'desk', error: errorWords(error.code), pin });
  };

  return (
    <div class="shell">
      <header class="topbar">
        <span class="brand">Sightline</span>
        <span class="who">
          <span class="visually-hidden">Signed in as </span>
          <span id="agent-name">{auth.user.userName}</span>
        </span>
        <button type="button" class="link" id="sign-out" onClick={() => signOut()}>
          Sign out
        </button>
      </header>
      {canApprove(auth) && <ControlApprovals token={auth.token} />}
      {screen.name === 'desk' ? (
        <Desk
          sdkToken={auth.token}
          onInvited={(invite) =>
            setScreen({ name: 'session', pin: invite.pin, attempt: Date.now(), invite })
          }
          onSignInRefused={(error) => signOut(errorWords(error.code))}
          initialPin={screen.pin}
          error={screen.error}
          onJoin={(pin) => setScreen({ name: 'session', pin, attempt: Date.now() })}
        />
      ) : (
        <SessionView
          key={screen.attempt}
          sdkToken={auth.token}
          pin={screen.pin}
          invite={screen.invite}
          onJoinFailed={(error) => onJoinFailed(error, screen.pin)}
          onDone={() => setScreen({ name: 'desk' })}
        />
      )}
    </div>
  );
}
