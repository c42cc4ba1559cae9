// The shell's view switcher: a WAI-ARIA tab list (https://www.w3.org/WAI/ARIA/apg/patterns/tabs/)
// drawn like Fluent's small TabList, without @fluentui/react-tabs and its animated indicator (a
// twentieth of the first load for three buttons: issue 11, 5). Keyboard as in Fluent's TabList:
// one Tab stop, the arrow keys move between tabs (Tabster's arrow navigation group, circular),
// Enter or Space selects. Tabster loads after the first screen (ArrowKeys.tsx): until then, or
// until the list is focused, each tab is a plain button.
import {
  createCustomFocusIndicatorStyle,
  makeStyles,
  mergeClasses,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { whenIdle } from '../features/requests/utils/preload.js';
import type { ArrowKeysAttributes } from './ArrowKeys.js';

const ArrowKeys = lazy(() => import('./ArrowKeys.js'));

const useStyles = makeStyles({
  list: { display: 'flex', alignItems: 'center', flexWrap: 'wrap' },
  tab: {
    position: 'relative',
    display: 'inline-grid',
    alignItems: 'center',
    padding: `${tokens.spacingVerticalSNudge} ${tokens.spacingHorizontalSNudge}`,
    border: 'none',
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorTransparentBackground,
    color: tokens.colorNeutralForeground2,
    fontFamily: tokens.fontFamilyBase,
    cursor: 'pointer',
    outlineStyle: 'none',
    // Hovered or pressed, Fluent's tab keeps its background and draws a neutral line under it.
    ':hover': {
      color: tokens.colorNeutralForeground2Hover,
      '::after': { backgroundColor: tokens.colorNeutralStroke1Hover },
    },
    ':active': {
      color: tokens.colorNeutralForeground2Pressed,
      '::after': { backgroundColor: tokens.colorNeutralStroke1Pressed },
    },
    ...createCustomFocusIndicatorStyle({
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
      outlineOffset: `calc(${tokens.strokeWidthThick} * -1)`,
    }),
    // The selection line under the tab, as Fluent's small horizontal tab draws it.
    '::after': {
      content: '""',
      position: 'absolute',
      bottom: 0,
      left: tokens.spacingHorizontalSNudge,
      right: tokens.spacingHorizontalSNudge,
      height: tokens.strokeWidthThick,
      borderRadius: tokens.borderRadiusCircular,
      backgroundColor: tokens.colorTransparentStroke,
    },
  },
  selected: {
    color: tokens.colorNeutralForeground1,
    '::after': {
      backgroundColor: tokens.colorCompoundBrandStroke,
      '@media (forced-colors: active)': { backgroundColor: 'Highlight' },
    },
    ':hover': {
      color: tokens.colorNeutralForeground1,
      '::after': { backgroundColor: tokens.colorCompoundBrandStrokeHover },
    },
    ':active': {
      color: tokens.colorNeutralForeground1,
      '::after': { backgroundColor: tokens.colorCompoundBrandStrokePressed },
    },
  },
  // In a row and centred, not on a baseline: the count badge sits level with the words.
  label: {
    ...typographyStyles.body1,
    display: 'inline-flex',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalXS,
    padding: `0 ${tokens.spacingHorizontalXXS}`,
  },
  strong: typographyStyles.body1Strong,
  // An invisible, zero-height bold copy of the words (generated content, so neither in the text
  // nor read out): the tab keeps its width when it becomes selected and bold.
  words: {
    display: 'inline-flex',
    flexDirection: 'column',
    '::before': {
      content: 'attr(data-words)',
      height: 0,
      overflow: 'hidden',
      visibility: 'hidden',
      fontWeight: tokens.fontWeightSemibold,
    },
  },
});

export interface ViewTab<V extends string> {
  value: V;
  label: string;
  /** Drawn after the label (a count badge, hidden from screen readers). */
  extra?: ReactNode;
}

interface ViewTabsProps<V extends string> {
  tabs: ViewTab<V>[];
  selected: V;
  onSelect: (value: V) => void;
  label: string;
  className?: string;
  /** Load the arrow keys once the browser is idle after this turns true (or when a tab is focused). */
  arrowKeysSoon?: boolean;
}

export function ViewTabs<V extends string>({
  tabs,
  selected,
  onSelect,
  label,
  className,
  arrowKeysSoon,
}: ViewTabsProps<V>) {
  const styles = useStyles();
  const [arrowKeysWanted, setArrowKeysWanted] = useState(false);
  const [arrows, setArrows] = useState<ArrowKeysAttributes>();
  useEffect(() => (arrowKeysSoon ? whenIdle(() => setArrowKeysWanted(true)) : undefined), [arrowKeysSoon]);
  return (
    <div
      role="tablist"
      aria-label={label}
      className={mergeClasses(styles.list, className)}
      onFocus={() => setArrowKeysWanted(true)}
      {...arrows}
    >
      {tabs.map((tab) => {
        const isSelected = tab.value === selected;
        return (
          <button
            key={tab.value}
            type="button"
            role="tab"
            aria-selected={isSelected}
            className={mergeClasses(styles.tab, isSelected && styles.selected)}
            onClick={() => onSelect(tab.value)}
          >
            <span className={mergeClasses(styles.label, isSelected && styles.strong)}>
              <span className={styles.words} data-words={tab.label}>
                {tab.label}
              </span>
              {tab.extra && <> {tab.extra}</>}
            </span>
          </button>
        );
      })}
      {arrowKeysWanted && (
        <Suspense fallback={null}>
          <ArrowKeys onReady={setArrows} />
        </Suspense>
      )}
    </div>
  );
}
