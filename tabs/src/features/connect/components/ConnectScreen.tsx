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
import { Sentence } from '../../../components/Sentence.js';
import { useErrorText } from '../../../lib/error-words.js';
import { useWords } from '../../../lib/i18n.js';
import { connectWithToken, getMe, startOAuth } from '../api/connection.js';

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
  const { t } = useWords();
  const errorText = useErrorText();
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
      setFailure(errorText(error));
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
      else setFailure(t('connect.notFinished'));
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setBusy(null);
    }
  }

  return (
    <CenteredPage title={t('connect.title')}>
      <Text>{t('connect.intro', { name: userName })}</Text>
      {failure && (
        <MessageBar intent="error" layout="multiline" role="alert">
          <MessageBarBody>{failure}</MessageBarBody>
        </MessageBar>
      )}
      {aponoOAuth && (
        <>
          <Button appearance="primary" disabled={busy !== null} onClick={() => void signInWithApono()}>
            {busy === 'oauth' ? t('connect.waiting') : t('connect.signIn')}
          </Button>
          <Divider>{t('connect.or')}</Divider>
        </>
      )}
      <form className={styles.form} onSubmit={(e) => void submit(e)}>
        <ol className={styles.steps}>
          <li>
            <Sentence
              words={(marks) => t('connect.step1', marks)}
              parts={{
                portal: (
                  <Link href={aponoPortalUrl} target="_blank" rel="noreferrer">
                    {t('connect.portal')}
                  </Link>
                ),
              }}
            />
          </li>
          <li>{t('connect.step2')}</li>
        </ol>
        <Field label={t('connect.token')} required>
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
          {t('connect.connect')}
        </Button>
      </form>
    </CenteredPage>
  );
}
