// Images of a repository (paged DescribeImages with the tagStatus filter) and one image's detail.
import { ecr, inRegistry, refusals } from './api.js';
import { h, show, errorText, guarded, table, date, bytes, toast } from './dom.js';
import { repositoryTabs } from './tabs.js';

const INDEX_TYPES = ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'];

export async function imagesPage(name) {
  document.title = `${name} · images · Berth console`;
  const refused = await refusals(['ecr:BatchDeleteImage', 'ecr:DescribeImages', 'ecr:BatchGetImage'], name);
  const repository = (await ecr('DescribeRepositories', inRegistry({ repositoryNames: [name] }))).repositories[0];
  const tagStatus = h('select', { id: 'tag-status' }, ['ANY', 'TAGGED', 'UNTAGGED'].map((s) => h('option', { value: s }, s)));
  const sort = h('select', { id: 'sort' },
    h('option', { value: 'pushed' }, 'Pushed, newest first'),
    h('option', { value: 'pulled' }, 'Last pulled, newest first'),
    h('option', { value: 'size' }, 'Size, largest first'));
  const rows = h('tbody', { id: 'image-rows' });
  const status = h('p', { class: 'note', id: 'images-status' });
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  let loaded = [];
  let nextToken = null;

  const key = {
    pushed: (d) => d.imagePushedAt || 0,
    pulled: (d) => d.lastRecordedPullTime || 0,
    size: (d) => d.imageSizeInBytes || 0,
  };
  const pull = (d) => `docker pull ${repository.repositoryUri}${d.imageTags && d.imageTags.length ? `:${d.imageTags[0]}` : `@${d.imageDigest}`}`;
  const render = () => {
    const by = key[sort.value];
    const sorted = [...loaded].sort((a, b) => by(b) - by(a));
    rows.replaceChildren(...sorted.map((d) => h('tr', { 'data-digest': d.imageDigest },
      h('td', { class: 'digest' }, h('a', { href: `#/repository/${encodeURIComponent(name)}/image/${encodeURIComponent(d.imageDigest)}` }, d.imageDigest.slice(0, 19) + '…')),
      h('td', {}, (d.imageTags || []).join(', ') || h('span', { class: 'note' }, 'untagged')),
      h('td', {}, date(d.imagePushedAt)),
      h('td', { class: 'hide-narrow' }, date(d.lastRecordedPullTime)),
      h('td', {}, bytes(d.imageSizeInBytes)),
      h('td', { class: 'hide-narrow' }, INDEX_TYPES.includes(d.imageManifestMediaType) ? 'index (see platforms in detail)' : d.imageManifestMediaType, d.artifactMediaType ? h('div', { class: 'note' }, d.artifactMediaType) : null),
      h('td', { class: 'hide-narrow' }, d.imageStatus || 'ACTIVE'),
      h('td', {},
        h('button', { type: 'button', 'aria-label': `Copy pull command for ${d.imageDigest}`, onclick: async () => {
          try { await navigator.clipboard.writeText(pull(d)); toast('Copied: ' + pull(d)); } catch { toast(pull(d)); }
        } }, 'Copy pull'), ' ',
        guarded(refused, 'ecr:BatchDeleteImage', 'Delete', async () => {
          if (!confirm(`Delete image ${d.imageDigest}?`)) return;
          try {
            const answer = await ecr('BatchDeleteImage', inRegistry({ repositoryName: name, imageIds: [{ imageDigest: d.imageDigest }] }));
            if (answer.failures && answer.failures.length) throw { type: answer.failures[0].failureCode, message: answer.failures[0].failureReason };
            loaded = loaded.filter((x) => x !== d);
            render();
            toast('Deleted.');
          } catch (error) { status.replaceChildren(errorText(error)); }
        }, { 'aria-label': `Delete ${d.imageDigest}` })))));
    status.textContent = `${loaded.length} images loaded${nextToken ? '; more exist (pages of 100; sorting applies to the loaded ones)' : ''}.`;
  };
  const load = async (reset) => {
    if (reset) { loaded = []; nextToken = null; }
    try {
      const page = await ecr('DescribeImages', inRegistry({ repositoryName: name, maxResults: 100, filter: { tagStatus: tagStatus.value }, ...(nextToken ? { nextToken } : {}) }));
      loaded = loaded.concat(page.imageDetails);
      nextToken = page.nextToken || null;
      more.hidden = !nextToken;
      render();
    } catch (error) { status.replaceChildren(errorText(error)); }
  };
  tagStatus.addEventListener('change', () => load(true));
  sort.addEventListener('change', render);
  more.addEventListener('click', () => load(false));
  show(
    repositoryTabs(name, 'images'),
    h('h1', {}, `Images of ${name}`),
    h('p', {}, 'Pull with ', h('code', {}, `docker pull ${repository.repositoryUri}:<tag>`)),
    h('div', { class: 'toolbar' }, h('label', { for: 'tag-status' }, 'Tag status', tagStatus), h('label', { for: 'sort' }, 'Sort', sort)),
    table(['Digest', 'Tags', 'Pushed', h('th', { class: 'hide-narrow', scope: 'col' }, 'Last pulled'), 'Size',
      h('th', { class: 'hide-narrow', scope: 'col' }, 'Media type'), h('th', { class: 'hide-narrow', scope: 'col' }, 'Status'), 'Actions'], rows),
    status, more);
  await load(true);
}

