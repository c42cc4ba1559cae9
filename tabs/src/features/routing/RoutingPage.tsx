// Routing, for the app's admins only (ADMIN_EMAILS): send the new requests of an access flow, an
// integration or a resource type to a Teams channel the bot is in, besides each approver's chat.
import { Button, Field, Input, Select, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { DeleteRegular } from '@fluentui/react-icons';
import { useState, type FormEvent } from 'react';
import { ErrorBar } from '../../components/ErrorBar.js';
import { PageHeading } from '../../components/PageHeading.js';
import { errorMessage } from '../../lib/api-client.js';
import { useNotify } from '../../lib/toaster.js';
import { useResource } from '../../lib/use-resource.js';
import { channelLabel, MATCH_LABELS, type RouteMatch } from '@apono-teams/domain/routing.js';
import { addRoute, getRouting, removeRoute } from './api.js';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  form: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(12rem, 1fr))',
    gap: tokens.spacingHorizontalM,
    alignItems: 'end',
  },
  add: { whiteSpace: 'nowrap' },
  list: { listStyle: 'none', margin: 0, padding: 0 },
  route: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  // Break a long name only where it would not fit otherwise, never mid-word when it does.
  value: { overflowWrap: 'break-word', minWidth: 0 },
});

export function RoutingPage() {
  const styles = useStyles();
  const notify = useNotify();
  const routing = useResource(getRouting, 'routing');
  const [match, setMatch] = useState<RouteMatch>('flow');
  const [value, setValue] = useState('');
  const [channel, setChannel] = useState('');
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const channels = routing.data?.channels ?? [];
  const chosen = channel || channels[0]?.conversationId || '';

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!value.trim()) {
      setProblem('Name the access flow, integration or resource type.');
      return;
    }
    setSaving(true);
    setProblem(null);
    try {
      await addRoute({ match, value: value.trim(), conversationId: chosen });
      setValue('');
      void notify('Route added. New requests it matches go to that channel.', 'success');
      await routing.reload();
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setSaving(false);
    }
  }

  async function remove(id: number) {
    try {
      await removeRoute(id);
      await routing.reload();
      void notify('Route removed.', 'success');
    } catch (error) {
      void notify(errorMessage(error), 'error');
    }
  }

  return (
    <section className={styles.page} aria-labelledby="routing-heading">
      <PageHeading id="routing-heading">Routing</PageHeading>
      <Text>
        New requests always reach their approvers in Teams. A route also posts them in a channel, where
        approvers can act on them and everyone sees the outcome.
      </Text>
      {routing.error !== undefined && !routing.data && (
        <ErrorBar
          title="Could not load the routes"
          error={routing.error}
          onRetry={() => void routing.reload()}
        />
      )}
      {!routing.data && routing.error === undefined && <Spinner label="Loading routes…" />}
      {routing.data && !channels.length && (
        <Text role="status">
          The bot is not in any channel yet. Add Apono Approvals to a team, then come back to route requests
          there.
        </Text>
      )}
      {routing.data && channels.length > 0 && (
        <form className={styles.form} onSubmit={(e) => void submit(e)} aria-label="Add a route">
          <Field label="Send requests of">
            <Select value={match} onChange={(_, d) => setMatch(d.value as RouteMatch)}>
              {Object.entries(MATCH_LABELS).map(([key, label]) => (
                <option key={key} value={key}>
                  {label}
                </option>
              ))}
            </Select>
          </Field>
          <Field
            label="Named"
            validationState={problem ? 'error' : 'none'}
            validationMessage={problem ?? undefined}
          >
            <Input value={value} maxLength={200} onChange={(_, d) => setValue(d.value)} />
          </Field>
          <Field label="To channel">
            <Select value={chosen} onChange={(_, d) => setChannel(d.value)}>
              {channels.map((c) => (
                <option key={c.conversationId} value={c.conversationId}>
                  {channelLabel(c)}
                </option>
              ))}
            </Select>
          </Field>
          <Button className={styles.add} appearance="primary" type="submit" disabled={saving}>
            {saving ? 'Adding…' : 'Add route'}
          </Button>
        </form>
      )}
      {routing.data && (
        <>
          {routing.data.routes.length === 0 ? (
            <Text>No routes yet: new requests reach their approvers' chats only.</Text>
          ) : (
            <ul className={styles.list} aria-label="Routes">
              {routing.data.routes.map((r) => (
                <li key={r.id} className={styles.route}>
                  <Text className={styles.value}>
                    {MATCH_LABELS[r.match]} <strong>{r.value}</strong> →{' '}
                    {channelLabel(channels.find((c) => c.conversationId === r.conversationId))}
                  </Text>
                  <Button
                    appearance="subtle"
                    icon={<DeleteRegular />}
                    aria-label={`Remove the route for ${MATCH_LABELS[r.match].toLowerCase()} ${r.value}`}
                    onClick={() => void remove(r.id)}
                  />
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
