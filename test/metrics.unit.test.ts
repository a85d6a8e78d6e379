import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { Gauge, Registry } from 'prom-client';
import { createLogger } from '../src/log/logger.js';
import { PlanecheckMetrics } from '../src/metrics/metrics.js';
import { CycleScheduler } from '../src/scheduler/cycle-scheduler.js';
import type { StoredResult } from '../src/check/stored-result.js';
import { StatusBoard } from '../src/store/status-board.js';
import { promtoolCheckMetrics } from './helpers/promtool.js';

/** What a scraper reads, decompressed. */
async function textOf(metrics: PlanecheckMetrics): Promise<string> {
  return gunzipSync(Buffer.concat(await metrics.render())).toString();
}

const STATUSES = ['HEALTHY', 'NO_USER', 'NO_ORACLE', 'FAILED', 'NO_VALUE'];

function statusValues(text: string, plane: string): Record<string, number> {
  const values: Record<string, number> = {};
  for (const status of STATUSES) {
    const match = new RegExp(
      `^planecheck_status\\{workload_plane="${plane}",status="${status}"\\} (\\d+)$`,
      'm',
    ).exec(text);
    assert.ok(match, `missing planecheck_status for ${plane}/${status}`);
    values[status] = Number(match[1]);
  }
  return values;
}

const result = (plane: string, status: StoredResult['status']): StoredResult => ({
  plane,
  status,
  reason: status === 'HEALTHY' ? null : 'user_not_found',
  checkedAt: Date.now(),
  durationMs: 42,
  steps: [{ step: 'user_lookup', outcome: status === 'HEALTHY' ? 'ok' : 'not_found', durationMs: 40 }],
  checkedBy: 'replica-a',
});

