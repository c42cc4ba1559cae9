import {
  Button,
  Divider,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { CenteredPage } from '../../../components/CenteredPage.js';
import { errorMessage } from '../../../lib/api-client.js';
import { connectWithToken, getMe, startOAuth } from '../api/connection.js';

const notFinished =
  'The Apono sign-in did not finish. Choose Sign in with Apono again, or paste a personal API token instead.';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  steps: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL },
});

interface ConnectScreenProps {
  userName: string;
  aponoPortalUrl: string;
  aponoOAuth: boolean;
  /** Opens the sign-in window (a Teams auth window, or a popup) at `url` and resolves when it closes. */
  authenticate: (url: string) => Promise<void>;
  onConnected: () => void;
}

/** Decisions are made as the approver's own Apono user, so each person connects their account once. */
export function ConnectScreen({
  userName,
  aponoPortalUrl,
  aponoOAuth,
  authenticate,
  onConnected,
}: ConnectScreenProps) {
  const styles = useStyles();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState<'token' | 'oauth' | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!token.trim() || busy) return;
    setBusy('token');
    setFailure(null);
    try {
      await connectWithToken(token.trim());
      setToken('');
      onConnected();
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setBusy(null);
    }
  }

  async function signInWithApono() {
    setBusy('oauth');
    setFailure(null);
    try {
      const { startUrl } = await startOAuth();
      // Absolute, on this page's own origin: the window starts on our domain, then goes to Apono.
      await authenticate(new URL(startUrl, window.location.origin).href);
      // The window closing says little (finished, or cancelled): ask the server what happened.
      const me = await getMe();
      if (me.connection.connected) onConnected();
      else setFailure(notFinished);
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setBusy(null);
    }
  }

  return (
    <CenteredPage title="Connect your Apono account">
      <Text>
        Hi {userName}. Apono records every approval under the name of the person who made it, so this app
        decides requests with your own Apono account. Connect it once; you can disconnect at any time from the
        settings menu.
      </Text>
      {failure && (
        <MessageBar intent="error" layout="multiline" role="alert">
          <MessageBarBody>{failure}</MessageBarBody>
        </MessageBar>
      )}
      {aponoOAuth && (
        <>
          <Button appearance="primary" disabled={busy !== null} onClick={() => void signInWithApono()}>
            {busy === 'oauth' ? 'Waiting for Apono…' : 'Sign in with Apono'}
          </Button>
          <Divider>or</Divider>
        </>
      )}
      <form className={styles.form} onSubmit={(e) => void submit(e)}>
        <ol className={styles.steps}>
          <li>
            Open the{' '}
            <Link href={aponoPortalUrl} target="_blank" rel="noreferrer">
              Apono portal
            </Link>{' '}
            and create a personal API token.
          </li>
          <li>Paste it below. It is stored encrypted and used only for your decisions.</li>
        </ol>
        <Field label="Personal API token" required>
          <Input
            type="password"
            autoComplete="off"
            value={token}
            onChange={(_, data) => setToken(data.value)}
          />
        </Field>
        <Button
          type="submit"
          appearance={aponoOAuth ? 'secondary' : 'primary'}
          disabled={!token.trim() || busy !== null}
          icon={busy === 'token' ? <Spinner size="tiny" /> : undefined}
        >
          Connect
        </Button>
      </form>
    </CenteredPage>
  );
}
