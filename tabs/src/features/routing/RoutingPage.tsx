// Routing, for the app's admins only (ADMIN_EMAILS): send the new requests of an access flow, an
// integration or a resource type to a Teams channel the bot is in, besides each approver's chat.
import { Button, Field, Input, Select, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { DeleteRegular } from '@fluentui/react-icons';
import { useState, type FormEvent } from 'react';
import { ErrorBar } from '../../components/ErrorBar.js';
import { PageHeading } from '../../components/PageHeading.js';
import { useNotify } from '../../lib/toaster.js';
import { useResource } from '../../lib/use-resource.js';
import { MATCH_LABELS, type KnownChannel, type RouteMatch } from '@apono-teams/domain/routing.js';
import type { Translate } from '@apono-teams/domain/message.js';
import { Sentence } from '../../components/Sentence.js';
import { useErrorText } from '../../lib/error-words.js';
import { useWords } from '../../lib/i18n.js';
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

/** "Team › Channel", or what is known of it; the General channel carries no name in Teams' events. */
const channelLabel = (c: KnownChannel | undefined, t: Translate) =>
  c
    ? t('routing.channel', {
        team: c.teamName ?? t('routing.aTeam'),
        channel: c.channelName ?? t('routing.general'),
      })
    : t('routing.channelLeft');

export function RoutingPage() {
  const styles = useStyles();
  const notify = useNotify();
  const { t } = useWords();
  const errorText = useErrorText();
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
      setProblem(t('routing.nameIt'));
      return;
    }
    setSaving(true);
    setProblem(null);
    try {
      await addRoute({ match, value: value.trim(), conversationId: chosen });
      setValue('');
      void notify(t('routing.added'), 'success');
      await routing.reload();
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setSaving(false);
    }
  }

  async function remove(id: number) {
    try {
      await removeRoute(id);
      await routing.reload();
      void notify(t('routing.removed'), 'success');
    } catch (error) {
      void notify(errorText(error), 'error');
    }
  }

  return (
    <section className={styles.page} aria-labelledby="routing-heading">
      <PageHeading id="routing-heading">{t('shell.routing')}</PageHeading>
      <Text>{t('routing.intro')}</Text>
      {routing.error !== undefined && !routing.data && (
        <ErrorBar
          title={t('routing.loadFailed')}
          error={routing.error}
          onRetry={() => void routing.reload()}
        />
      )}
      {!routing.data && routing.error === undefined && <Spinner label={t('shell.loadingRoutes')} />}
      {routing.data && !channels.length && <Text role="status">{t('routing.noChannels')}</Text>}
      {routing.data && channels.length > 0 && (
        <form className={styles.form} onSubmit={(e) => void submit(e)} aria-label={t('routing.add')}>
          <Field label={t('routing.sendOf')}>
            <Select value={match} onChange={(_, d) => setMatch(d.value as RouteMatch)}>
              {Object.keys(MATCH_LABELS).map((key) => (
                <option key={key} value={key}>
                  {t(`routing.match.${key}`)}
                </option>
              ))}
            </Select>
          </Field>
          <Field
            label={t('routing.named')}
            validationState={problem ? 'error' : 'none'}
            validationMessage={problem ?? undefined}
          >
            <Input value={value} maxLength={200} onChange={(_, d) => setValue(d.value)} />
          </Field>
          <Field label={t('routing.toChannel')}>
            <Select value={chosen} onChange={(_, d) => setChannel(d.value)}>
              {channels.map((c) => (
                <option key={c.conversationId} value={c.conversationId}>
                  {channelLabel(c, t)}
                </option>
              ))}
            </Select>
          </Field>
          <Button className={styles.add} appearance="primary" type="submit" disabled={saving}>
            {saving ? t('routing.adding') : t('routing.addRoute')}
          </Button>
        </form>
      )}
      {routing.data && (
        <>
          {routing.data.routes.length === 0 ? (
            <Text>{t('routing.none')}</Text>
          ) : (
            <ul className={styles.list} aria-label={t('routing.routes')}>
              {routing.data.routes.map((r) => (
                <li key={r.id} className={styles.route}>
                  <Text className={styles.value}>
                    <Sentence
                      words={(marks) => t(`routing.route.${r.match}`, marks)}
                      parts={{
                        value: <strong>{r.value}</strong>,
                        channel: channelLabel(
                          channels.find((c) => c.conversationId === r.conversationId),
                          t,
                        ),
                      }}
                    />
                  </Text>
                  <Button
                    appearance="subtle"
                    icon={<DeleteRegular />}
                    aria-label={t(`routing.remove.${r.match}`, { value: r.value })}
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
