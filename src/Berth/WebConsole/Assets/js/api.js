// Calls to the console's API. ECR operations go to api/ecr/{Operation} with the ECR JSON body and come back in the
// ECR JSON shapes, errors included; state-changing calls carry the session's token.
export class ApiError extends Error {
  constructor(type, message, status) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

export const registry = { session: null, account: null, region: null, onSignedOut: () => {} };

async function call(method, path, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (registry.session) {
    headers['X-Berth-Csrf'] = registry.session.csrfToken;
    if (registry.region) headers['X-Berth-Region'] = registry.region;
  }
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) {
    const type = (json && json.__type) || response.headers.get('x-amzn-ErrorType') || `HTTP ${response.status}`;
    const error = new ApiError(type.split('#').pop(), (json && (json.message || json.Message)) || text || response.statusText, response.status);
    if (response.status === 401 && path !== 'api/session') {
      registry.session = null;
      registry.onSignedOut(error);
    }
    throw error;
  }
  return json;
}

export async function currentSession() {
  try {
    registry.session = await call('GET', 'api/session');
  } catch (error) {
    if (error.status === 401) registry.session = null; else throw error;
  }
  return registry.session;
}

export async function signIn(accessKeyId, secretAccessKey) {
  registry.session = await call('POST', 'api/session', { accessKeyId, secretAccessKey });
  return registry.session;
}

export async function signOut() {
  await call('DELETE', 'api/session');
  registry.session = null;
}

/** The registryId member for the account being viewed, when it is not the caller's own. */
export function inRegistry(body = {}) {
  if (registry.account && registry.session && registry.account !== registry.session.accountId) {
    return { registryId: registry.account, ...body };
  }
  return body;
}

export const ecr = (operation, body = {}) => call('POST', `api/ecr/${operation}`, body);

/** Dry-run decisions: a map action -> reason it is refused (absent when allowed). */
export async function refusals(actions, repositoryName) {
  const answer = await call('POST', 'api/permissions', inRegistry({ repositoryName, actions }));
  const refused = new Map();
  for (const decision of answer.decisions) {
    if (!decision.allowed) refused.set(decision.action, decision.reason);
  }
  return refused;
}

export const explainLifecycle = (body) => call('POST', 'api/lifecycle-explanation', inRegistry(body));
