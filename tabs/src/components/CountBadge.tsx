// Fluent's CounterBadge writes its count with String(count): Latin digits for an Arabic reader.
// This one writes the count (and the "99+" past overflowCount) in the reader's digits, with
// Intl.NumberFormat of their locale (domain/src/locale.ts).
import { CounterBadge, type CounterBadgeProps } from '@fluentui/react-components';
import { useWords } from '../lib/i18n.js';

export function CountBadge({ count = 0, overflowCount = 99, ...props }: CounterBadgeProps) {
  const { f } = useWords();
  // Nothing shown for zero unless asked (showZero), as Fluent does.
  const shown = count !== 0 || props.showZero;
  const text = count > overflowCount ? `${f.count(overflowCount)}+` : f.count(count);
  return (
    <CounterBadge count={count} overflowCount={overflowCount} {...props}>
      {shown && !props.dot ? text : undefined}
    </CounterBadge>
  );
}
