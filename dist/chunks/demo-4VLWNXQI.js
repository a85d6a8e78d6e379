import {
  DEMO_API_KEY,
  DEMO_GITHUB_TOKEN,
  DEMO_MAINTENANCE_PLANE,
  DEMO_PLANES,
  demoConfig,
  demoConfigYaml,
  demoSelfHealYaml
} from "./chunk-TT2WXBOY.js";
import "./chunk-2VZDH4LG.js";
import "./chunk-QCGNNDV3.js";
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
