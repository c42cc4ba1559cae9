import { FluentProvider, Spinner, makeStyles, tokens, type Theme } from '@fluentui/react-components';
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { ErrorBar } from '../components/ErrorBar.js';
import { ApiError, setTokenProvider } from '../lib/api-client.js';
import { getConfig, type AppConfig } from '../lib/config.js';
import { detectHost, isFramed } from '../lib/host.js';
import { sessionToken } from '../lib/session-token.js';
import { useDisabledButtonStyles } from '../lib/disabled-buttons.js';
import { browserLocale, setLocale, useWords, withAllWords } from '../lib/i18n.js';
import { defaultTheme, loadTheme } from '../lib/theme.js';
import type { ThemeName } from '../lib/theme-name.js';
import { openPopup } from './popup.js';
import { SignedInApp } from './SignedInApp.js';

// Screens most people never see (sandbox sign-in, the outside-Teams notice) load only when shown.
const SandboxSignIn = lazy(() =>
  withAllWords(import('../features/signin/components/SandboxSignIn.js')).then((m) => ({
    default: m.SandboxSignIn,
  })),
);
const OutsideTeams = lazy(() =>
  withAllWords(import('../features/signin/components/OutsideTeams.js')).then((m) => ({
    default: m.OutsideTeams,
  })),
);

// Decided once, synchronously: never call into teams-js outside a frame.
const host = detectHost(window.location, isFramed(window));

// The page's own margin, set here rather than with makeStaticStyles, which the build's Griffel
// compilation cannot import from @fluentui/react-components (the sign-in callback keeps its own).
document.body.style.margin = '0';
const customStyleHooks = { useButtonStyles_unstable: useDisabledButtonStyles };

const teamsUnavailable = new ApiError(
  0,
  'teams_unavailable',
  'Microsoft Teams did not answer. Close and reopen the Approvals tab; if it keeps happening, sign out of Teams and back in.',
);

// Outside Teams (or until Teams answers) the browser's language; ?locale= always wins.
const firstLocale = setLocale(host.locale ?? browserLocale());

const useStyles = makeStyles({
  // Not on the FluentProvider: its classes are copied to the portal that holds dialogs and the
  // drawer, where a full-height background hid the page behind the overlay.
  page: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground2 },
  centre: { padding: tokens.spacingVerticalXXXL },
});

type Stage =
  | { kind: 'starting' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'outside-teams' }
  | { kind: 'sandbox-sign-in'; config: AppConfig }
  | {
      kind: 'signed-in';
      config: AppConfig;
      requestId: string | null;
      authenticate: (url: string) => Promise<void>;
      signOut?: () => void;
    };

export function App() {
  const styles = useStyles();
  const { t, dir } = useWords();
  const [localeReady, setLocaleReady] = useState(false);
  useEffect(() => {
    void firstLocale.finally(() => setLocaleReady(true));
  }, []);
  const [theme, setThemeObject] = useState<Theme | null>(
    host.theme && host.theme !== 'default' ? null : defaultTheme,
  );
  const themeRequest = useRef(0);
  // The last theme asked for wins, even if an earlier one finishes loading later.
  const setTheme = useCallback((name: ThemeName) => {
    const mine = ++themeRequest.current;
    void loadTheme(name).then((loaded) => {
      if (mine === themeRequest.current) setThemeObject(loaded);
    });
  }, []);
  useEffect(() => {
    if (host.theme) setTheme(host.theme);
  }, [setTheme]);
  const [stage, setStage] = useState<Stage>({ kind: 'starting' });

  const signOutOfSandbox = useCallback((config: AppConfig) => {
    sessionToken.clear();
    setStage({ kind: 'sandbox-sign-in', config });
  }, []);

  const start = useCallback(async () => {
    setStage({ kind: 'starting' });
    try {
      if (host.inTeams) {
        const [config, teams] = await Promise.all([
          getConfig(),
          import('../lib/teams-host.js')
            .then((m) => m.startTeams())
            .catch(() => Promise.reject(teamsUnavailable)),
        ]);
        setTokenProvider(teams.getToken);
        if (!host.locale) await setLocale(teams.locale);
        if (!host.theme) {
          setTheme(teams.theme);
          teams.onThemeChange(setTheme);
        }
        setStage({
          kind: 'signed-in',
          config,
          requestId: teams.subPageId ?? host.requestId,
          authenticate: teams.authenticate,
        });
        return;
      }
      const config = await getConfig();
      if (config.mode !== 'sandbox') {
        setStage({ kind: 'outside-teams' });
        return;
      }
      setTokenProvider(async () => sessionToken.get());
      if (!sessionToken.get()) {
        setStage({ kind: 'sandbox-sign-in', config });
        return;
      }
      setStage({
        kind: 'signed-in',
        config,
        requestId: host.requestId,
        authenticate: openPopup,
        signOut: () => signOutOfSandbox(config),
      });
    } catch (error) {
      setStage({ kind: 'failed', error });
    }
  }, [signOutOfSandbox, setTheme]);

  useEffect(() => {
    void start();
  }, [start]);

  // Until a forced dark or high-contrast theme has loaded, render nothing rather than flash light.
  // Nor English before the reader's catalogue is there.
  if (!theme || !localeReady) return null;
  return (
    <FluentProvider theme={theme} dir={dir} customStyleHooks_unstable={customStyleHooks}>
      <div className={styles.page}>
        {stage.kind === 'starting' && <Spinner className={styles.centre} label={t('app.starting')} />}
        {stage.kind === 'failed' && (
          <div className={styles.centre}>
            <ErrorBar title={t('app.startFailed')} error={stage.error} onRetry={() => void start()} />
          </div>
        )}
        <Suspense fallback={<Spinner className={styles.centre} />}>
          {stage.kind === 'outside-teams' && <OutsideTeams />}
          {stage.kind === 'sandbox-sign-in' && (
            <SandboxSignIn
              onSignedIn={(token) => {
                sessionToken.set(token);
                setStage({
                  kind: 'signed-in',
                  config: stage.config,
                  requestId: host.requestId,
                  authenticate: openPopup,
                  signOut: () => signOutOfSandbox(stage.config),
                });
              }}
            />
          )}
        </Suspense>
        {stage.kind === 'signed-in' && (
          <SignedInApp
            config={stage.config}
            initialRequestId={stage.requestId}
            authenticate={stage.authenticate}
            onSignOut={stage.signOut}
          />
        )}
      </div>
    </FluentProvider>
  );
}
