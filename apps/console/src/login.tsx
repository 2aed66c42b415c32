/**
 * @module
 * The sign-in screen.
 */
import { toSightlineError } from '@sightline/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { login, type Auth } from './api.js';
import { errorWords } from './messages.js';

/** Props of {@link Login}. */
export interface LoginProps {
  /** Why the agent is here again (an expired sign-in), shown as an error. */
  notice: string | undefined;
  onSignedIn(auth: Auth): void;
}

/** User name and password; the error, if any, in `#console-error`. */
export function Login({ notice, onSignedIn }: LoginProps) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(notice);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => usernameRef.current?.focus(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await login(username.trim(), password));
    } catch (thrown) {
      setError(errorWords(toSightlineError(thrown).code));
      setBusy(false);
      passwordRef.current?.select();
      passwordRef.current?.focus();
    }
  };

  return (
    <main class="centered">
      <form class="card" onSubmit={(event) => void submit(event)} noValidate>
        <h1>Sign in to Sightline</h1>
        <label for="login-username">User name</label>
        <input
          id="login-username"
          ref={usernameRef}
          autocomplete="username"
          autocapitalize="none"
          spellcheck={false}
          required
          value={username}
          onInput={(event) => setUsername(event.currentTarget.value)}
        />
        <label for="login-password">Password</label>
        <input
          id="login-password"
          ref={passwordRef}
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(event) => setPassword(event.currentTarget.value)}
        />
        {error && (
          <p id="console-error" class="error" role="alert">
            {error}
          </p>
        )}
        <button
          id="login-submit"
          type="submit"
          class="primary"
          disabled={busy || !username.trim() || !password}
        >
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
