// Repositories: a paged list with search, create (tags, mutability and exclusions, scan on push, encryption), delete.
import { ecr, inRegistry, refusals, registry } from './api.js';
import { h, show, errorText, guarded, table, date, toast } from './dom.js';

export const repoLink = (name, page = 'images') => `#/repository/${encodeURIComponent(name)}/${page}`;

const MAX_TAGS = 50;
const MAX_KEY = 128;
const MAX_VALUE = 256;

/** Parses "key=value" lines, checking the limits the server applies before anything is sent. */
export function parseTags(text) {
  const tags = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const eq = line.indexOf('=');
    const key = (eq < 0 ? line : line.slice(0, eq)).trim();
    const value = eq < 0 ? '' : line.slice(eq + 1).trim();
    if (!key || key.length > MAX_KEY) throw new Error(`Tag key "${key.slice(0, 20)}" must be 1 to ${MAX_KEY} characters.`);
    if (value.length > MAX_VALUE) throw new Error(`The value of tag "${key}" is longer than ${MAX_VALUE} characters.`);
    tags.push({ Key: key, Value: value });
  }
  if (tags.length > MAX_TAGS) throw new Error(`At most ${MAX_TAGS} tags per repository (${tags.length} given).`);
  return tags;
}

export const tagLimits = `One key=value per line; at most ${MAX_TAGS} tags, keys up to ${MAX_KEY} characters, values up to ${MAX_VALUE}.`;

export async function repositoriesPage() {
  document.title = 'Repositories · Berth console';
  const refused = await refusals(['ecr:CreateRepository', 'ecr:DeleteRepository', 'ecr:DescribeRepositories'], '*');
  const rows = h('tbody');
  const status = h('p', { class: 'note', id: 'repositories-status' });
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  const search = h('input', { id: 'repository-search', type: 'search', placeholder: 'name contains…' });
  let nextToken = null;
  let loaded = [];

  const render = () => {
    const needle = search.value.trim().toLowerCase();
    const shown = loaded.filter((r) => r.repositoryName.includes(needle));
    rows.replaceChildren(...shown.map((r) => h('tr', {},
      h('td', {}, h('a', { href: repoLink(r.repositoryName) }, r.repositoryName)),
      h('td', { class: 'hide-narrow' }, h('code', {}, r.repositoryUri)),
      h('td', { class: 'hide-narrow' }, date(r.createdAt)),
      h('td', {}, r.imageTagMutability),
      h('td', { class: 'hide-narrow' }, r.imageScanningConfiguration && r.imageScanningConfiguration.scanOnPush ? 'yes' : 'no'),
      h('td', { class: 'hide-narrow' }, r.encryptionConfiguration ? r.encryptionConfiguration.encryptionType : '—'),
      h('td', {}, guarded(refused, 'ecr:DeleteRepository', 'Delete', async () => {
        if (!confirm(`Delete repository ${r.repositoryName} and all its images?`)) return;
        try {
          await ecr('DeleteRepository', inRegistry({ repositoryName: r.repositoryName, force: true }));
          loaded = loaded.filter((x) => x !== r);
          render();
          toast(`Deleted ${r.repositoryName}.`);
        } catch (error) { status.replaceChildren(errorText(error)); }
      }, { 'aria-label': `Delete ${r.repositoryName}` })))));
    status.textContent = `${shown.length} shown of ${loaded.length} loaded${nextToken ? '; more exist' : ''}.`;
  };

  const load = async () => {
    try {
      const page = await ecr('DescribeRepositories', inRegistry({ maxResults: 100, ...(nextToken ? { nextToken } : {}) }));
      loaded = loaded.concat(page.repositories);
      nextToken = page.nextToken || null;
      more.hidden = !nextToken;
      render();
    } catch (error) { status.replaceChildren(errorText(error)); }
  };
  more.addEventListener('click', load);
  search.addEventListener('input', render);

  show(
    h('h1', {}, `Repositories in ${registry.account} (${registry.region})`),
    h('div', { class: 'toolbar' }, h('label', { for: 'repository-search' }, 'Search', search)),
    table(['Name', h('th', { class: 'hide-narrow', scope: 'col' }, 'URI'), h('th', { class: 'hide-narrow', scope: 'col' }, 'Created'), 'Tag mutability',
      h('th', { class: 'hide-narrow', scope: 'col' }, 'Scan on push'), h('th', { class: 'hide-narrow', scope: 'col' }, 'Encryption'), 'Actions'], rows),
    status, more,
    createForm(refused, async () => { loaded = []; nextToken = null; await load(); }));
  await load();
}

