// Lifecycle: a rule editor that writes valid policies, a preview of every image (which rule expires it, or why it is
// kept) evaluated by the server over the real images, and apply (PutLifecyclePolicy).
import { ecr, inRegistry, refusals, explainLifecycle } from './api.js';
import { h, show, errorText, guarded, table, date, toast } from './dom.js';
import { repositoryTabs } from './tabs.js';

const COUNT_TYPES = ['imageCountMoreThan', 'sinceImagePushed', 'sinceImagePulled', 'sinceImageTransitioned'];
const list = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);

function ruleEditor(rule, onchange, onremove) {
  const field = (label, control) => h('label', {}, label, control);
  const priority = h('input', { type: 'number', min: 1, value: rule.rulePriority, 'aria-label': 'Priority', class: 'rule-priority' });
  const description = h('input', { value: rule.description || '', 'aria-label': 'Description' });
  const tagStatus = h('select', { class: 'rule-tag-status', 'aria-label': 'Tag status' }, ['tagged', 'untagged', 'any'].map((s) => h('option', { value: s, selected: rule.selection.tagStatus === s }, s)));
  const prefixes = h('input', { value: (rule.selection.tagPrefixList || []).join(', '), placeholder: 'prod, release-', 'aria-label': 'Tag prefixes' });
  const patterns = h('input', { value: (rule.selection.tagPatternList || []).join(', '), placeholder: 'v*-rc', 'aria-label': 'Tag patterns' });
  const countType = h('select', { class: 'rule-count-type', 'aria-label': 'Count type' }, COUNT_TYPES.map((c) => h('option', { value: c, selected: rule.selection.countType === c }, c)));
  const countNumber = h('input', { type: 'number', min: 1, value: rule.selection.countNumber, class: 'rule-count', 'aria-label': 'Count' });
  const action = h('select', { 'aria-label': 'Action' }, h('option', { value: 'expire' }, 'expire'), h('option', { value: 'transition', selected: rule.action.type === 'transition' }, 'transition to archive'));
  const read = () => {
    const selection = { tagStatus: tagStatus.value, countType: countType.value, countNumber: Number(countNumber.value) };
    if (tagStatus.value === 'tagged') {
      if (prefixes.value.trim()) selection.tagPrefixList = list(prefixes.value);
      if (patterns.value.trim()) selection.tagPatternList = list(patterns.value);
    }
    if (countType.value !== 'imageCountMoreThan') selection.countUnit = 'days';
    const out = { rulePriority: Number(priority.value), selection, action: { type: action.value } };
    if (description.value.trim()) out.description = description.value.trim();
    if (action.value === 'transition') out.action.targetStorageClass = 'archive';
    return out;
  };
  const box = h('fieldset', { class: 'rule', oninput: () => onchange(), onchange: () => onchange() },
    h('legend', {}, 'Rule'),
    field('Priority', priority), field('Description', description), field('Tag status', tagStatus),
    field('Tag prefixes (tagged)', prefixes), field('Tag patterns (tagged)', patterns),
    field('Count type', countType), field('Count (images, or days)', countNumber), field('Action', action),
    h('button', { type: 'button', onclick: onremove }, 'Remove rule'));
  return { box, read };
}

