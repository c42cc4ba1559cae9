import { makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  page: {
    boxSizing: 'border-box',
    maxWidth: '36rem',
    margin: '0 auto',
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalL}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
  },
});

/** The single-column layout of the screens shown before the list: sign-in, connect, outside Teams. */
export function CenteredPage({ children, label }: { children: ReactNode; label: string }) {
  const styles = useStyles();
  return (
    <main className={styles.page} aria-label={label}>
      {children}
    </main>
  );
}
