// src/log/logger.ts
var RANK = { debug: 10, info: 20, warn: 30, error: 40 };
function createLogger(level, write = (line) => process.stdout.write(line)) {
  const log = (at) => (msg, fields = {}) => {
    if (RANK[at] < RANK[level]) return;
    write(`${JSON.stringify({ time: (/* @__PURE__ */ new Date()).toISOString(), level: at, msg, ...fields })}
`);
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}
function getErrorMessage(error) {
  if (error instanceof Error) return error.message;
  return typeof error === "string" ? error : JSON.stringify(error);
}

export {
  createLogger,
  getErrorMessage
};
