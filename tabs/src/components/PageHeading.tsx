import { makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode, Ref } from 'react';

const useStyles = makeStyles({
  heading: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    margin: 0,
    fontSize: tokens.fontSizeBase500,
    lineHeight: tokens.lineHeightBase500,
    fontWeight: tokens.fontWeightSemibold,
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
});

interface PageHeadingProps {
  id: string;
  children: ReactNode;
  /** For moving focus here (tabIndex -1) when what had it is gone. */
  ref?: Ref<HTMLHeadingElement>;
}

/** The heading of a view (Pending, History), the same size and place in each. */
export function PageHeading({ id, children, ref }: PageHeadingProps) {
  return (
    <h2 className={useStyles().heading} id={id} ref={ref} tabIndex={ref ? -1 : undefined}>
      {children}
    </h2>
  );
}
