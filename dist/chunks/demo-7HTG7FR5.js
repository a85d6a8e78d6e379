import {
  DEMO_API_KEY,
  DEMO_GITHUB_TOKEN,
  DEMO_PLANES,
  demoConfig,
  demoConfigYaml,
  demoSelfHealYaml
} from "./chunk-UP2NKFOV.js";
import "./chunk-L675MLCF.js";
import "./chunk-YVK2JUK6.js";
import "./chunk-KNTKHN2X.js";
export {
  DEMO_API_KEY,
  DEMO_GITHUB_TOKEN,
  DEMO_PLANES,
  demoConfig,
  demoConfigYaml,
  demoSelfHealYaml
};
