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
function redactStorageUrl(text) {
  try {
    const url = new URL(text);
    if (url.password !== "") url.password = "***";
    return url.href;
  } catch {
    return "(unparsable URL)";
  }
}

export {
  storageUrlProblem,
  redactStorageUrl
};
