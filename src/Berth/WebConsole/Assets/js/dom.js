// Small helpers that build elements (never HTML strings), so no text from the registry is ever parsed as markup.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, value);
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : String(child));
  }
}

export function show(...children) {
  const main = document.getElementById('main');
  main.replaceChildren(...children.flat().filter(Boolean));
  return main;
}

export function toast(message) {
  const box = document.getElementById('toast');
  box.textContent = message;
  setTimeout(() => { if (box.textContent === message) box.textContent = ''; }, 5000);
}

export function errorText(error) {
  return h('p', { class: 'error', role: 'alert' }, `${error.type || 'Error'}: ${error.message}`);
}

/**
 * A button that a refused action disables before any click, with the refusal shown beside it.
 * refused: the map from refusals(); action: 'ecr:Op'.
 */
export function guarded(refused, action, label, onclick, extra = {}) {
  const reason = refused.get(action);
  const id = `why-${Math.random().toString(36).slice(2)}`;
  const button = h('button', { type: 'button', onclick, disabled: Boolean(reason), 'aria-describedby': reason ? id : null, title: reason || null, ...extra }, label);
  return reason ? h('span', {}, button, ' ', h('span', { class: 'denied', id }, `Not allowed: ${action}`)) : button;
}

export function date(value) {
  if (value === undefined || value === null) return '—';
  const when = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  return when.toISOString().replace('T', ' ').slice(0, 19);
}

export function bytes(n) {
  if (n === undefined || n === null) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** A table; rows is a list of rows or a tbody the caller keeps to refill. */
export function table(headers, rows, caption) {
  return h('div', { class: 'table-wrap' }, h('table', {},
    caption ? h('caption', { class: 'note' }, caption) : null,
    h('thead', {}, h('tr', {}, headers.map((name) => (typeof name === 'string' ? h('th', { scope: 'col' }, name) : name)))),
    rows instanceof HTMLTableSectionElement ? rows : h('tbody', {}, rows)));
}
