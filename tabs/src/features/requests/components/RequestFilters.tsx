import { displayText } from '@apono-teams/domain/display-text.js';
import { Button, Field, SearchBox, Select, makeStyles, tokens } from '@fluentui/react-components';
import { FilterRegular } from '@fluentui/react-icons';
import { useId, useState } from 'react';
import { CountBadge } from '../../../components/CountBadge.js';
import { useWords } from '../../../lib/i18n.js';
import { useNarrow } from '../../../lib/use-narrow.js';
import {
  activeFilterCount,
  type FilterFacets,
  type RequestFilter,
  type SortOrder,
} from '@apono-teams/domain/request-query.js';

const useStyles = makeStyles({
  bar: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(9rem, 1fr))',
    gap: tokens.spacingHorizontalM,
    alignItems: 'end',
  },
  search: { '@media (max-width: 480px)': { gridColumn: '1 / -1' } },
  folded: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  toggle: { alignSelf: 'flex-start' },
});

interface RequestFiltersProps {
  /** Every requester and integration of the whole list (the server's), not of the rows loaded. */
  facets: FilterFacets;
  filter: RequestFilter;
  onChange: (filter: RequestFilter) => void;
}

/**
 * On a phone the four fields would push the first request below the fold, so they fold behind a
 * "Filter" button that says how many are in use; wider windows show them all.
 */
export function RequestFilters(props: RequestFiltersProps) {
  const styles = useStyles();
  const { t } = useWords();
  const narrow = useNarrow();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const countId = useId();
  if (!narrow) return <FilterFields {...props} />;
  const active = activeFilterCount(props.filter);
  return (
    <div className={styles.folded}>
      <Button
        className={styles.toggle}
        icon={<FilterRegular />}
        aria-expanded={open}
        aria-controls={panelId}
        aria-describedby={active ? countId : undefined}
        onClick={() => setOpen(!open)}
      >
        {t('filters.filter')}
        {active > 0 && <CountBadge count={active} size="small" color="brand" aria-hidden />}
      </Button>
      {/* The badge's number, for screen readers: "Filter, collapsed, 2 active". */}
      <span id={countId} hidden>
        {t('filters.active', { count: active })}
      </span>
      <div id={panelId} hidden={!open}>
        <FilterFields {...props} />
      </div>
    </div>
  );
}

function FilterFields({ facets, filter, onChange }: RequestFiltersProps) {
  const styles = useStyles();
  const { t } = useWords();
  const { requesters, integrations } = facets;
  return (
    <div className={styles.bar} role="search" aria-label={t('filters.label')}>
      <Field label={t('filters.search')} className={styles.search}>
        <SearchBox
          value={filter.text}
          placeholder={t('filters.searchPlaceholder')}
          onChange={(_, data) => onChange({ ...filter, text: data.value })}
        />
      </Field>
      <Field label={t('card.requester')}>
        <Select
          value={filter.requester}
          onChange={(_, data) => onChange({ ...filter, requester: data.value })}
        >
          <option value="">{t('filters.everyone')}</option>
          {requesters.map((r) => (
            // An option holds text only, so it is the element that takes its own direction.
            <option key={r.email} value={r.email} dir="auto">
              {displayText(r.name)}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t('details.integration')}>
        <Select
          value={filter.integration}
          onChange={(_, data) => onChange({ ...filter, integration: data.value })}
        >
          <option value="">{t('filters.allIntegrations')}</option>
          {integrations.map((name) => (
            <option key={name} value={name} dir="auto">
              {displayText(name)}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t('filters.sort')}>
        <Select
          value={filter.sort}
          onChange={(_, data) => onChange({ ...filter, sort: data.value as SortOrder })}
        >
          <option value="oldest">{t('filters.oldest')}</option>
          <option value="newest">{t('filters.newest')}</option>
          <option value="risk">{t('filters.risk')}</option>
        </Select>
      </Field>
    </div>
  );
}
