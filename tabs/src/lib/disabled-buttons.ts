// Fluent gives a disabled primary button no border, only the disabled background and text. In
// Teams' high-contrast theme that background is the page's own black, so a disabled "Approve" was
// bare green text, like an enabled subtle button. Every disabled button here gets the disabled
// stroke as well, as Fluent's secondary button and its forced-colors styles (GrayText) already do:
// all disabled buttons look alike, in every theme.
import { makeStyles, mergeClasses, shorthands, tokens, type ButtonState } from '@fluentui/react-components';

const disabledBorder = shorthands.borderColor(tokens.colorNeutralStrokeDisabled);

const useStyles = makeStyles({
  outlined: { ...disabledBorder, ':hover': disabledBorder, ':hover:active': disabledBorder },
});

/** For FluentProvider's customStyleHooks_unstable.useButtonStyles_unstable: runs after Fluent's own. */
export function useDisabledButtonStyles(state: unknown): void {
  const styles = useStyles();
  const button = state as ButtonState;
  if (button.appearance === 'primary' && (button.disabled || button.disabledFocusable))
    button.root.className = mergeClasses(button.root.className, styles.outlined);
}
