// Types for the one undici module planecheck imports by its path (see createHttpAgent in http.ts).
declare module 'undici/lib/dispatcher/agent.js' {
  import { Agent } from 'undici';
  export default Agent;
}
