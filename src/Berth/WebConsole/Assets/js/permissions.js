// A repository's policy (with the server's validation messages) and its resource tags.
import { ecr, inRegistry, refusals } from './api.js';
import { h, show, errorText, guarded, table, toast } from './dom.js';
import { repositoryTabs } from './tabs.js';
import { parseTags, tagLimits } from './repositories.js';

const PULL_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'];

export async function permissionsPage(name) {
  document.title = `${name} · permissions · Berth console`;
  const refused = await refusals(['ecr:GetRepositoryPolicy', 'ecr:SetRepositoryPolicy', 'ecr:DeleteRepositoryPolicy', 'ecr:TagResource', 'ecr:UntagResource', 'ecr:ListTagsForResource'], name);
  const repository = (await ecr('DescribeRepositories', inRegistry({ repositoryNames: [name] }))).repositories[0];
  const policy = h('textarea', { id: 'repository-policy', rows: 14, spellcheck: 'false' });
  const message = h('div', { id: 'policy-message' });
  try {
    policy.value = JSON.stringify(JSON.parse((await ecr('GetRepositoryPolicy', inRegistry({ repositoryName: name }))).policyText), null, 2);
  } catch (error) {
    if (error.type !== 'RepositoryPolicyNotFoundException') message.replaceChildren(errorText(error));
  }
  const grantee = h('input', { id: 'grant-account', inputmode: 'numeric', placeholder: '123456789012', size: 14 });
  const grant = () => {
    const account = grantee.value.trim();
    if (!/^[0-9]{12}$/.test(account)) { message.replaceChildren(errorText({ type: 'Input', message: 'An account id is 12 digits.' })); return; }
    let document_ = { Version: '2012-10-17', Statement: [] };
    if (policy.value.trim()) {
      try { document_ = JSON.parse(policy.value); } catch { message.replaceChildren(errorText({ type: 'Input', message: 'The policy text is not JSON; fix it first.' })); return; }
    }
    document_.Statement = [].concat(document_.Statement || []);
    document_.Statement.push({ Sid: `AllowPull${account}`, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: PULL_ACTIONS });
    policy.value = JSON.stringify(document_, null, 2);
    message.replaceChildren(h('p', { class: 'note' }, `Added a statement letting account ${account} pull; save to apply.`));
  };

  const tagRows = h('tbody', { id: 'tag-rows' });
  const tagText = h('textarea', { id: 'add-tags', rows: 3, placeholder: 'owner=platform' });
  const tagMessage = h('div', { id: 'tag-message' });
  const loadTags = async () => {
    try {
      const answer = await ecr('ListTagsForResource', { resourceArn: repository.repositoryArn });
      tagRows.replaceChildren(...answer.tags.map((t) => h('tr', {}, h('td', {}, t.Key), h('td', {}, t.Value),
        h('td', {}, guarded(refused, 'ecr:UntagResource', 'Remove', async () => {
          try { await ecr('UntagResource', { resourceArn: repository.repositoryArn, tagKeys: [t.Key] }); await loadTags(); } catch (error) { tagMessage.replaceChildren(errorText(error)); }
        }, { 'aria-label': `Remove tag ${t.Key}` })))));
    } catch (error) { tagMessage.replaceChildren(errorText(error)); }
  };

  show(
    repositoryTabs(name, 'permissions'),
    h('h1', {}, `Permissions of ${name}`),
    h('h2', {}, 'Repository policy'),
    h('div', { class: 'toolbar' },
      h('label', { for: 'grant-account' }, 'Let another account pull', grantee),
      h('button', { type: 'button', id: 'grant-button', onclick: grant }, 'Add pull statement')),
    h('label', { for: 'repository-policy' }, 'Policy JSON', policy),
    h('div', { class: 'toolbar' },
      guarded(refused, 'ecr:SetRepositoryPolicy', 'Save policy', async () => {
        try {
          await ecr('SetRepositoryPolicy', inRegistry({ repositoryName: name, policyText: policy.value }));
          message.replaceChildren(h('p', { role: 'status', id: 'policy-saved' }, 'Saved.'));
          toast('Repository policy saved.');
        } catch (error) { message.replaceChildren(errorText(error)); }
      }, { id: 'save-policy', class: 'primary' }),
      guarded(refused, 'ecr:DeleteRepositoryPolicy', 'Delete policy', async () => {
        try {
          await ecr('DeleteRepositoryPolicy', inRegistry({ repositoryName: name }));
          policy.value = '';
          message.replaceChildren(h('p', { role: 'status' }, 'Deleted.'));
        } catch (error) { message.replaceChildren(errorText(error)); }
      })),
    message,
    h('h2', {}, 'Resource tags'),
    table(['Key', 'Value', ''], tagRows),
    h('label', { for: 'add-tags' }, `Add or change tags. ${tagLimits}`, tagText),
    h('p', {}, guarded(refused, 'ecr:TagResource', 'Save tags', async () => {
      tagMessage.replaceChildren();
      try {
        const tags = parseTags(tagText.value);
        await ecr('TagResource', { resourceArn: repository.repositoryArn, tags });
        tagText.value = '';
        await loadTags();
      } catch (error) { tagMessage.replaceChildren(errorText(error)); }
    })),
    tagMessage);
  await loadTags();
}
