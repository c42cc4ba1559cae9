import { Button, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { CountBadge } from '../components/CountBadge.js';
import { SettingsRegular } from '@fluentui/react-icons';
import { lazy, Suspense, useCallback, useState } from 'react';
import { disconnect, type Me } from '../features/connect/api/connection.js';
import { RequestsPage } from '../features/requests/components/RequestsPage.js';
import { useErrorText } from '../lib/error-words.js';
import { useWords, withAllWords } from '../lib/i18n.js';
import { useNotify, useToasterWanted } from '../lib/toaster.js';
import { ViewTabs } from './ViewTabs.js';

const AppToaster = lazy(() => import('../components/AppToaster.js'));
const HistoryView = lazy(() => withAllWords(import('../features/history/components/HistoryView.js')));
const RoutingPage = lazy(() =>
  withAllWords(import('../features/routing/RoutingPage.js')).then((m) => ({ default: m.RoutingPage })),
);
// The settings menu (Menu, Tooltip and their positioning code, a quarter of the first load) is
// fetched when it is first pointed at or focused, and shown when first pressed; until then a plain
// button of the same size holds its place (issue 11, 5).
const loadSettingsMenu = () => withAllWords(import('../features/connect/components/SettingsMenu.js'));
const SettingsMenu = lazy(() => loadSettingsMenu().then((m) => ({ default: m.SettingsMenu })));

const useStyles = makeStyles({
  header: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  tabs: { flexGrow: 1 },
  user: { color: tokens.colorNeutralForeground3, '@media (max-width: 480px)': { display: 'none' } },
  main: {
    boxSizing: 'border-box',
    maxWidth: '64rem',
    margin: '0 auto',
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}`,
    '@media (max-width: 480px)': { padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalS}` },
  },
});

type View = 'pending' | 'history' | 'routing';

interface AppShellProps {
  me: Me;
  initialRequestId: string | null;
  aponoPortalUrl: string;
  onConnectionChange: () => void;
  onSignOut?: () => void;
}

export function AppShell({
  me,
  initialRequestId,
  aponoPortalUrl,
  onConnectionChange,
  onSignOut,
}: AppShellProps) {
  const styles = useStyles();
  const [view, setView] = useState<View>('pending');
  const [count, setCount] = useState<number | null>(null);
  const [listShown, setListShown] = useState(false);
  const showList = useCallback(() => setListShown(true), []);
  const notify = useNotify();
  const toasterWanted = useToasterWanted();
  const { t } = useWords();
  const errorText = useErrorText();
  const [settingsWanted, setSettingsWanted] = useState(false);
  // Also the Suspense fallback while the menu's code arrives: the same button, pressed once.
  const settingsButton = (
    <Button
      appearance="subtle"
      icon={<SettingsRegular />}
      aria-label={t('shell.settings')}
      aria-haspopup="menu"
      aria-busy={settingsWanted || undefined}
      onPointerEnter={() => void loadSettingsMenu()}
      onFocus={() => void loadSettingsMenu()}
      onClick={() => setSettingsWanted(true)}
    />
  );

  async function disconnectApono() {
    try {
      await disconnect();
      onConnectionChange();
    } catch (error) {
      void notify(errorText(error), 'error');
    }
  }

  return (
    <>
      <header className={styles.header}>
        <h1 className={styles.title}>{t('shell.title')}</h1>
        <ViewTabs<View>
          className={styles.tabs}
          selected={view}
          onSelect={setView}
          label={t('shell.views')}
          arrowKeysSoon={listShown}
          tabs={[
            {
              value: 'pending',
              label: t('shell.pending'),
              extra: count !== null && count > 0 && (
                <CountBadge size="small" count={count} overflowCount={99} aria-hidden />
              ),
            },
            { value: 'history', label: t('shell.history') },
            ...(me.admin ? [{ value: 'routing' as const, label: t('shell.routing') }] : []),
          ]}
        />
        <Text className={styles.user} size={200}>
          {me.user.name}
        </Text>
        {settingsWanted ? (
          <Suspense fallback={settingsButton}>
            <SettingsMenu
              me={me}
              onDisconnect={() => void disconnectApono()}
              onSignOut={onSignOut}
              defaultOpen
            />
          </Suspense>
        ) : (
          settingsButton
        )}
      </header>
      <main className={styles.main}>
        {/* Kept mounted while History shows, so polling and filters survive switching views. */}
        <div hidden={view !== 'pending'}>
          <RequestsPage
            initialRequestId={initialRequestId}
            aponoPortalUrl={aponoPortalUrl}
            onCountChange={setCount}
            onShown={showList}
          />
        </div>
        {view === 'history' && (
          <Suspense fallback={<Spinner label={t('shell.loadingHistory')} />}>
            <HistoryView />
          </Suspense>
        )}
        {view === 'routing' && me.admin && (
          <Suspense fallback={<Spinner label={t('shell.loadingRoutes')} />}>
            <RoutingPage />
          </Suspense>
        )}
      </main>
      {toasterWanted && (
        <Suspense fallback={null}>
          <AppToaster />
        </Suspense>
      )}
    </>
  );
}
