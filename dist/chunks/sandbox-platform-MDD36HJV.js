import {
  SCENARIOS,
  SCENARIO_DESCRIPTIONS,
  SandboxPlatform
} from "./chunk-QYJTINYR.js";
import "./chunk-3XGJQAAQ.js";
import "./chunk-KNTKHN2X.js";
export {
  SCENARIOS,
  SCENARIO_DESCRIPTIONS,
  SandboxPlatform
};
