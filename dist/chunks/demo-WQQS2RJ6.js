import {
  DEMO_API_KEY,
  DEMO_GITHUB_TOKEN,
  DEMO_MAINTENANCE_PLANE,
  DEMO_PLANES,
  demoConfig,
  demoConfigYaml,
  demoSelfHealYaml
} from "./chunk-SLFAADLY.js";
import "./chunk-KGVMHD67.js";
import "./chunk-ZU2X4UKQ.js";
import "./chunk-KNTKHN2X.js";
import "./chunk-YBZLSVBB.js";
export {
  DEMO_API_KEY,
  DEMO_GITHUB_TOKEN,
  DEMO_MAINTENANCE_PLANE,
  DEMO_PLANES,
  demoConfig,
  demoConfigYaml,
  demoSelfHealYaml
};