describe('PlanecheckMetrics', () => {
  it('shows all five status series per plane from the first scrape, NO_VALUE=1', async () => {
    const board = new StatusBoard(['us-east-1', 'eu-west-1'], 60_000);
    const metrics = new PlanecheckMetrics(board.planes, board);
    const text = await textOf(metrics);
    for (const plane of board.planes) {
      assert.deepEqual(statusValues(text, plane), {
        HEALTHY: 0,
        NO_USER: 0,
        NO_ORACLE: 0,
        FAILED: 0,
        NO_VALUE: 1,
      });
    }
    assert.match(text, /^planecheck_checks_total\{workload_plane="us-east-1",status="FAILED"\} 0$/m);
    assert.match(text, /^planecheck_cycles_total 0$/m);
    assert.match(text, /^process_resident_memory_bytes \d+/m);
    assert.doesNotMatch(text, /^planecheck_last_check_timestamp_seconds\{/m, 'no timestamp before a check');
  });

  it('flips a plane to NO_VALUE when its result expires, with no cycle running', async () => {
    const board = new StatusBoard(['a'], 300);
    const metrics = new PlanecheckMetrics(board.planes, board);
    board.update(result('a', 'NO_USER'));
    assert.equal(statusValues(await textOf(metrics), 'a').NO_USER, 1);
    await sleep(400);
    assert.deepEqual(statusValues(await textOf(metrics), 'a'), {
      HEALTHY: 0,
      NO_USER: 0,
      NO_ORACLE: 0,
      FAILED: 0,
      NO_VALUE: 1,
    });
  });

  it('renders counters and histograms as of the last refresh', async () => {
    const board = new StatusBoard(['a'], 60_000);
    const metrics = new PlanecheckMetrics(board.planes, board);
    await textOf(metrics);
    const healthy = result('a', 'HEALTHY');
    board.update(healthy);
    metrics.recordResult(healthy);
    metrics.recordCycle(1_234);
    let text = await textOf(metrics);
    assert.match(
      text,
      /^planecheck_checks_total\{workload_plane="a",status="HEALTHY"\} 0$/m,
      'cached until refresh',
    );
    assert.match(text, /^planecheck_status\{workload_plane="a",status="HEALTHY"\} 1$/m, 'status is live');
    await metrics.refresh();
    text = await textOf(metrics);
    assert.match(text, /^planecheck_checks_total\{workload_plane="a",status="HEALTHY"\} 1$/m);
    assert.match(
      text,
      /^planecheck_check_duration_seconds_count\{workload_plane="a",step="user_lookup"\} 1$/m,
    );
    assert.match(text, /^planecheck_check_total_duration_seconds_bucket\{le="0.5",workload_plane="a"\} 1$/m);
    assert.doesNotMatch(text, /step="total"/, 'the whole check is not a step: a sum over steps stays right');
    assert.match(text, /^planecheck_cycle_duration_seconds_sum 1.234$/m);
    assert.match(text, /^planecheck_last_check_timestamp_seconds\{workload_plane="a"\} \d+(\.\d+)?$/m);
  });

  it('has every self-heal and storage-error series at 0 from the first scrape, so increase() sees the first', async () => {
    const board = new StatusBoard(['us-east-1', 'eu-west-1'], 60_000);
    const metrics = new PlanecheckMetrics(board.planes, board, { selfHeal: true });
    const text = await textOf(metrics);
    const count = (name: string) => text.split('\n').filter((line) => line.startsWith(`${name}{`)).length;
    for (const plane of board.planes) {
      for (const reason of ['NO_USER', 'NO_ORACLE']) {
        for (const outcome of ['dispatched', 'error', 'rate_limited', 'held', 'maintenance']) {
          assert.match(
            text,
            new RegExp(
              `^planecheck_self_heal_dispatches_total\\{workload_plane="${plane}",reason="${reason}",outcome="${outcome}"\\} 0$`,
              'm',
            ),
          );
        }
      }
      for (const outcome of ['fixed', 'workflow_failed', 'still_broken', 'timed_out']) {
        assert.match(
          text,
          new RegExp(
            `^planecheck_self_heal_outcomes_total\\{workload_plane="${plane}",outcome="${outcome}"\\} 0$`,
            'm',
          ),
        );
      }
      assert.match(
        text,
        new RegExp(
          `^planecheck_self_heal_runs_total\\{workload_plane="${plane}",conclusion="failure"\\} 0$`,
          'm',
        ),
      );
    }
    assert.equal(count('planecheck_self_heal_dispatches_total'), 2 * 2 * 10);
    assert.equal(count('planecheck_self_heal_runs_total'), 2 * 10);
    for (const operation of ['write', 'read', 'prune']) {
      assert.match(
        text,
        new RegExp(`^planecheck_storage_errors_total\\{operation="${operation}"\\} 0$`, 'm'),
      );
    }
    metrics.recordHealOutcome('eu-west-1', 'still_broken');
    metrics.recordRun('eu-west-1', 'something_new');
    await metrics.refresh();
    const after = await textOf(metrics);
    assert.match(
      after,
      /^planecheck_self_heal_outcomes_total\{workload_plane="eu-west-1",outcome="still_broken"\} 1$/m,
    );
    assert.match(
      after,
      /^planecheck_self_heal_runs_total\{workload_plane="eu-west-1",conclusion="other"\} 1$/m,
    );
  });

  it('leaves the self-heal series out when self-heal is off (they could never move)', async () => {
    const board = new StatusBoard(['a'], 60_000);
    const text = await textOf(new PlanecheckMetrics(board.planes, board, { selfHeal: false }));
    assert.doesNotMatch(text, /^planecheck_self_heal_dispatches_total\{/m);
    assert.match(text, /^planecheck_storage_errors_total\{operation="write"\} 0$/m);
  });

  it('exports build info, the schedule, check success, and the current failure of each broken plane', async () => {
    const board = new StatusBoard(['ok', 'down', 'nouser', 'unchecked'], 60_000);
    const metrics = new PlanecheckMetrics(board.planes, board, { intervalMs: 60_000, cacheTtlMs: 120_000 });
    board.update(result('ok', 'HEALTHY'));
    board.update(result('nouser', 'NO_USER'));
    const down: StoredResult = {
      plane: 'down',
      status: 'FAILED',
      reason: 'predict_http_500',
      checkedBy: 'replica-b',
      checkedAt: Date.now(),
      durationMs: 50,
      steps: [
        { step: 'user_lookup', outcome: 'ok', durationMs: 5 },
        { step: 'oracle_lookup', outcome: 'ok', durationMs: 5 },
        {
          step: 'predict',
          outcome: 'failed',
          durationMs: 20,
          reason: 'predict_http_500',
          detail: 'HTTP 500',
        },
        { step: 'async_predict', outcome: 'ok', durationMs: 20 },
      ],
    };
    board.update(down);
    const text = await textOf(metrics);
    assert.match(
      text,
      /^planecheck_build_info\{version="[^"]+",revision="[^"]+",nodejs="v\d+\.\d+\.\d+"\} 1$/m,
    );
    assert.match(text, /^planecheck_schedule_interval_seconds 60$/m);
    assert.match(text, /^planecheck_cache_ttl_seconds 120$/m);
    assert.match(text, /^planecheck_check_success\{workload_plane="ok"\} 1$/m);
    assert.match(text, /^planecheck_check_success\{workload_plane="down"\} 0$/m);
    assert.match(text, /^planecheck_check_success\{workload_plane="unchecked"\} 0$/m);
    const info = text.split('\n').filter((line) => line.startsWith('planecheck_last_failure_info{'));
    assert.deepEqual(info.sort(), [
      'planecheck_last_failure_info{workload_plane="down",step="predict",reason="predict_http_500"} 1',
      'planecheck_last_failure_info{workload_plane="nouser",step="user_lookup",reason="user_not_found"} 1',
    ]);
    // A new reason replaces the old series: one series per broken plane, for its current reason only.
    board.update({ ...down, reason: 'predict_timeout', checkedAt: Date.now() + 1 });
    const next = await textOf(metrics);
    assert.match(
      next,
      /^planecheck_last_failure_info\{workload_plane="down",step="predict",reason="predict_timeout"\} 1$/m,
    );
    assert.doesNotMatch(next, /reason="predict_http_500"/);
    board.update(result('down', 'HEALTHY'));
    assert.doesNotMatch(await textOf(metrics), /^planecheck_last_failure_info\{workload_plane="down"/m);
  });

  it('passes promtool check metrics', async () => {
    const board = new StatusBoard(['us-east-1', 'eu-west-1'], 60_000);
    const metrics = new PlanecheckMetrics(board.planes, board);
    const failed = result('eu-west-1', 'FAILED');
    board.update(failed);
    metrics.recordResult(failed);
    metrics.recordDispatch('eu-west-1', 'NO_USER', 'dispatched');
    metrics.recordRun('eu-west-1', 'success');
    metrics.recordOverrun();
    await metrics.refresh();
    const { code, output } = await promtoolCheckMetrics(await textOf(metrics));
    assert.equal(output, '');
    assert.equal(code, 0);
  });
});

describe('PlanecheckMetrics over gzip', () => {
  it('serves one gzip stream from cached parts, and the same text to scrapers without gzip', async () => {
    const board = new StatusBoard(['a', 'b'], 60_000);
    const metrics = new PlanecheckMetrics(board.planes, board);
    const healthy = result('a', 'HEALTHY');
    board.update(healthy);
    metrics.recordResult(healthy);
    await metrics.refresh();
    // Only the process metrics (CPU time, memory) may move between two renders.
    const stable = (text: string) =>
      text
        .split('\n')
        .filter((line) => line.startsWith('planecheck_'))
        .join('\n');
    for (let i = 0; i < 2; i++) {
      const zipped = Buffer.concat(await metrics.render());
      const unzipped = gunzipSync(zipped).toString();
      const plain = Buffer.concat(await metrics.renderText()).toString();
      assert.equal(stable(plain), stable(unzipped));
      assert.match(plain, /^planecheck_status\{workload_plane="a",status="HEALTHY"\} 1$/m);
      assert.match(unzipped, /^process_resident_memory_bytes \d+/m);
      assert.ok(zipped.length < plain.length / 3, 'compressed');
      board.update(result('b', 'NO_USER')); // a status change between rounds rebuilds the cached part
    }
    const { code, output } = await promtoolCheckMetrics(await textOf(metrics));
    assert.equal(output, '');
    assert.equal(code, 0);
  });
});

describe('PlanecheckMetrics refresh', () => {
  it('survives a failed render: reported and counted, and the next refresh renders again', async () => {
    // Another module's registry whose collect() throws once: the render of that refresh fails.
    const extra = new Registry();
    let failNext = false;
    new Gauge({
      name: 'extra_gauge',
      help: 'A gauge owned by another module.',
      registers: [extra],
      collect() {
        if (failNext) {
          failNext = false;
          throw new Error('collect failed');
        }
        this.set(7);
      },
    });
    const errors: unknown[] = [];
    const board = new StatusBoard(['a'], 60_000);
    const metrics = new PlanecheckMetrics(board.planes, board, {
      registries: [extra],
      onRenderError: (error) => errors.push(error),
    });
    await metrics.refresh();

    failNext = true;
    metrics.recordResult(result('a', 'HEALTHY'));
    await metrics.refresh(); // resolves: a failed render is not the caller's failure
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /collect failed/);

    metrics.recordResult(result('a', 'HEALTHY'));
    await metrics.refresh();
    const text = await textOf(metrics);
    assert.match(text, /^planecheck_checks_total\{workload_plane="a",status="HEALTHY"\} 2$/m, 'not frozen');
    assert.match(text, /^planecheck_metrics_render_errors_total 1$/m);
    assert.match(text, /^extra_gauge 7$/m);
    assert.equal(errors.length, 1);
  });

  it('shows a skipped tick while the long cycle that caused it is still running', async () => {
    const board = new StatusBoard(['a'], 60_000);
    const metrics = new PlanecheckMetrics(board.planes, board);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    const scheduler = new CycleScheduler({
      intervalMs: 3_600_000,
      runCycle: async () => {
        started++;
        await held;
      },
      onOverrun: () => metrics.recordOverrun(),
      onError: (error) => assert.fail(String(error)),
      log: createLogger('error', () => undefined),
    });
    assert.match(await textOf(metrics), /^planecheck_cycle_overruns_total 0$/m);
    scheduler.trigger(); // a tick starts a cycle that does not end
    scheduler.trigger(); // the next tick finds it running
    assert.equal(started, 1);
    assert.match(await textOf(metrics), /^planecheck_cycle_overruns_total 1$/m);
    release();
    await scheduler.stop();
  });
});

describe('PlanecheckMetrics after a config reload', () => {
  const stored = (plane: string): StoredResult => ({
    plane,
    status: 'HEALTHY',
    reason: null,
    checkedAt: Date.now(),
    durationMs: 10,
    steps: [{ step: 'user_lookup', outcome: 'ok', durationMs: 5 }],
    checkedBy: 'me',
  });

  it('drops every series of a removed plane, starts an added one at zero, and ignores a late result', async () => {
    const board = new StatusBoard(['a', 'b'], 60_000);
    let labels: Record<string, Record<string, string>> = { a: { team: 'blue' }, b: { team: 'red' } };
    const metrics = new PlanecheckMetrics(board.planes, board, {
      selfHeal: true,
      cacheTtlMs: 60_000,
      inMaintenance: () => false,
      planeLabels: (plane) => labels[plane] ?? {},
    });
    metrics.recordResult(stored('b'));
    metrics.recordDispatch('b', 'NO_USER', 'dispatched');
    await metrics.refresh();
    assert.match(await textOf(metrics), /workload_plane="b"/);

    board.setPlanes(['a', 'c']);
    labels = { a: { team: 'green' }, c: { team: 'blue' } };
    await metrics.setPlanes(['a', 'c']);
    metrics.setCacheTtl(90_000);
    metrics.recordResult(stored('b')); // a check of b that was under way at the reload
    metrics.recordHealOutcome('b', 'fixed');
    await metrics.refresh();
    const text = await textOf(metrics);
    assert.doesNotMatch(text, /workload_plane="b"/);
    assert.match(text, /^planecheck_checks_total\{workload_plane="c",status="HEALTHY"\} 0$/m);
    assert.match(
      text,
      /^planecheck_self_heal_dispatches_total\{workload_plane="c",reason="NO_USER",outcome="dispatched"\} 0$/m,
    );
    assert.match(text, /^planecheck_maintenance\{workload_plane="c"\} 0$/m);
    assert.match(text, /^planecheck_status\{workload_plane="c",status="NO_VALUE"\} 1$/m);
    assert.match(text, /^planecheck_cache_ttl_seconds 90$/m);
    assert.match(text, /^planecheck_plane_info\{workload_plane="a",team="green"\} 1$/m, 'changed labels');
    assert.match(text, /^planecheck_plane_info\{workload_plane="c",team="blue"\} 1$/m);
  });

  it('counts reloads and says whether the last one succeeded, and when one last did', async () => {
    const board = new StatusBoard(['a'], 60_000);
    const metrics = new PlanecheckMetrics(board.planes, board);
    const start = await textOf(metrics);
    assert.match(start, /^planecheck_config_reloads_total\{result="success"\} 0$/m);
    assert.match(start, /^planecheck_config_reloads_total\{result="failure"\} 0$/m);
    assert.match(start, /^planecheck_config_last_reload_success 1$/m, 'the config read at start counts');
    await metrics.recordReload(false, 5_000_000);
    const refused = await textOf(metrics);
    assert.match(refused, /^planecheck_config_last_reload_success 0$/m);
    assert.doesNotMatch(refused, /^planecheck_config_last_reload_success_timestamp_seconds 5000$/m);
    await metrics.recordReload(true, 7_000_000);
    const fixed = await textOf(metrics);
    assert.match(fixed, /^planecheck_config_reloads_total\{result="success"\} 1$/m);
    assert.match(fixed, /^planecheck_config_reloads_total\{result="failure"\} 1$/m);
    assert.match(fixed, /^planecheck_config_last_reload_success 1$/m);
    assert.match(fixed, /^planecheck_config_last_reload_success_timestamp_seconds 7000$/m);
  });
});
