// The registry's replication configuration as an editor: rules, each with destinations (region and registry) and
// PREFIX_MATCH repository filters, saved whole with PutReplicationConfiguration.
import { ecr } from './api.js';
import { h, errorText, guarded } from './dom.js';

export const replicationActions = ['ecr:PutReplicationConfiguration'];

const split = (text) => text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);

function ruleEditor(rule, onRemove) {
  const destinations = h('div', { class: 'destinations' });
  const addDestination = (d = { region: '', registryId: '' }) => {
    const region = h('input', { class: 'dest-region', value: d.region, placeholder: 'eu-west-1', size: 12, 'aria-label': 'Destination region' });
    const account = h('input', { class: 'dest-registry', value: d.registryId, placeholder: '123456789012', inputmode: 'numeric', size: 14, 'aria-label': 'Destination registry id' });
    const row = h('div', { class: 'toolbar destination' }, region, account,
      h('button', { type: 'button', onclick: () => row.remove() }, 'Remove destination'));
    destinations.append(row);
  };
  (rule.destinations || []).forEach(addDestination);
  if (!rule.destinations || rule.destinations.length === 0) addDestination();
  const filters = h('input', { class: 'rule-filters', size: 30, placeholder: 'team/, prod-',
    value: (rule.repositoryFilters || []).map((f) => f.filter).join(', '), 'aria-label': 'Repository prefixes (PREFIX_MATCH, comma-separated; empty: all)' });
  const box = h('fieldset', { class: 'replication-rule' },
    h('legend', {}, 'Replication rule'),
    destinations,
    h('button', { type: 'button', onclick: () => addDestination() }, 'Add destination'),
    h('label', {}, 'Repository prefixes (PREFIX_MATCH, comma-separated; empty: all)', filters),
    h('button', { type: 'button', onclick: () => { box.remove(); onRemove(); } }, 'Remove rule'));
  box.read = () => {
    const result = {
      destinations: [...destinations.querySelectorAll('.destination')].map((d) => ({
        region: d.querySelector('.dest-region').value.trim(), registryId: d.querySelector('.dest-registry').value.trim(),
      })).filter((d) => d.region || d.registryId),
    };
    const prefixes = split(filters.value);
    if (prefixes.length) result.repositoryFilters = prefixes.map((filter) => ({ filter, filterType: 'PREFIX_MATCH' }));
    return result;
  };
  return box;
}

export async function replicationSection(refused) {
  const message = h('div', { id: 'replication-message' });
  const rules = h('div', { id: 'replication-rules' });
  const empty = h('p', { class: 'note' }, 'No replication rules.');
  const refreshEmpty = () => { empty.hidden = rules.children.length > 0; };
  try {
    const current = (await ecr('DescribeRegistry', {})).replicationConfiguration;
    for (const rule of (current && current.rules) || []) rules.append(ruleEditor(rule, refreshEmpty));
  } catch (error) { message.replaceChildren(errorText(error)); }
  refreshEmpty();
  const save = async () => {
    message.replaceChildren();
    try {
      const configuration = { rules: [...rules.children].map((r) => r.read()) };
      await ecr('PutReplicationConfiguration', { replicationConfiguration: configuration });
      message.replaceChildren(h('p', { role: 'status' }, `Saved ${configuration.rules.length} replication rule(s).`));
    } catch (error) { message.replaceChildren(errorText(error)); }
  };
  return [
    h('h2', {}, 'Replication'),
    empty,
    rules,
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', id: 'add-replication-rule', onclick: () => { rules.append(ruleEditor({}, refreshEmpty)); refreshEmpty(); } }, 'Add rule'),
      guarded(refused, 'ecr:PutReplicationConfiguration', 'Save replication', save, { class: 'primary', id: 'save-replication' })),
    message,
  ];
}
