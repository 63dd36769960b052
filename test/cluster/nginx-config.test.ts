/**
 * The nginx config the cluster suite runs is the one docs/deployment.md recommends: the page
 * shows docs/nginx/baton.conf verbatim, and the harness changes only addresses, ports, the
 * certificate lines and the log path (each replacement must match exactly once).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NGINX_SITE, nginxSiteFor, ROOT } from './harness.js';

const documented = readFileSync(NGINX_SITE, 'utf8');

describe('the nginx config of docs/deployment.md', () => {
  it('is docs/nginx/baton.conf, verbatim, in the one nginx block of the page', () => {
    const page = readFileSync(join(ROOT, 'docs', 'deployment.md'), 'utf8');
    const blocks = [...page.matchAll(/^```nginx\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
    expect(blocks).toEqual([documented]);
  });

  it('is what the cluster test runs, with only ports, TLS lines and the log path replaced', () => {
    const tested = nginxSiteFor(documented, { a: 41001, b: 41002, http: 41080, redirect: 41081 }, '/tmp/x/access.log');
    const onlyIn = (text: string, other: string): string[] => text.split('\n').filter((line) => !other.split('\n').includes(line));
    expect(onlyIn(documented, tested).map((line) => line.trim())).toEqual([
      'server 127.0.0.1:3001 max_fails=1 fail_timeout=5s;',
      'server 127.0.0.1:3002 max_fails=1 fail_timeout=5s;',
      'listen 80;',
      'listen 443 ssl http2;',
      'ssl_certificate     /etc/ssl/baton/fullchain.pem;',
      'ssl_certificate_key /etc/ssl/baton/privkey.pem;',
      'access_log /var/log/nginx/baton.access.log baton;',
    ]);
    expect(onlyIn(tested, documented).map((line) => line.trim())).toEqual([
      'server 127.0.0.1:41001 max_fails=1 fail_timeout=5s;',
      'server 127.0.0.1:41002 max_fails=1 fail_timeout=5s;',
      'listen 127.0.0.1:41081;',
      'listen 127.0.0.1:41080;',
      'access_log /tmp/x/access.log baton;',
    ]);
  });
});
