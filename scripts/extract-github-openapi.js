import process from 'node:process';
import console from 'node:console';
// Extracts the few GitHub REST operations the sandbox GitHub serves from GitHub's published OpenAPI
// description (npm package @octokit/openapi) into src/sandbox/github-openapi.json, so the sandbox can
// validate requests without a 385 MB dependency.
// Usage: node scripts/extract-github-openapi.js path/to/api.github.com.deref.json VERSION
import { readFileSync, writeFileSync } from 'node:fs';

const [specPath, version] = process.argv.slice(2);
if (!specPath || !version) {
  console.error('usage: node scripts/extract-github-openapi.js api.github.com.deref.json VERSION');
  process.exit(2);
}
const spec = JSON.parse(readFileSync(specPath, 'utf8'));
const wanted = [
  ['post', '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches'],
  ['get', '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs'],
  ['get', '/repos/{owner}/{repo}/actions/runs/{run_id}'],
  ['post', '/app/installations/{installation_id}/access_tokens'],
];
const operations = {};
for (const [method, path] of wanted) {
  const operation = spec.paths[path]?.[method];
  if (!operation) throw new Error(`${method.toUpperCase()} ${path} is not in ${specPath}`);
  operations[`${method.toUpperCase()} ${path}`] = {
    operationId: operation.operationId,
    parameters: (operation.parameters ?? []).map(({ name, in: where, required, schema }) => ({
      name,
      in: where,
      required: required ?? false,
      schema,
    })),
    requestBody: operation.requestBody?.content?.['application/json']?.schema ?? null,
    requestBodyRequired: operation.requestBody?.required ?? false,
  };
}
const out = { source: `@octokit/openapi@${version} generated/api.github.com.deref.json`, operations };
writeFileSync('src/sandbox/github-openapi.json', `${JSON.stringify(out, null, 2)}\n`);
console.log(`wrote src/sandbox/github-openapi.json (${Object.keys(operations).length} operations)`);
