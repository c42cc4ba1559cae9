import { Button, Caption1, MessageBar, MessageBarBody, Text, makeStyles } from '@fluentui/react-components';
import { useState } from 'react';
import { CenteredPage } from '../../../components/CenteredPage.js';
import { ErrorBar } from '../../../components/ErrorBar.js';
import { LoadStatus } from '../../../components/LoadStatus.js';
import { PlainList } from '../../../components/PlainList.js';
import { useWords } from '../../../lib/i18n.js';
import { useResource } from '../../../lib/use-resource.js';
import { listSandboxUsers, signInToSandbox, type SandboxUser } from '../api/sandbox.js';

const useStyles = makeStyles({
  user: { width: '100%', justifyContent: 'flex-start', textAlign: 'start' },
  userText: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start' },
});

/** Sandbox mode outside Teams: pick one of the seeded people and act as them. */
export function SandboxSignIn({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const styles = useStyles();
  const { t } = useWords();
  const users = useResource(listSandboxUsers, 'sandbox-users');
  const [pending, setPending] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>();

  async function signIn(user: SandboxUser) {
    setPending(user.email);
    setFailure(undefined);
    try {
      onSignedIn(await signInToSandbox(user.email));
    } catch (error) {
      setFailure(error);
      setPending(null);
    }
  }

  return (
    <CenteredPage title={t('sandbox.title')}>
      <Text>{t('sandbox.intro')}</Text>
      <MessageBar intent="info">
        <MessageBarBody>{t('sandbox.madeUp')}</MessageBarBody>
      </MessageBar>
      {failure !== undefined && <ErrorBar title={t('sandbox.failed')} error={failure} />}
      <LoadStatus
        loaded={users.data !== undefined}
        loading={users.loading}
        // A failed refresh leaves the people listed: nothing to report.
        error={users.data ? undefined : users.error}
        errorTitle={t('sandbox.loadFailed')}
        onRetry={() => void users.reload()}
        loadingLabel={t('sandbox.loading')}
        placeholders={[48, 48, 48, 48]}
      />
      {users.data && (
        <PlainList spacing="small" aria-label={t('sandbox.people')}>
          {users.data.map((user) => (
            <li key={user.email}>
              <Button
                className={styles.user}
                size="large"
                disabled={pending !== null}
                onClick={() => void signIn(user)}
                aria-label={t('sandbox.signInAs', { name: user.name, role: user.role })}
              >
                <span className={styles.userText}>
                  <Text weight="semibold">{user.name}</Text>
                  <Caption1>
                    {user.email} · {user.role}
                  </Caption1>
                </span>
              </Button>
            </li>
          ))}
        </PlainList>
      )}
    </CenteredPage>
  );
}
