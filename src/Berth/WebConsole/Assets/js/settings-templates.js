// Repository creation templates: the list, a create form (prefix, where it applies, tag mutability, description) and
// delete. The server validates; its messages are shown beside the form.
import { ecr } from './api.js';
import { h, errorText, guarded, table } from './dom.js';

const USES = [['CREATE_ON_PUSH', 'Create on push'], ['PULL_THROUGH_CACHE', 'Pull-through cache'], ['REPLICATION', 'Replication']];
const MUTABILITY = ['MUTABLE', 'IMMUTABLE', 'MUTABLE_WITH_EXCLUSION', 'IMMUTABLE_WITH_EXCLUSION'];

export const templateActions = ['ecr:CreateRepositoryCreationTemplate', 'ecr:DeleteRepositoryCreationTemplate', 'ecr:DescribeRepositoryCreationTemplates'];

export async function templatesSection(refused) {
  const rows = h('tbody', { id: 'template-rows' });
  const message = h('div', { id: 'template-message' });
  const load = async () => {
    try {
      const answer = await ecr('DescribeRepositoryCreationTemplates', {});
      const templates = answer.repositoryCreationTemplates || [];
      rows.replaceChildren(...templates.map((t) => h('tr', { 'data-prefix': t.prefix },
        h('td', {}, h('code', {}, t.prefix)),
        h('td', {}, (t.appliedFor || []).join(', ')),
        h('td', {}, t.imageTagMutability || '—'),
        h('td', {}, t.description || ''),
        h('td', {}, guarded(refused, 'ecr:DeleteRepositoryCreationTemplate', 'Delete', async () => {
          try {
            await ecr('DeleteRepositoryCreationTemplate', { prefix: t.prefix });
            message.replaceChildren(h('p', { role: 'status' }, `Deleted template ${t.prefix}.`));
            await load();
          } catch (error) { message.replaceChildren(errorText(error)); }
        }, { 'aria-label': `Delete template ${t.prefix}` })))));
      if (templates.length === 0) rows.replaceChildren(h('tr', {}, h('td', { colspan: 5, class: 'note' }, 'No creation templates.')));
    } catch (error) { message.replaceChildren(errorText(error)); }
  };

  const prefix = h('input', { id: 'template-prefix', placeholder: 'team/ or ROOT', size: 18 });
  const uses = USES.map(([value, label]) => {
    const box = h('input', { type: 'checkbox', id: `template-use-${value}`, value, checked: value === 'CREATE_ON_PUSH' });
    return { box, label: h('label', { class: 'inline', for: box.id }, box, label) };
  });
  const mutability = h('select', { id: 'template-mutability' }, MUTABILITY.map((m) => h('option', { value: m }, m)));
  const description = h('input', { id: 'template-description', size: 30 });
  const create = async () => {
    message.replaceChildren();
    const body = {
      prefix: prefix.value.trim(),
      appliedFor: uses.filter((u) => u.box.checked).map((u) => u.box.value),
      imageTagMutability: mutability.value,
    };
    if (description.value.trim()) body.description = description.value.trim();
    try {
      await ecr('CreateRepositoryCreationTemplate', body);
      message.replaceChildren(h('p', { role: 'status' }, `Created template ${body.prefix}.`));
      prefix.value = '';
      description.value = '';
      await load();
    } catch (error) { message.replaceChildren(errorText(error)); }
  };

  await load();
  return [
    h('h2', {}, 'Repository creation templates'),
    table(['Prefix', 'Applied for', 'Tag mutability', 'Description', ''], rows),
    h('fieldset', {},
      h('legend', {}, 'New creation template'),
      h('label', { for: 'template-prefix' }, 'Prefix', prefix),
      h('span', { role: 'group', 'aria-label': 'Applied for' }, uses.map((u) => u.label)),
      h('label', { for: 'template-mutability' }, 'Tag mutability', mutability),
      h('label', { for: 'template-description' }, 'Description', description),
      guarded(refused, 'ecr:CreateRepositoryCreationTemplate', 'Create template', create, { class: 'primary', id: 'create-template' })),
    message,
  ];
}
