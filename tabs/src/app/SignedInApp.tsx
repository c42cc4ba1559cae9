import { Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { lazy, Suspense, useEffect } from 'react';
import { ErrorBar } from '../components/ErrorBar.js';
import { getMe } from '../features/connect/api/connection.js';
import { onAuthProblem } from '../lib/api-client.js';
import { useWords, withAllWords } from '../lib/i18n.js';
import type { AppConfig } from '../lib/config.js';
import { useResource } from '../lib/use-resource.js';
import { AppShell } from './AppShell.js';

const ConnectScreen = lazy(() =>
  withAllWords(import('../features/connect/components/ConnectScreen.js')).then((m) => ({
    default: m.ConnectScreen,
  })),
);

const useStyles = makeStyles({ centre: { padding: tokens.spacingVerticalXXXL } });

interface SignedInAppProps {
  config: AppConfig;
  initialRequestId: string | null;
  authenticate: (url: string) => Promise<void>;
  onSignOut?: () => void;
}

/** Who is signed in and whether their Apono account is connected decide what the tab shows. */
export function SignedInApp({ config, initialRequestId, authenticate, onSignOut }: SignedInAppProps) {
  const styles = useStyles();
  const { t } = useWords();
  const me = useResource(getMe, 'me');
  const { reload } = me;

  useEffect(
    () =>
      onAuthProblem((error) => {
        // Sandbox: back to the sign-in page. Teams: the error is shown with a retry (reloading here
        // would ask again and again with the same refused token).
        if (error.code === 'unauthenticated') onSignOut?.();
        else void reload(); // not_connected: /api/me now says so, and the connect screen shows
      }),
    [reload, onSignOut],
  );

  if (!me.data) {
    if (me.error !== undefined) {
      return (
        <div className={styles.centre}>
          <ErrorBar title={t('shell.whoFailed')} error={me.error} onRetry={() => void reload()} />
        </div>
      );
    }
    return <Spinner className={styles.centre} label={t('shell.signingIn')} />;
  }
  if (!me.data.connection.connected) {
    return (
      <Suspense fallback={<Spinner className={styles.centre} />}>
        <ConnectScreen
          userName={me.data.user.name}
          aponoPortalUrl={config.aponoPortalUrl}
          aponoOAuth={config.aponoOAuth}
          authenticate={authenticate}
          onConnected={() => void reload()}
        />
      </Suspense>
    );
  }
  return (
    <AppShell
      me={me.data}
      initialRequestId={initialRequestId}
      aponoPortalUrl={config.aponoPortalUrl}
      onConnectionChange={() => void reload()}
      onSignOut={onSignOut}
    />
  );
}
