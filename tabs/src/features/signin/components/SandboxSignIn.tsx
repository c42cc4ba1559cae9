import { Button, Caption1, MessageBar, MessageBarBody, Text, makeStyles } from '@fluentui/react-components';
import { useState } from 'react';
import { CenteredPage } from '../../../components/CenteredPage.js';
import { ErrorBar } from '../../../components/ErrorBar.js';
import { LoadStatus } from '../../../components/LoadStatus.js';
import { PlainList } from '../../../components/PlainList.js';
import { useResource } from '../../../lib/use-resource.js';
import { listSandboxUsers, signInToSandbox, type SandboxUser } from '../api/sandbox.js';

const useStyles = makeStyles({
  user: { width: '100%', justifyContent: 'flex-start', textAlign: 'start' },
  userText: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start' },
});

/** Sandbox mode outside Teams: pick one of the seeded people and act as them. */
export function SandboxSignIn({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const styles = useStyles();
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
    <CenteredPage title="Sign in to the sandbox">
      <Text>
        This copy of Apono Approvals runs with a built-in sandbox instead of Microsoft Teams and Apono. Pick a
        person to see the tab as they would.
      </Text>
      <MessageBar intent="info">
        <MessageBarBody>Sandbox data is made up and resets when the server restarts.</MessageBarBody>
      </MessageBar>
      {failure !== undefined && <ErrorBar title="Could not sign in" error={failure} />}
      <LoadStatus
        loaded={users.data !== undefined}
        loading={users.loading}
        // A failed refresh leaves the people listed: nothing to report.
        error={users.data ? undefined : users.error}
        errorTitle="Could not load the sandbox people"
        onRetry={() => void users.reload()}
        loadingLabel="Loading people"
        placeholders={[48, 48, 48, 48]}
      />
      {users.data && (
        <PlainList spacing="small" aria-label="Sandbox people">
          {users.data.map((user) => (
            <li key={user.email}>
              <Button
                className={styles.user}
                size="large"
                disabled={pending !== null}
                onClick={() => void signIn(user)}
                aria-label={`Sign in as ${user.name}, ${user.role}`}
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
