import { describe, expect, it } from 'vitest';
import { createTranslator } from './i18n.js';
import { formatters } from './locale.js';
import { message, renderMessage } from './message.js';
import { readCatalogues } from './read-catalogues.js';

const catalogues = readCatalogues();
const say = (language: 'en' | 'de' | 'ar', m: ReturnType<typeof message>, tag: string = language) =>
  renderMessage(m, createTranslator(catalogues, language).getFixedT(language, 'common'), formatters(tag));

describe('a message in words', () => {
  it('renders nested messages and lists the reader’s way', () => {
    const why = message('why.oneOf', {
      entries: [message('approver.group', { name: 'SRE Leads' }), message('approver.manager')],
    });
    expect(say('en', why)).toBe("Apono asks you as one of: group SRE Leads, the requester's manager");
    expect(say('de', why)).toBe(
      'Apono fragt Sie als eine der folgenden Stellen: Gruppe SRE Leads, die Führungskraft der anfragenden Person',
    );
  });

  it('picks the plural form the language needs, with the reader’s digits', () => {
    const more = (count: number) => message('risk.more', { count });
    expect(say('en', more(1))).toBe(' (and 1 more)');
    expect(say('ar', more(2), 'ar-SA')).toBe(' (واثنان آخران)');
    expect(say('ar', more(11), 'ar-SA')).toBe(' (و١١ أخرى)');
  });

  it('writes working hours with the reader’s weekday names and digits', () => {
    const of = (days: number[]) =>
      message('risk.requesterZone', { zone: { workHours: { days, start: 540, end: 1080 } } });
    expect(say('en', of([1, 2, 3, 4, 5]))).toBe("Mon–Fri 09:00–18:00, the requester's time zone");
    expect(say('de', of([1, 2, 3, 4, 5]))).toBe('Mo–Fr 09:00–18:00, Zeitzone der anfragenden Person');
    expect(say('de', of([0, 1, 2, 3, 4, 5, 6]))).toBe('täglich 09:00–18:00, Zeitzone der anfragenden Person');
    expect(say('ar', of([0, 4]), 'ar-SA')).toContain('١٨:٠٠');
  });

  it('keeps text from Apono as written: no i18next syntax, no HTML escaping, no nesting', () => {
    const name = '{{count}} $t(common:noEndDate) <b>Eve</b> & "Co"';
    expect(say('en', message('approver.group', { name }))).toBe(`group ${name}`);
    expect(say('de', message('why.through', { entry: message('approver.owner', { name }) }))).toBe(
      `Apono hat Sie über Besitzer ${name} als genehmigende Person benannt`,
    );
  });
});
