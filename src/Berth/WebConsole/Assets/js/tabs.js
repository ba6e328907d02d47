// The tabs of one repository's pages.
import { h } from './dom.js';

const link = (name, page) => `#/repository/${encodeURIComponent(name)}/${page}`;

export function repositoryTabs(name, current) {
  const tab = (page, label) => h('a', { href: link(name, page), 'aria-current': page === current ? 'page' : null }, label);
  return [
    h('p', { class: 'note' }, h('a', { href: '#/repositories' }, 'Repositories'), ' / ', name),
    h('nav', { class: 'tabs', 'aria-label': 'Repository' }, tab('images', 'Images'), tab('lifecycle', 'Lifecycle'), tab('permissions', 'Permissions and tags')),
  ];
}
