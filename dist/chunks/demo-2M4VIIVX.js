import {
  DEMO_API_KEY,
  DEMO_GITHUB_TOKEN,
  DEMO_PLANES,
  demoConfig,
  demoConfigYaml,
  demoSelfHealYaml
} from "./chunk-ZJCLLXT7.js";
import "./chunk-JRJRLKBM.js";
import "./chunk-YVK2JUK6.js";
import "./chunk-KNTKHN2X.js";
import "./chunk-RPOGCCUT.js";
export {
  DEMO_API_KEY,
  DEMO_GITHUB_TOKEN,
  DEMO_PLANES,
  demoConfig,
  demoConfigYaml,
  demoSelfHealYaml
};
