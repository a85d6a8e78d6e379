import type { Config } from '../config/schema.js';
import type { SelfHealSettings } from './self-healer.js';

/**
 * The self-healer's settings from the config's `selfHeal` section; undefined when it cannot run. Whether it
 * is on, and for which planes, is `selfHealEnabledFor` (config/schema.ts): a plane may turn it on alone.
 */
export function selfHealSettings(selfHeal: Config['selfHeal']): SelfHealSettings | undefined {
  if (!selfHeal?.repository) return undefined;
  const [owner = '', repo = ''] = selfHeal.repository.split('/');
  return {
    target: { owner, repo, workflow: selfHeal.workflow, ref: selfHeal.ref },
    inputs: selfHeal.inputs,
    policy: {
      cooldownMs: selfHeal.cooldown,
      failureThreshold: selfHeal.failureThreshold,
      maxDispatchesPerHour: selfHeal.maxDispatchesPerHour,
      runTimeoutMs: selfHeal.runTimeout,
      dryRun: selfHeal.dryRun,
      maxPlanesAtOnce: selfHeal.maxPlanesAtOnce,
    },
    runPollIntervalMs: selfHeal.runPollInterval,
  };
}
