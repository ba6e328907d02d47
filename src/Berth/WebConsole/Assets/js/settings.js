// Registry settings: the registry policy editor, and replication, pull-through cache rules and creation templates as
// far as the server implements them (otherwise its own UnsupportedOperationException is shown).
import { ecr, refusals, registry } from './api.js';
import { h, show, errorText, guarded } from './dom.js';

async function section(title, operation, body) {
  try {
    const answer = await ecr(operation, body);
    return [h('h2', {}, title), h('pre', {}, JSON.stringify(answer, null, 2))];
  } catch (error) {
    return [h('h2', {}, title), h('p', { class: 'note' }, `Not available yet: ${error.type}: ${error.message}`)];
  }
}

export async function settingsPage() {
  document.title = 'Registry settings · Berth console';
  const own = registry.account === registry.session.accountId;
  const refused = await refusals(['ecr:GetRegistryPolicy', 'ecr:PutRegistryPolicy', 'ecr:DeleteRegistryPolicy'], null);
  const policy = h('textarea', { id: 'registry-policy', rows: 12, spellcheck: 'false' });
  const message = h('div', { id: 'registry-policy-message' });
  try {
    policy.value = JSON.stringify(JSON.parse((await ecr('GetRegistryPolicy', {})).policyText), null, 2);
  } catch (error) {
    if (error.type !== 'RegistryPolicyNotFoundException') message.replaceChildren(errorText(error));
  }
  show(
    h('h1', {}, `Registry settings of ${registry.session.accountId} (${registry.region})`),
    own ? null : h('p', { class: 'note' }, 'Registry settings are always your own account\'s: ECR has no registryId on these calls.'),
    h('h2', {}, 'Registry policy'),
    h('label', { for: 'registry-policy' }, 'Policy JSON', policy),
    h('div', { class: 'toolbar' },
      guarded(refused, 'ecr:PutRegistryPolicy', 'Save registry policy', async () => {
        try {
          await ecr('PutRegistryPolicy', { policyText: policy.value });
          message.replaceChildren(h('p', { role: 'status' }, 'Saved.'));
        } catch (error) { message.replaceChildren(errorText(error)); }
      }, { class: 'primary', id: 'save-registry-policy' }),
      guarded(refused, 'ecr:DeleteRegistryPolicy', 'Delete registry policy', async () => {
        try {
          await ecr('DeleteRegistryPolicy', {});
          policy.value = '';
          message.replaceChildren(h('p', { role: 'status' }, 'Deleted.'));
        } catch (error) { message.replaceChildren(errorText(error)); }
      })),
    message,
    await section('Replication', 'DescribeRegistry', {}),
    await section('Pull-through cache rules', 'DescribePullThroughCacheRules', {}),
    await section('Repository creation templates', 'DescribeRepositoryCreationTemplates', {}));
}
