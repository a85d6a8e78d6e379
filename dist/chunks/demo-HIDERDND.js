import {
  DEMO_API_KEY,
  DEMO_GITHUB_TOKEN,
  DEMO_MAINTENANCE_PLANE,
  DEMO_PLANES,
  demoConfig,
  demoConfigYaml,
  demoSelfHealYaml
} from "./chunk-WM2HVSUQ.js";
import "./chunk-XYCJ4A37.js";
import "./chunk-YVK2JUK6.js";
import "./chunk-KNTKHN2X.js";
import "./chunk-RPOGCCUT.js";
export {
  DEMO_API_KEY,
  DEMO_GITHUB_TOKEN,
  DEMO_MAINTENANCE_PLANE,
  DEMO_PLANES,
  demoConfig,
  demoConfigYaml,
  demoSelfHealYaml
};
