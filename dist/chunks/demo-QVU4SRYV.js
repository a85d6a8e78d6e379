import {
  DEMO_API_KEY,
  DEMO_GITHUB_TOKEN,
  DEMO_PLANES,
  demoConfig,
  demoConfigYaml,
  demoSelfHealYaml
} from "./chunk-L7HDK3XZ.js";
import "./chunk-YODAONKT.js";
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
