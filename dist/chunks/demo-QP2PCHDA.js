import {
  DEMO_API_KEY,
  DEMO_GITHUB_TOKEN,
  DEMO_MAINTENANCE_PLANE,
  DEMO_PLANES,
  demoConfig,
  demoConfigYaml,
  demoSelfHealYaml
} from "./chunk-PO4RTV37.js";
import "./chunk-K7CLGQMK.js";
import "./chunk-YVK2JUK6.js";
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