function createForm(refused, reload) {
  const message = h('div', { id: 'create-message' });
  const name = h('input', { id: 'new-name', required: true, spellcheck: 'false' });
  const tags = h('textarea', { id: 'new-tags', rows: 3, placeholder: 'team=payments' });
  const mutability = h('select', { id: 'new-mutability' }, ['MUTABLE', 'IMMUTABLE', 'MUTABLE_WITH_EXCLUSION', 'IMMUTABLE_WITH_EXCLUSION'].map((m) => h('option', { value: m }, m)));
  const exclusions = h('input', { id: 'new-exclusions', placeholder: 'latest, dev-*' });
  const scan = h('input', { id: 'new-scan', type: 'checkbox' });
  const encryption = h('select', { id: 'new-encryption' }, h('option', { value: 'AES256' }, 'AES256'), h('option', { value: 'KMS' }, 'KMS'));
  const kmsKey = h('input', { id: 'new-kms', placeholder: 'KMS key ARN (optional)' });
  const denied = refused.get('ecr:CreateRepository');
  return h('form', {
    'aria-labelledby': 'create-heading',
    onsubmit: async (event) => {
      event.preventDefault();
      message.replaceChildren();
      let body;
      try {
        const filters = exclusions.value.split(',').map((f) => f.trim()).filter(Boolean).map((filter) => ({ filterType: 'WILDCARD', filter }));
        body = inRegistry({
          repositoryName: name.value.trim(),
          imageTagMutability: mutability.value,
          ...(filters.length ? { imageTagMutabilityExclusionFilters: filters } : {}),
          imageScanningConfiguration: { scanOnPush: scan.checked },
          encryptionConfiguration: { encryptionType: encryption.value, ...(encryption.value === 'KMS' && kmsKey.value.trim() ? { kmsKey: kmsKey.value.trim() } : {}) },
        });
        const parsed = parseTags(tags.value);
        if (parsed.length) body.tags = parsed;
      } catch (error) {
        message.replaceChildren(errorText(error));
        return;
      }
      try {
        await ecr('CreateRepository', body);
        toast(`Created ${body.repositoryName}.`);
        message.replaceChildren(h('p', {}, 'Created ', h('a', { href: repoLink(body.repositoryName) }, body.repositoryName), '.'));
        name.value = '';
        tags.value = '';
        await reload();
      } catch (error) { message.replaceChildren(errorText(error)); }
    },
  },
  h('h2', { id: 'create-heading' }, 'Create a repository'),
  h('fieldset', {},
    h('legend', {}, 'Repository'),
    h('label', { for: 'new-name' }, 'Name', name),
    h('label', { for: 'new-mutability' }, 'Tag mutability', mutability),
    h('label', { for: 'new-exclusions' }, 'Mutability exclusions (wildcards, comma-separated)', exclusions),
    h('label', { class: 'inline', for: 'new-scan' }, scan, 'Scan on push'),
    h('label', { for: 'new-encryption' }, 'Encryption', encryption),
    h('label', { for: 'new-kms' }, 'KMS key', kmsKey)),
  h('label', { for: 'new-tags' }, `Tags. ${tagLimits}`, tags),
  h('p', {}, h('button', { type: 'submit', class: 'primary', disabled: Boolean(denied), title: denied || null }, 'Create repository'),
    denied ? h('span', { class: 'denied' }, ' Not allowed: ecr:CreateRepository') : null),
  message);
}
