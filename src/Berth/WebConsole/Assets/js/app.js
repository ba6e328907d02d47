// The console's entry point: sign-in, the header (who, which registry, sign-out) and the page router.
import { registry, currentSession, signIn, signOut } from './api.js';
import { h, show, errorText, toast } from './dom.js';
import { repositoriesPage } from './repositories.js';
import { imagesPage, imagePage } from './images.js';
import { lifecyclePage } from './lifecycle.js';
import { permissionsPage } from './permissions.js';
import { settingsPage } from './settings.js';

const top = document.getElementById('top');

function signInPage(problem) {
  top.hidden = true;
  document.title = 'Sign in · Berth console';
  const message = h('div', { id: 'sign-in-message' }, problem ? errorText(problem) : null);
  const keyId = h('input', { id: 'access-key-id', name: 'accessKeyId', autocomplete: 'username', required: true, autofocus: true, spellcheck: 'false' });
  const secret = h('input', { id: 'secret-access-key', name: 'secretAccessKey', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', {
    class: 'signin',
    onsubmit: async (event) => {
      event.preventDefault();
      message.replaceChildren(h('p', { class: 'note' }, 'Signing in…'));
      try {
        await signIn(keyId.value.trim(), secret.value);
        secret.value = '';
        await start();
      } catch (error) {
        message.replaceChildren(errorText(error));
        secret.focus();
      }
    },
  },
  h('h1', {}, 'Sign in to Berth'),
  h('p', { class: 'note' }, 'Use an access key of this registry. You act as that key\'s user or account, with exactly its permissions.'),
  h('label', { for: 'access-key-id' }, 'Access key id', keyId),
  h('label', { for: 'secret-access-key' }, 'Secret access key', secret),
  h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
  message);
  show(form);
  keyId.focus();
}

function header() {
  const session = registry.session;
  top.hidden = false;
  document.getElementById('who').textContent = session.principalArn;
  const account = document.getElementById('account');
  const region = document.getElementById('region');
  account.value = registry.account;
  region.value = registry.region;
}

const routes = [
  [/^repositories$/, () => repositoriesPage()],
  [/^repository\/([^/]+)\/images$/, (name) => imagesPage(name)],
  [/^repository\/([^/]+)\/image\/([^/]+)$/, (name, digest) => imagePage(name, digest)],
  [/^repository\/([^/]+)\/lifecycle$/, (name) => lifecyclePage(name)],
  [/^repository\/([^/]+)\/permissions$/, (name) => permissionsPage(name)],
  [/^settings$/, () => settingsPage()],
];

async function route() {
  if (!registry.session) {
    signInPage();
    return;
  }
  header();
  const path = location.hash.replace(/^#\/?/, '') || 'repositories';
  for (const [pattern, page] of routes) {
    const match = pattern.exec(path);
    if (match) {
      try {
        await page(...match.slice(1).map(decodeURIComponent));
      } catch (error) {
        if (registry.session) show(h('h1', {}, 'Something went wrong'), errorText(error));
      }
      document.getElementById('main').focus();
      return;
    }
  }
  show(h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/repositories' }, 'Repositories')));
}

async function start() {
  const session = registry.session;
  registry.account = sessionStorage.getItem('berth.account') || session.accountId;
  registry.region = sessionStorage.getItem('berth.region') || session.region;
  if (!location.hash) location.hash = '#/repositories';
  await route();
}

registry.onSignedOut = (error) => signInPage(error);
window.addEventListener('hashchange', route);
document.getElementById('sign-out').addEventListener('click', async () => {
  try {
    await signOut();
  } catch {
    // Signed out already: the page is the same.
  }
  sessionStorage.clear();
  signInPage();
  toast('Signed out.');
});
document.getElementById('registry-form').addEventListener('submit', (event) => {
  event.preventDefault();
  registry.account = document.getElementById('account').value.trim();
  registry.region = document.getElementById('region').value.trim();
  sessionStorage.setItem('berth.account', registry.account);
  sessionStorage.setItem('berth.region', registry.region);
  location.hash = '#/repositories';
  route();
});

(async () => {
  try {
    if (await currentSession()) await start(); else signInPage();
  } catch (error) {
    signInPage(error);
  }
})();
