// Pull-through cache rules: the list with a validate and a delete per rule, and a create form. "generic" is Berth's
// own upstream kind (any OCI registry by URL); the others are ECR's.
import { ecr } from './api.js';
import { h, errorText, guarded, table } from './dom.js';

const UPSTREAMS = ['', 'generic', 'ecr-public', 'ecr', 'quay', 'k8s', 'docker-hub', 'github-container-registry',
  'gitlab-container-registry', 'azure-container-registry', 'chainguard'];

export const pullThroughActions = ['ecr:CreatePullThroughCacheRule', 'ecr:DeletePullThroughCacheRule', 'ecr:ValidatePullThroughCacheRule'];

export async function pullThroughSection(refused) {
  const rows = h('tbody', { id: 'pull-through-rows' });
  const message = h('div', { id: 'pull-through-message' });
  const validated = (rule, answer) => h('p', { role: 'status', class: answer.isValid ? null : 'error' },
    answer.isValid ? `Rule ${rule.ecrRepositoryPrefix} is valid.` : `Rule ${rule.ecrRepositoryPrefix} is not valid: ${answer.failure || 'no reason given'}`);
  const load = async () => {
    try {
      const rules = (await ecr('DescribePullThroughCacheRules', {})).pullThroughCacheRules || [];
      rows.replaceChildren(...rules.map((rule) => h('tr', { 'data-prefix': rule.ecrRepositoryPrefix },
        h('td', {}, h('code', {}, rule.ecrRepositoryPrefix)),
        h('td', {}, rule.upstreamRegistry || '—'),
        h('td', { class: 'digest' }, rule.upstreamRegistryUrl),
        h('td', { class: 'digest' }, rule.credentialArn || '—'),
        h('td', {},
          guarded(refused, 'ecr:ValidatePullThroughCacheRule', 'Validate', async () => {
            try {
              message.replaceChildren(validated(rule, await ecr('ValidatePullThroughCacheRule', { ecrRepositoryPrefix: rule.ecrRepositoryPrefix })));
            } catch (error) { message.replaceChildren(errorText(error)); }
          }, { 'aria-label': `Validate rule ${rule.ecrRepositoryPrefix}` }),
          ' ',
          guarded(refused, 'ecr:DeletePullThroughCacheRule', 'Delete', async () => {
            try {
              await ecr('DeletePullThroughCacheRule', { ecrRepositoryPrefix: rule.ecrRepositoryPrefix });
              message.replaceChildren(h('p', { role: 'status' }, `Deleted rule ${rule.ecrRepositoryPrefix}.`));
              await load();
            } catch (error) { message.replaceChildren(errorText(error)); }
          }, { 'aria-label': `Delete rule ${rule.ecrRepositoryPrefix}` })))));
      if (rules.length === 0) rows.replaceChildren(h('tr', {}, h('td', { colspan: 5, class: 'note' }, 'No pull-through cache rules.')));
    } catch (error) { message.replaceChildren(errorText(error)); }
  };

  const prefix = h('input', { id: 'pt-prefix', placeholder: 'hub', size: 14 });
  const url = h('input', { id: 'pt-url', placeholder: 'registry-1.docker.io or https://mirror.example', size: 30 });
  const upstream = h('select', { id: 'pt-upstream' }, UPSTREAMS.map((u) => h('option', { value: u }, u || '(from the URL)')));
  const credential = h('input', { id: 'pt-credential', placeholder: 'arn:aws:secretsmanager:…:secret:ecr-pullthroughcache/…', size: 30 });
  const create = async () => {
    message.replaceChildren();
    const body = { ecrRepositoryPrefix: prefix.value.trim(), upstreamRegistryUrl: url.value.trim() };
    if (upstream.value) body.upstreamRegistry = upstream.value;
    if (credential.value.trim()) body.credentialArn = credential.value.trim();
    try {
      await ecr('CreatePullThroughCacheRule', body);
      message.replaceChildren(h('p', { role: 'status' }, `Created rule ${body.ecrRepositoryPrefix}.`));
      prefix.value = '';
      url.value = '';
      credential.value = '';
      await load();
    } catch (error) { message.replaceChildren(errorText(error)); }
  };

  await load();
  return [
    h('h2', {}, 'Pull-through cache rules'),
    table(['Prefix', 'Upstream', 'Upstream URL', 'Credential', ''], rows),
    h('fieldset', {},
      h('legend', {}, 'New pull-through cache rule'),
      h('label', { for: 'pt-prefix' }, 'Repository prefix', prefix),
      h('label', { for: 'pt-url' }, 'Upstream registry URL', url),
      h('label', { for: 'pt-upstream' }, 'Upstream registry', upstream),
      h('label', { for: 'pt-credential' }, 'Credential ARN', credential),
      guarded(refused, 'ecr:CreatePullThroughCacheRule', 'Create rule', create, { class: 'primary', id: 'create-pull-through' })),
    message,
  ];
}
