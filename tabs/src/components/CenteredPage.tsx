import { Title2, makeStyles, tokens } from '@fluentui/react-components';
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
  title: { margin: 0 },
});

interface CenteredPageProps {
  /** The page's one heading. */
  title: string;
  /** The landmark's name, where it says less than the heading. */
  label?: string;
  children: ReactNode;
}

/** The single-column layout of the screens shown before the list: sign-in, connect, outside Teams. */
export function CenteredPage({ title, label = title, children }: CenteredPageProps) {
  const styles = useStyles();
  return (
    <main className={styles.page} aria-label={label}>
      <Title2 as="h1" className={styles.title}>
        {title}
      </Title2>
      {children}
    </main>
  );
}
