/**
 * What is wrong with `storage.url`, or undefined when it is a PostgreSQL URL that pg can use. Pure. The
 * message never quotes the URL: it holds the password.
 */
export function storageUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return (
      'not a valid URL: expected postgres://USER:PASSWORD@HOST:PORT/DATABASE ' +
      '(percent-encode special characters in the user and password, e.g. @ as %40, / as %2F, : as %3A)'
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return `expected a postgres:// or postgresql:// URL, not ${url.protocol}//`;
  }
  // A Unix socket is named by `?host=/run/postgresql` instead.
  if (url.hostname === '' && !url.searchParams.has('host')) {
    return 'names no host: expected postgres://USER:PASSWORD@HOST:PORT/DATABASE';
  }
  try {
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    return 'the user or password is not valid percent-encoding (encode % as %25)';
  }
  return undefined;
}

/** Query parameters of a PostgreSQL URL that carry a secret. */
export const SECRET_PARAMETERS = ['password', 'sslpassword'] as const;

/** The secrets a storage URL carries: its password, and those given as query parameters (decoded). */
export function storageUrlSecrets(text: string): string[] {
  try {
    const url = new URL(text);
    const secrets = [url.password, ...SECRET_PARAMETERS.map((name) => url.searchParams.get(name) ?? '')];
    return secrets.filter((secret) => secret !== '');
  } catch {
    return [];
  }
}

/** The URL with its password replaced by `***`, for messages and logs; `(unparsable URL)` when it does not parse. */
export function redactStorageUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password !== '') url.password = '***';
    // libpq also takes secrets as parameters: ?password=…, ?sslpassword=…
    for (const name of SECRET_PARAMETERS) if (url.searchParams.has(name)) url.searchParams.set(name, '***');
    return url.href;
  } catch {
    return '(unparsable URL)';
  }
}
