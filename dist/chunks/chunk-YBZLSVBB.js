// src/config/storage-url.ts
function storageUrlProblem(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    return "not a valid URL: expected postgres://USER:PASSWORD@HOST:PORT/DATABASE (percent-encode special characters in the user and password, e.g. @ as %40, / as %2F, : as %3A)";
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    return `expected a postgres:// or postgresql:// URL, not ${url.protocol}//`;
  }
  if (url.hostname === "" && !url.searchParams.has("host")) {
    return "names no host: expected postgres://USER:PASSWORD@HOST:PORT/DATABASE";
  }
  try {
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    return "the user or password is not valid percent-encoding (encode % as %25)";
  }
  return void 0;
}
var SECRET_PARAMETERS = ["password", "sslpassword"];
function storageUrlSecrets(text) {
  try {
    const url = new URL(text);
    const secrets = [url.password, ...SECRET_PARAMETERS.map((name) => url.searchParams.get(name) ?? "")];
    return secrets.filter((secret) => secret !== "");
  } catch {
    return [];
  }
}
function redactStorageUrl(text) {
  try {
    const url = new URL(text);
    if (url.password !== "") url.password = "***";
    for (const name of SECRET_PARAMETERS) if (url.searchParams.has(name)) url.searchParams.set(name, "***");
    return url.href;
  } catch {
    return "(unparsable URL)";
  }
}

export {
  storageUrlProblem,
  storageUrlSecrets,
  redactStorageUrl
};
