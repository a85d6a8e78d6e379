import {
  DEMO_API_KEY,
  DEMO_GITHUB_TOKEN,
  DEMO_PLANES,
  demoConfig,
  demoConfigYaml,
  demoSelfHealYaml
} from "./chunk-PCYTMX3G.js";
import "./chunk-DDHB4X77.js";
import "./chunk-5GMT73T7.js";
import "./chunk-KNTKHN2X.js";
export {
  DEMO_API_KEY,
  DEMO_GITHUB_TOKEN,
  DEMO_PLANES,
  demoConfig,
  demoConfigYaml,
  demoSelfHealYaml
};
