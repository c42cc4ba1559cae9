import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { ComponentProps } from 'react';

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  none: {},
  small: { gap: tokens.spacingVerticalS },
  medium: { gap: tokens.spacingVerticalM },
});

interface PlainListProps extends ComponentProps<'ul'> {
  /** Space between items: `none` for lines of text, `small` for results or buttons, `medium` for cards. */
  spacing: 'none' | 'small' | 'medium';
}

/** A list without bullets, its items stacked: the cards, the sign-in people, the bulk results. */
export function PlainList({ spacing, className, ...props }: PlainListProps) {
  const styles = useStyles();
  return <ul {...props} className={mergeClasses(styles.list, styles[spacing], className)} />;
}
