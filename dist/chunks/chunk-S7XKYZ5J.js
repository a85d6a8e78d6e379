// src/log/logger.ts
var RANK = { debug: 10, info: 20, warn: 30, error: 40 };
function createLogger(level, write = (line) => process.stdout.write(line)) {
  const levelNow = typeof level === "function" ? level : () => level;
  const log = (at) => (msg, fields = {}) => {
    if (RANK[at] < RANK[levelNow()]) return;
    write(`${JSON.stringify({ time: (/* @__PURE__ */ new Date()).toISOString(), level: at, msg, ...fields })}
`);
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}
function getErrorMessage(error) {
  if (error instanceof Error) return error.message;
  return typeof error === "string" ? error : JSON.stringify(error);
}

// src/heal/self-heal-settings.ts
function selfHealSettings(selfHeal) {
  if (!selfHeal?.repository) return void 0;
  const [owner = "", repo = ""] = selfHeal.repository.split("/");
  return {
    target: { owner, repo, workflow: selfHeal.workflow, ref: selfHeal.ref },
    inputs: selfHeal.inputs,
    policy: {
      cooldownMs: selfHeal.cooldown,
      failureThreshold: selfHeal.failureThreshold,
      maxDispatchesPerHour: selfHeal.maxDispatchesPerHour,
      runTimeoutMs: selfHeal.runTimeout,
      dryRun: selfHeal.dryRun,
      maxPlanesAtOnce: selfHeal.maxPlanesAtOnce
    },
    runPollIntervalMs: selfHeal.runPollInterval
  };
}

export {
  createLogger,
  getErrorMessage,
  selfHealSettings
};