/** Runs an optional operation: its answer, or the server's own error (UnsupportedOperationException when not there yet). */
async function optional(operation, body, render) {
  try {
    return render(await ecr(operation, body));
  } catch (error) {
    return h('p', { class: 'note' }, `Not available: ${error.type}: ${error.message}`);
  }
}

export async function imagePage(name, digest) {
  document.title = `${digest.slice(0, 19)} · Berth console`;
  const imageId = { imageDigest: digest };
  const got = await ecr('BatchGetImage', inRegistry({ repositoryName: name, imageIds: [imageId],
    acceptedMediaTypes: ['application/vnd.oci.image.manifest.v1+json', 'application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.docker.distribution.manifest.v1+prettyjws'] }));
  if (!got.images.length) {
    const failure = got.failures[0] || {};
    show(repositoryTabs(name, 'images'), h('h1', {}, 'Image'), errorText({ type: failure.failureCode, message: failure.failureReason }));
    return;
  }
  const image = got.images[0];
  let manifest = {};
  try { manifest = JSON.parse(image.imageManifest); } catch { manifest = {}; }
  const parts = [];
  if (Array.isArray(manifest.manifests)) {
    parts.push(h('h2', {}, 'Platforms'), table(['Platform', 'Digest', 'Size'], manifest.manifests.map((m) => h('tr', {},
      h('td', {}, m.platform ? [m.platform.os, m.platform.architecture, m.platform.variant].filter(Boolean).join('/') : '—'),
      h('td', { class: 'digest' }, h('a', { href: `#/repository/${encodeURIComponent(name)}/image/${encodeURIComponent(m.digest)}` }, m.digest)),
      h('td', {}, bytes(m.size))))));
  }
  if (Array.isArray(manifest.layers)) {
    const config = manifest.config ? [h('tr', {}, h('td', {}, 'config'), h('td', { class: 'digest' }, manifest.config.digest), h('td', {}, manifest.config.mediaType), h('td', {}, bytes(manifest.config.size)))] : [];
    parts.push(h('h2', {}, 'Layers'), table(['', 'Digest', 'Media type', 'Size'], config.concat(manifest.layers.map((l, i) => h('tr', {},
      h('td', {}, String(i + 1)), h('td', { class: 'digest' }, l.digest), h('td', {}, l.mediaType), h('td', {}, bytes(l.size)))))));
  }
  show(
    repositoryTabs(name, 'images'),
    h('h1', {}, 'Image ', h('code', {}, digest)),
    h('p', {}, 'Tags: ', (await describeTags(name, digest)) || 'none'),
    parts,
    h('h2', {}, 'Referrers (signatures, SBOMs, attestations)'),
    await referrerTree(name, digest, 0),
    h('h2', {}, 'Scan findings'),
    await optional('DescribeImageScanFindings', inRegistry({ repositoryName: name, imageId }), (answer) => h('pre', {}, JSON.stringify(answer.imageScanFindings || answer, null, 2))),
    h('h2', {}, 'Signing status'),
    await optional('DescribeImageSigningStatus', inRegistry({ repositoryName: name, imageId }), (answer) => h('pre', {}, JSON.stringify(answer.signingStatuses || answer, null, 2))),
    h('h2', {}, 'Manifest'),
    h('pre', { id: 'manifest' }, JSON.stringify(manifest, null, 2)));
}

async function describeTags(name, digest) {
  try {
    const answer = await ecr('DescribeImages', inRegistry({ repositoryName: name, imageIds: [{ imageDigest: digest }] }));
    return (answer.imageDetails[0].imageTags || []).join(', ');
  } catch {
    return null;
  }
}

/** The referrers of digest, and theirs, as nested lists (a signature of an SBOM is two levels down). */
async function referrerTree(name, digest, depth) {
  let answer;
  try {
    answer = await ecr('ListImageReferrers', inRegistry({ repositoryName: name, subjectId: { imageDigest: digest } }));
  } catch (error) {
    return h('p', { class: 'note' }, `Not available: ${error.type}: ${error.message}`);
  }
  if (!answer.referrers.length) return depth === 0 ? h('p', { class: 'note' }, 'No referrers.') : null;
  const items = [];
  for (const r of answer.referrers) {
    items.push(h('li', {}, h('strong', {}, r.artifactType || r.mediaType), ' ',
      h('a', { href: `#/repository/${encodeURIComponent(name)}/image/${encodeURIComponent(r.digest)}` }, h('code', {}, r.digest)),
      ` (${bytes(r.size)})`, depth < 3 ? await referrerTree(name, r.digest, depth + 1) : null));
  }
  return h('ul', { class: 'tree' }, items);
}
