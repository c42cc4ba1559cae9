import { describe, expect, it } from 'vitest';
import { detectHost } from './host.js';

describe('where the tab runs', () => {
  it('is in Teams when framed or when ?inTeams=1 says so', () => {
    expect(detectHost({ search: '' }, true).inTeams).toBe(true);
    expect(detectHost({ search: '?inTeams=1' }, false).inTeams).toBe(true);
    expect(detectHost({ search: '' }, false).inTeams).toBe(false);
  });

  it('takes a test theme and a request to open from the address', () => {
    expect(detectHost({ search: '?theme=contrast&request=AR-1007' }, false)).toEqual({
      inTeams: false,
      theme: 'contrast',
      requestId: 'AR-1007',
      locale: null,
    });
    expect(detectHost({ search: '?theme=purple' }, false).theme).toBe('default');
  });

  it('takes a test locale from the address, over Teams’ and the browser’s', () => {
    expect(detectHost({ search: '?locale=ar-SA' }, false).locale).toBe('ar-SA');
    expect(detectHost({ search: '' }, true).locale).toBeNull();
  });
});
