// A sentence as a catalogue key and its parameters, not as English: the rules in domain/ (why you
// are an approver, risk hints) say what to tell a person, and the tab or the card says it in the
// reader's language (i18next, domain/locales/<language>.json). A parameter may itself be a message
// or a list of them, joined the reader's way (Intl.ListFormat).

import type { Formatters } from './locale.js';

/** A duration in seconds, a moment as weekday and time in a zone, or working hours: written by Intl. */
export type MeasureParam =
  | { seconds: number }
  | { weekdayTime: string; timeZone: string }
  | { workHours: { days: readonly number[]; start: number; end: number } };
export type MessageParam = string | number | Message | MeasureParam | readonly (string | Message)[];

export interface Message {
  key: string;
  params?: Readonly<Record<string, MessageParam>>;
}

export const message = (key: string, params?: Record<string, MessageParam>): Message =>
  params ? { key, params } : { key };

/** The shape of i18next's `t` this needs; any translator with it will do. */
export type Translate = (key: string, params?: Record<string, unknown>) => string;

/** The message in words: nested messages first, lists and measures written by `f` (locale.ts). */
export function renderMessage(value: Message, t: Translate, f: Formatters): string {
  // `locale`: i18next's own {{n, number}} formats in it (so ar-SA's digits, not ar's).
  const params: Record<string, string | number> = { locale: f.locale };
  for (const [name, param] of Object.entries(value.params ?? {})) params[name] = renderParam(param, t, f);
  return t(value.key, params);
}

function renderParam(param: MessageParam, t: Translate, f: Formatters): string | number {
  if (typeof param === 'string' || typeof param === 'number') return param;
  if (isMessageList(param))
    return f.list(param.map((item) => (typeof item === 'string' ? item : renderMessage(item, t, f))));
  if ('seconds' in param) return f.duration(param.seconds) ?? '';
  if ('weekdayTime' in param) return f.weekdayTime(param.weekdayTime, param.timeZone);
  if ('workHours' in param) return workHoursText(param.workHours, t, f);
  return renderMessage(param, t, f);
}

/** "Mon–Fri 09:00–18:00", "Mo.–Fr. 09:00–18:00", "every day 08:00–16:30", the days in the reader's words. */
function workHoursText(
  hours: { days: readonly number[]; start: number; end: number },
  t: Translate,
  f: Formatters,
) {
  const d = hours.days;
  const run = d.length > 1 && d.every((day, i) => i === 0 || day === d[i - 1]! + 1);
  const days =
    d.length === 7
      ? t('risk.everyDay')
      : run
        ? t('risk.dayRange', { first: f.weekday(d[0]!), last: f.weekday(d.at(-1)!) })
        : f.list(d.map((day) => f.weekday(day)));
  return t('risk.workHours', { days, start: f.clock(hours.start), end: f.clock(hours.end) });
}

const isMessageList = (param: MessageParam): param is readonly (string | Message)[] => Array.isArray(param);
