import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { load as parse } from 'js-yaml';
import { newCorrelationId, titleHasCorrelation, titleNamesPlane } from '../src/heal/correlation.js';

interface Step {
  name?: string;
  run?: string;
  env?: Record<string, string>;
  uses?: string;
}
interface Workflow {
  'run-name': string;
  on: { workflow_dispatch: { inputs: Record<string, { required?: boolean; type: string }> } };
  permissions: Record<string, string>;
  concurrency: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, { permissions: Record<string, string>; steps: Step[]; 'timeout-minutes'?: number }>;
}

const read = (name: string) =>
  parse(readFileSync(new URL(`../.github/workflows/${name}`, import.meta.url), 'utf8')) as Workflow;

describe('.github/workflows/production-smoke-test.yml', () => {
  const workflow = read('production-smoke-test.yml');

  it('declares the inputs self-heal sends', () => {
    assert.deepEqual(Object.keys(workflow.on.workflow_dispatch.inputs).sort(), [
      'correlation_id',
      'reason',
      'workload_plane',
    ]);
    assert.equal(workflow.on.workflow_dispatch.inputs.workload_plane?.required, true);
  });

  it('puts the plane and the correlation id in run-name, where planecheck looks for them', () => {
    const id = newCorrelationId(Date.now());
    const title = workflow['run-name']
      .replace('${{ inputs.workload_plane }}', 'us-east-1')
      .replace('${{ inputs.correlation_id }}', id);
    assert.ok(titleNamesPlane(title, 'us-east-1'), title);
    assert.ok(titleHasCorrelation(title, id), title);
  });

  it('has least-privilege permissions and one run per plane at a time', () => {
    assert.deepEqual(workflow.permissions, {});
    for (const job of Object.values(workflow.jobs)) {
      assert.deepEqual(job.permissions, { contents: 'read' });
      assert.ok(job['timeout-minutes']);
    }
    assert.match(workflow.concurrency.group, /\$\{\{ inputs\.workload_plane \}\}/);
    assert.equal(workflow.concurrency['cancel-in-progress'], false);
  });

  it('never interpolates inputs into scripts, and validates the plane name', () => {
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    for (const step of steps)
      assert.doesNotMatch(step.run ?? '', /\$\{\{/, `${step.name ?? ''} interpolates into its script`);
    const validate = steps.find((step) => step.name === 'Validate inputs');
    assert.match(validate?.run ?? '', /\^\[a-z0-9\]\[a-z0-9\._-\]/);
    assert.equal(validate?.env?.PLANE, '${{ inputs.workload_plane }}');
  });

  it('marks the steps that touch the platform as placeholders that fail until replaced', () => {
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const placeholders = steps.filter((step) => step.name?.includes('ADOPTER'));
    assert.equal(placeholders.length, 2);
    for (const step of placeholders) assert.match(step.run ?? '', /exit 1/);
  });
});

describe('CI workflows', () => {
  const files = [
    'ci.yml',
    'check-dist.yml',
    'scheduled-health-check.yml',
    'production-smoke-test.yml',
    'container-image.yml',
  ];
  for (const file of files) {
    it(`${file}: no permissions by default, each job asks for its own, actions pinned to full commit SHAs`, () => {
      const workflow = read(file);
      assert.deepEqual(workflow.permissions, {}, 'top-level permissions: {}');
      for (const [name, job] of Object.entries(workflow.jobs)) {
        assert.ok(job.permissions, `job ${name} sets its permissions`);
        for (const step of job.steps) {
          if (step.uses === undefined || step.uses.startsWith('./')) continue;
          assert.match(
            step.uses,
            /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/,
            `${file}: ${step.uses} is not pinned to a commit SHA`,
          );
        }
      }
    });
  }

  it('container-image.yml builds the Dockerfile and pushes to ghcr.io only from main and version tags', () => {
    const workflow = read('container-image.yml') as unknown as {
      on: { push: { branches: string[]; tags: string[] }; pull_request: unknown };
      jobs: { image: { permissions: Record<string, string>; steps: (Step & { if?: string })[] } };
    };
    assert.deepEqual(workflow.on.push.branches, ['main']);
    assert.ok('pull_request' in workflow.on, 'pull requests build the image too');
    const job = workflow.jobs.image;
    assert.deepEqual(job.permissions, { contents: 'read', packages: 'write' });
    const build = job.steps.find((step) => /docker build /.test(step.run ?? ''))?.run ?? '';
    assert.match(build, /docker build [^]* \.$/m);
    // planecheck_build_info's revision: the commit, from the runner's environment (not interpolated).
    assert.match(build, /--build-arg "PLANECHECK_REVISION=\$GITHUB_SHA"/);
    // ... which the Dockerfile's build stage declares before it builds (build.js reads it).
    const buildStage =
      readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8').split(/^FROM /m)[1] ?? '';
    assert.match(buildStage, /^ARG PLANECHECK_REVISION=unknown\nRUN npm run build$/m);
    assert.ok(job.steps.some((step) => /curl -fs http:\/\/127\.0\.0\.1:9464\/healthz/.test(step.run ?? '')));
    const pushes = job.steps.filter((step) => /docker (push|login)/.test(step.run ?? ''));
    assert.equal(pushes.length, 1, 'one step pushes');
    assert.equal(
      pushes[0]?.if,
      "github.event_name == 'push' && (github.ref == 'refs/heads/main' || startsWith(github.ref, 'refs/tags/v'))",
    );
    for (const step of job.steps)
      assert.doesNotMatch(step.run ?? '', /\$\{\{/, `${step.name ?? ''} interpolates into its script`);
  });

  it('ci.yml tests on the Node floor (package.json engines), 20 and 24, and runs the Action itself with uses: ./', () => {
    const ci = read('ci.yml') as Workflow & {
      jobs: Record<string, { strategy?: { matrix: { node: string[] } } }>;
    };
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      engines: { node: string };
    };
    const floor = pkg.engines.node.replace(/^>=/, '');
    assert.deepEqual(ci.jobs.test?.strategy?.matrix.node, [floor, '20', '24']);
    assert.ok(ci.jobs.action?.steps.some((step) => step.uses === './'));
  });
});
