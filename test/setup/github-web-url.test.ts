import test from 'ava';
import { githubWebUrl } from '../../handlers/setup/github-web-url.ts';

test('the "create App" pages are on github.com for api.github.com', (t) => {
  t.is(githubWebUrl('https://api.github.com'), 'https://github.com');
  t.is(githubWebUrl('https://api.github.com/'), 'https://github.com');
});

test('GitHub Enterprise Server serves its pages at the host, its API under /api/v3', (t) => {
  t.is(githubWebUrl('https://ghe.example.com/api/v3'), 'https://ghe.example.com');
  t.is(githubWebUrl('https://ghe.example.com/api/v3/'), 'https://ghe.example.com');
});

test('GitHub Enterprise Cloud with data residency: api.SUBDOMAIN.ghe.com → SUBDOMAIN.ghe.com', (t) => {
  t.is(githubWebUrl('https://api.octocorp.ghe.com'), 'https://octocorp.ghe.com');
});

test('anything else (the simulator) serves pages and API at one address', (t) => {
  t.is(githubWebUrl('http://127.0.0.1:4321'), 'http://127.0.0.1:4321');
});
