/**
 * Request URLs as they may be logged: the WebSocket takes a customer or API token as `?token=`
 * (browsers cannot set headers on a WebSocket), and a token in a log file is a token leaked.
 * Every secret-bearing query parameter keeps its name and loses its value.
 */
const SECRET_PARAMS = new Set(['token', 'access_token', 'api_key', 'key', 'secret', 'password']);

export function redactUrl(url: string): string {
  const question = url.indexOf('?');
  if (question === -1) return url;
  const path = url.slice(0, question);
  const pairs = url.slice(question + 1).split('&');
  let changed = false;
  const kept = pairs.map((pair) => {
    const equals = pair.indexOf('=');
    const rawName = equals === -1 ? pair : pair.slice(0, equals);
    let name = rawName;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
    } catch {
      // A malformed escape: judge the raw name.
    }
    if (equals === -1 || !SECRET_PARAMS.has(name.toLowerCase())) return pair;
    changed = true;
    return `${rawName}=[redacted]`;
  });
  return changed ? `${path}?${kept.join('&')}` : url;
}