export async function lifecyclePage(name) {
  document.title = `${name} · lifecycle · Berth console`;
  const refused = await refusals(['ecr:PutLifecyclePolicy', 'ecr:StartLifecyclePolicyPreview', 'ecr:DeleteLifecyclePolicy'], name);
  let stored = null;
  let readError = null;
  try {
    stored = JSON.parse((await ecr('GetLifecyclePolicy', inRegistry({ repositoryName: name }))).lifecyclePolicyText);
  } catch (error) {
    // Not being allowed to read the stored policy still leaves the editor and the preview's own answer.
    if (error.type !== 'LifecyclePolicyNotFoundException') readError = error;
  }
  const rules = [];
  const rulesBox = h('div', { id: 'rules' });
  const text = h('textarea', { id: 'policy-text', rows: 10, spellcheck: 'false' });
  const message = h('div', { id: 'lifecycle-message' });
  if (readError) message.replaceChildren(errorText(readError));
  const preview = h('div', { id: 'preview' });
  const sync = () => { text.value = JSON.stringify({ rules: rules.map((r) => r.read()) }, null, 2); };
  const add = (rule) => {
    const editor = ruleEditor(rule, sync, () => { rules.splice(rules.indexOf(editor), 1); editor.box.remove(); sync(); });
    rules.push(editor);
    rulesBox.append(editor.box);
    sync();
  };
  for (const rule of (stored && stored.rules) || []) add(rule);
  if (!rules.length) add({ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 14 }, action: { type: 'expire' } });

  const runPreview = async (nextToken, into) => {
    message.replaceChildren();
    try {
      const page = await explainLifecycle({ repositoryName: name, lifecyclePolicyText: text.value, maxResults: 100, ...(nextToken ? { nextToken } : {}) });
      const rows = page.images.map((i) => h('tr', { 'data-digest': i.imageDigest, 'data-action': i.action },
        h('td', { class: i.action }, i.action),
        h('td', { class: 'digest' }, i.imageDigest.slice(0, 19) + '…'),
        h('td', {}, i.imageTags.join(', ') || h('span', { class: 'note' }, 'untagged')),
        h('td', { class: 'hide-narrow' }, date(i.imagePushedAt)),
        h('td', {}, i.appliedRulePriority ?? '—'),
        h('td', {}, i.reason)));
      if (into) {
        into.tbody.append(...rows);
      } else {
        const tbody = h('tbody', {}, rows);
        into = { tbody };
        preview.replaceChildren(
          h('p', { id: 'preview-summary', role: 'status' }, `Evaluated at ${date(page.evaluatedAt)}: ${page.imageCount} images, ${page.expiringCount} expire, ${page.transitioningCount} move to archive, ${page.imageCount - page.expiringCount - page.transitioningCount} kept.`),
          h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, ['Action', 'Digest', 'Tags', 'Pushed', 'Rule', 'Why'].map((c) => h('th', { scope: 'col' }, c)))), tbody)));
      }
      preview.querySelector('.more')?.remove();
      if (page.nextToken) preview.append(h('button', { type: 'button', class: 'more', onclick: () => runPreview(page.nextToken, into) }, 'Next 100 images'));
    } catch (error) { message.replaceChildren(errorText(error)); }
  };

  show(
    repositoryTabs(name, 'lifecycle'),
    h('h1', {}, `Lifecycle policy of ${name}`),
    h('p', { class: 'note' }, stored ? 'The stored policy is loaded below.' : 'No policy is stored; this is a starting rule.',
      ' Rules act in priority order; an image is acted on by the first rule whose tags select it.'),
    rulesBox,
    h('p', {}, h('button', { type: 'button', onclick: () => add({ rulePriority: Math.max(0, ...rules.map((r) => r.read().rulePriority)) + 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 100 }, action: { type: 'expire' } }) }, 'Add rule')),
    h('label', { for: 'policy-text' }, 'Policy JSON (edit freely; the server validates it)', text),
    h('div', { class: 'toolbar' },
      guarded(refused, 'ecr:StartLifecyclePolicyPreview', 'Preview', () => runPreview(null, null), { id: 'preview-button' }),
      guarded(refused, 'ecr:PutLifecyclePolicy', 'Apply policy', async () => {
        message.replaceChildren();
        try {
          await ecr('PutLifecyclePolicy', inRegistry({ repositoryName: name, lifecyclePolicyText: text.value }));
          message.replaceChildren(h('p', { role: 'status', id: 'applied' }, 'Applied. The registry acts on it at its next lifecycle run (--lifecycle-interval).'));
          toast('Lifecycle policy applied.');
        } catch (error) { message.replaceChildren(errorText(error)); }
      }, { id: 'apply-button', class: 'primary' }),
      stored ? guarded(refused, 'ecr:DeleteLifecyclePolicy', 'Delete policy', async () => {
        try {
          await ecr('DeleteLifecyclePolicy', inRegistry({ repositoryName: name }));
          toast('Lifecycle policy deleted.');
        } catch (error) { message.replaceChildren(errorText(error)); }
      }) : null),
    message,
    h('h2', {}, 'Preview: every image, and why'),
    preview);
}
