// planecheck's alerting and recording rules, as a function of the mixin config (deploy/mixin/config.yaml).
// scripts/gen-mixin.js turns the result into deploy/prometheus/alerts.yml; edit here, not there.
//
// Conventions:
// - Every daemon rule selects the daemon's job (config.jobSelector), so results the Action pushes to a
//   Pushgateway (config.actionJobSelector) never trigger them; the Action's results have rules of their own.
// - A per-plane alert holds while the plane's latest definite status within [keepPlaneAlertsWhileDown] is
//   its status: a daemon outage or restart (no samples, then NO_VALUE until the first cycle) does not
//   "resolve" broken planes; PlanecheckDown or PlanecheckMetricsAbsent inhibit them in Alertmanager
//   meanwhile (deploy/alertmanager/alertmanager.yml).
// - Fleet mode: every replica serves every plane, so N scraped replicas give N copies of each per-plane
//   series that differ only in config.replicaLabels (instance, pod). Every per-plane and per-job alert
//   aggregates those away and fires once. Plane statuses need the agreement of every replica that is
//   scraped now (a lone lagging or partitioned replica cannot page, a dead one cannot veto); when none
//   is scraped, the freshest view held within [keepPlaneAlertsWhileDown] stands, as for one daemon.
//   Counters are per replica (each counts what it did), so they are summed.
// - Descriptions name the failing step and reason (planecheck_last_failure_info) and link the plane's
//   results on the daemon; never free text in labels.
// - A plane in maintenance (planecheck_maintenance == 1 on any scraped replica) fires none of the alerts
//   about the plane's own state: failed, no user, no oracle, flapping, self-heal. Its NO_VALUE (the check is
//   not running) and its certificate expiry still fire: maintenance does not explain those.

/** `{jobSelector, extra...}` */
function selector(jobSelector, ...matchers) {
  return `{${[jobSelector, ...matchers].filter((m) => m !== '').join(', ')}}`;
}

/** A Go-template raw string (backquotes), so selectors with double quotes need no escaping. */
function raw(text) {
  if (text.includes('`')) throw new Error(`a selector cannot contain a backquote: ${text}`);
  return `\`${text}\``;
}

export function rules(config) {
  const job = config.jobSelector;
  const action = config.actionJobSelector;
  const keep = config.keepPlaneAlertsWhileDown;
  // Replicas differ only in these labels; `without (...)` keeps every other target label (namespace ...).
  const R = config.replicaLabels.join(', ');
  const jobOf = (metric, suffix = '') => raw(`${metric}${selector(job, 'job="%s"')}${suffix}`);
  // Alerts carry no instance: links go to externalUrl, or to a replica Prometheus can scrape (the first
  // by name), or, with none, to the first it knows. Any replica serves every plane.
  const replica =
    `{{ $replica := "" }}{{ with query (printf ${jobOf('up', ' == 1')} $labels.job) | sortByLabel "instance" }}` +
    `{{ $replica = (first .).Labels.instance }}{{ else }}{{ with query (printf ${jobOf('up')} $labels.job) | ` +
    `sortByLabel "instance" }}{{ $replica = (first .).Labels.instance }}{{ end }}{{ end }}`;
  const base = config.externalUrl ? config.externalUrl.replace(/\/+$/, '') : 'http://{{ $replica }}';
  /** Descriptions that link a replica start with the template that picks it. */
  const withReplicaLinks = (result) => {
    for (const rule of result.groups.flatMap((group) => group.rules)) {
      const text = rule.annotations?.description;
      if (text?.includes('{{ $replica }}')) rule.annotations.description = replica + text;
    }
    return result;
  };
  const runbook = (anchor) => config.runbookUrlPattern.replace('%s', anchor);
  // A per-plane alert carries the plane's owner labels (config.planeLabels) from planecheck_plane_info, so
  // Alertmanager routes it by team without those labels on every series. The labels come from the series
  // seen last within the keep window, like the statuses: a daemon outage must not drop `team` from a firing
  // alert (its label set would change: a false "resolved", then a new alert), and after a plane changes
  // owner, the new owner's series is the latest. A plane without the info series still alerts, unlabelled.
  const withPlaneLabels = (result) => {
    if (config.planeLabels.length === 0) return result;
    const info =
      `(\n  topk by (job, workload_plane) (1, max_over_time(timestamp(planecheck_plane_info${selector(job)})[${keep}:]))\n` +
      `  > bool 0\n)`;
    for (const group of result.groups) {
      if (group.name === 'planecheck-action') continue;
      for (const rule of group.rules) {
        if (!rule.alert || !rule.annotations.summary.includes('$labels.workload_plane')) continue;
        rule.expr =
          `(\n${rule.expr}\n)\n* on (job, workload_plane) group_left (${config.planeLabels.join(', ')})\n${info}\n` +
          `or on (job, workload_plane)\n(\n${rule.expr}\n)`;
      }
    }
    return result;
  };
  const planeLinks =
    `Its last results: ${base}/api/v1/planes/{{ $labels.workload_plane }}/history?limit=10 ` +
    `(status page: ${base}/).`;
  // "at step predict (predict_http_500)", from the plane's current failure as one scraped replica reports it.
  const why =
    `{{ range query (printf ${raw(`topk(1, planecheck_last_failure_info${selector(job, 'job="%s"', 'workload_plane="%s"')})`)} ` +
    `$labels.job $labels.workload_plane) }} at step {{ .Labels.step }} ({{ .Labels.reason }}){{ end }}`;
  // A plane's alert holds while its latest *definite* status within the keep window is that status: a
  // daemon outage (no samples) or the NO_VALUE a restarted daemon reports until its first cycle ends never
  // resolves it; only another definite status does (HEALTHY, or a different failure).
  const definite = 'HEALTHY|FAILED|NO_USER|NO_ORACLE';
  const status = (matcher) => `planecheck_status${selector(job, matcher)}`;
  const lastSeen = (statusMatcher) => `max_over_time(timestamp(${status(statusMatcher)} == 1)[${keep}:])`;
  const lastDefinite = (by) => `max by (${by}) (${lastSeen(`status=~"${definite}"`)})`;
  // One replica's vote, for each replica with a definite status in the keep window: 1 when its latest
  // definite status is `s`, else 0 (the left side is 0, not absent, when `s` was not seen at all).
  const vote = (s) =>
    `max_over_time((timestamp(${status(`status="${s}"`)} == 1) or ${status(`status="${s}"`)} * 0)[${keep}:])\n` +
    `  >= bool on (job, instance, workload_plane) group_left ()\n  ${lastDefinite('job, instance, workload_plane')}`;
  // Every replica scraped now agrees (min); with none scraped, the freshest status held in the window.
  const planeStatus = (s) =>
    `(\n  min without (${R}) (\n  ${vote(s)}\n  and ${status(`status="${s}"`)}\n  )\n` +
    `or\n  max without (${R}) (${lastSeen(`status="${s}"`)})\n` +
    `  >= bool on (job, workload_plane) group_left ()\n  ${lastDefinite('job, workload_plane')}\n) == 1`;
  const lastNoValue = `last_over_time(${status('status="NO_VALUE"')}[${keep}])`;
  const noValue =
    `(\n  min without (${R}) (${lastNoValue} and ${status('status="NO_VALUE"')})\n` +
    `or\n  min without (${R}) (${lastNoValue})\n) == 1`;
  // HEALTHY as every scraped replica reports it.
  const healthy = `(min without (${R}) (${status('status="HEALTHY"')}) == 1)`;
  const window = config.selfHealWindow;
  // Counts that went up within the window, per plane. increase() misses two real cases: an event before
  // Prometheus' first scrape (the series' first sample is already 1) and a daemon restart (the counter
  // resets to 0, so increase() over [1 1 0] is 0). The maximum within the window above the value at its
  // start (0 for a series younger than the window) catches both; increase() catches events after a reset.
  // Summed over replicas: each counts only what it did itself.
  const increased = (metric, matchers, grouping) => {
    const series = `${metric}${selector(job, matchers)}`;
    return (
      `(\n  sum ${grouping} (increase(${series}[${window}])) > 0\n  or\n` +
      `  sum ${grouping} (max_over_time(${series}[${window}]) > (${series} offset ${window} or max_over_time(${series}[${window}]) * 0)) > 0\n)`
    );
  };
  const perPlane = `without (${R}, reason, outcome)`;
  // A plane in maintenance (any scraped replica says so: they share it through the store) pages nobody.
  const quietInMaintenance = (expr) =>
    `${expr}\nunless on (job, workload_plane)\n(max without (${R}) (planecheck_maintenance${selector(job)}) == 1)`;
  const up = `up${selector(job)}`;

  return withPlaneLabels(
    withReplicaLinks({
      groups: [
        {
          name: 'planecheck-recording',
          rules: [
            {
              record: 'planecheck:planes:count_by_status',
              // Each plane once, however many replicas serve it.
              expr: `sum by (status) (max without (${R}) (planecheck_status${selector(job)}))`,
            },
            {
              record: 'planecheck:availability:ratio_1h',
              expr:
                `sum by (workload_plane) (increase(planecheck_checks_total${selector(job, 'status="HEALTHY"')}[1h]))\n` +
                `/\nsum by (workload_plane) (increase(planecheck_checks_total${selector(job)}[1h]))`,
            },
          ],
        },
        {
          name: 'planecheck-planes',
          rules: [
            {
              alert: 'PlanecheckPlaneFailed',
              expr: quietInMaintenance(planeStatus('FAILED')),
              for: config.for.failed,
              labels: { severity: 'critical' },
              annotations: {
                summary: 'Workload plane {{ $labels.workload_plane }} cannot serve a prediction',
                description:
                  `planecheck's checks of {{ $labels.workload_plane }} have failed for ${config.for.failed}${why}: ` +
                  `a lookup or a prediction errored or timed out. ${planeLinks}`,
                runbook_url: runbook('failed'),
              },
            },
            {
              alert: 'PlanecheckPlaneNoUser',
              expr: quietInMaintenance(planeStatus('NO_USER')),
              for: config.for.noUser,
              labels: { severity: 'warning' },
              annotations: {
                summary: 'The smoke-test user of {{ $labels.workload_plane }} is missing',
                description:
                  'The control plane says the smoke-test user of {{ $labels.workload_plane }} does not exist, so ' +
                  `the plane is not being checked. Self-heal (when enabled) has had ${config.for.noUser} to ` +
                  `recreate it. ${planeLinks}`,
                runbook_url: runbook('no_user'),
              },
            },
            {
              alert: 'PlanecheckPlaneNoOracle',
              expr: quietInMaintenance(planeStatus('NO_ORACLE')),
              for: config.for.noOracle,
              labels: { severity: 'warning' },
              annotations: {
                summary: 'The health-check model of {{ $labels.workload_plane }} is missing',
                description:
                  'The smoke-test user of {{ $labels.workload_plane }} exists but its health-check model is not ' +
                  `deployed, so the plane is not being checked. Self-heal (when enabled) has had ` +
                  `${config.for.noOracle} to redeploy it. ${planeLinks}`,
                runbook_url: runbook('no_oracle'),
              },
            },
            {
              alert: 'PlanecheckPlaneNoValue',
              expr: noValue,
              for: config.for.noValue,
              labels: { severity: 'warning' },
              annotations: {
                summary: 'No fresh check result for {{ $labels.workload_plane }}',
                description:
                  'planecheck has no result younger than its cache TTL for {{ $labels.workload_plane }}: the ' +
                  `check is not running. This says nothing about the plane itself. ${planeLinks}`,
                runbook_url: runbook('no_value'),
              },
            },
            {
              alert: 'PlanecheckPlaneFlapping',
              // The replica that has watched longest (a restarted one has seen fewer changes).
              expr: quietInMaintenance(
                `max without (${R}) (changes(${status('status="HEALTHY"')}[30m])) >= ${config.flappingChanges}`,
              ),
              for: config.for.flapping,
              labels: { severity: 'warning' },
              annotations: {
                summary: '{{ $labels.workload_plane }} keeps flipping between healthy and not',
                description:
                  '{{ $labels.workload_plane }} changed into or out of HEALTHY {{ $value }} times in 30 minutes: ' +
                  `an intermittent failure that the per-status alerts may never hold long enough to catch. ${planeLinks}`,
                runbook_url: runbook('flapping'),
              },
            },
            {
              alert: 'PlanecheckTlsCertExpiringSoon',
              expr:
                // The latest expiry any replica saw: a renewed certificate only moves it later.
                `max without (${R}) (last_over_time(planecheck_tls_cert_expiry_timestamp_seconds${selector(job)}[${keep}])) - time()` +
                ` < ${durationSeconds(config.tlsCertExpiryWarning)}`,
              for: config.for.tlsCertExpiry,
              labels: { severity: 'warning' },
              annotations: {
                summary:
                  'The TLS certificate of {{ $labels.workload_plane }} expires in {{ $value | humanizeDuration }}',
                description:
                  'The certificate that {{ $labels.workload_plane }} presented to planecheck expires in ' +
                  `{{ $value | humanizeDuration }}: renew it before clients start failing with tls_error. ${planeLinks}`,
                runbook_url: runbook('tls-certificate-expiry'),
              },
            },
          ],
        },
        {
          name: 'planecheck-daemon',
          rules: [
            {
              alert: 'PlanecheckDown',
              // The job's only target (one daemon). A fleet has PlanecheckFleetDown and PlanecheckReplicaDown.
              expr: `${up} == 0\nunless ignoring (${R})\n(count without (${R}) (${up}) > 1)`,
              for: config.for.down,
              labels: { severity: 'critical' },
              annotations: {
                summary: 'Prometheus cannot scrape planecheck on {{ $labels.instance }}',
                description:
                  'The planecheck daemon is down or unreachable; no plane is being checked. Alerts for its ' +
                  'planes keep their last state and are inhibited while this one fires.',
                runbook_url: runbook('daemon-down'),
              },
            },
            {
              alert: 'PlanecheckFleetDown',
              expr: `count without (${R}) (${up}) > 1\nunless\nmax without (${R}) (${up}) > 0`,
              for: config.for.down,
              labels: { severity: 'critical' },
              annotations: {
                summary: 'No planecheck replica of {{ $labels.job }} can be scraped',
                description:
                  'None of the {{ $value }} planecheck replicas of {{ $labels.job }} answers Prometheus: no plane is ' +
                  'being checked. Alerts for the planes keep their last state and are inhibited while this one fires.',
                runbook_url: runbook('daemon-down'),
              },
            },
            {
              alert: 'PlanecheckReplicaDown',
              expr: `${up} == 0\nand ignoring (${R})\n(max without (${R}) (${up}) == 1)`,
              for: config.for.replicaDown,
              labels: { severity: 'warning' },
              annotations: {
                summary: 'planecheck replica {{ $labels.instance }} cannot be scraped; the others carry on',
                description:
                  'Prometheus cannot scrape the planecheck replica {{ $labels.instance }} of {{ $labels.job }}. ' +
                  'The other replicas check its share of the planes once its claims expire, and serve every ' +
                  'plane, so no plane goes unchecked; the fleet has less headroom until it is back.',
                runbook_url: runbook('replica-down'),
              },
            },
            {
              alert: 'PlanecheckStorageDown',
              // Once per job, while any scraped replica cannot reach the store.
              expr: `min without (${R}) (planecheck_storage_up${selector(job)}) == 0`,
              for: config.for.storageDown,
              labels: { severity: 'warning' },
              annotations: {
                summary: "planecheck's store (SQLite or PostgreSQL) does not answer",
                description:
                  `Replicas of {{ $labels.job }} that cannot reach the store:{{ range query (printf ${jobOf('planecheck_storage_up', ' == 0')} $labels.job) | sortByLabel "instance" }} {{ .Labels.instance }}{{ end }}. ` +
                  'They keep checking and serving from memory, make no self-heal dispatch, and write what they ' +
                  'hold once the store is back.',
                runbook_url: runbook('storage-down'),
              },
            },
            {
              alert: 'PlanecheckConfigReloadFailed',
              // Per replica, not aggregated: each replica reloads its own file, and the one that refused it is
              // the one to look at.
              expr: `planecheck_config_last_reload_success${selector(job)} == 0`,
              for: config.for.configReloadFailed,
              labels: { severity: 'warning' },
              annotations: {
                summary: 'planecheck refused its new config and runs on the previous one',
                description:
                  'The last config reload of {{ $labels.instance }} ({{ $labels.job }}) was refused: the file is ' +
                  'invalid, or changes a setting only a restart applies. It keeps running on the config it had, ' +
                  'so what the file says now (planes added or removed, settings) is not in effect. Its log and ' +
                  'stderr say why ("config reload refused").',
                runbook_url: runbook('config-reload-failed'),
              },
            },
            {
              alert: 'PlanecheckMetricsAbsent',
              expr: `absent(planecheck_cycles_total${selector(job)})`,
              for: config.for.metricsAbsent,
              labels: { severity: 'critical' },
              annotations: {
                summary: 'No planecheck metrics in Prometheus',
                description:
                  `No series planecheck_cycles_total${selector(job)} exists: planecheck is not running, or ` +
                  'Prometheus does not scrape it (scrape config, service discovery, network policy).',
                runbook_url: runbook('daemon-down'),
              },
            },
            {
              alert: 'PlanecheckChecksStopped',
              expr:
                // The freshest check any replica reports.
                `time() - max without (${R}) (planecheck_last_check_timestamp_seconds${selector(job)})\n` +
                `> ignoring (workload_plane) group_left ()\nmax without (${R}) (planecheck_cache_ttl_seconds${selector(job)})`,
              for: config.for.checksStopped,
              labels: { severity: 'warning' },
              annotations: {
                summary: 'planecheck stopped checking {{ $labels.workload_plane }}',
                description:
                  'The last check of {{ $labels.workload_plane }} finished {{ $value | humanizeDuration }} ago, ' +
                  "longer than planecheck's cache TTL (planecheck_cache_ttl_seconds): the daemon runs but its " +
                  `cycles do not complete. Cycles: ${base}/api/v1/status`,
                runbook_url: runbook('checks-stopped'),
              },
            },
          ],
        },
        {
          name: 'planecheck-self-heal',
          rules: [
            {
              alert: 'PlanecheckSelfHealStillBroken',
              expr: quietInMaintenance(
                `${increased('planecheck_self_heal_outcomes_total', 'outcome="still_broken"', perPlane)}\n` +
                  `unless on (job, workload_plane)\n${healthy}`,
              ),
              labels: { severity: 'critical' },
              annotations: {
                summary: 'Self-heal ran for {{ $labels.workload_plane }}, and the plane is still broken',
                description:
                  'The smoke-test workflow completed successfully for {{ $labels.workload_plane }}, but the ' +
                  `re-check right after it did not come back HEALTHY${why}. The repair does not fix what is ` +
                  `wrong. The run and its outcome: ${base}/api/v1/status (selfHeal of {{ $labels.workload_plane }}).`,
                runbook_url: runbook('self-heal-still-broken'),
              },
            },
            {
              alert: 'PlanecheckSelfHealFailing',
              // Two kinds, told apart by the `failure` label: GitHub refused the dispatch, or the run failed.
              expr:
                '(\n' +
                `label_replace(${increased('planecheck_self_heal_dispatches_total', 'outcome=~"error|rate_limited"', perPlane)}, "failure", "dispatch", "", "")\n` +
                'or\n' +
                `label_replace(${increased('planecheck_self_heal_outcomes_total', 'outcome=~"workflow_failed|timed_out"', perPlane)}, "failure", "run", "", "")\n` +
                ')\n' +
                quietInMaintenance(`unless on (job, workload_plane)\n${healthy}`),
              labels: { severity: 'warning' },
              annotations: {
                summary:
                  'Self-heal is failing for {{ $labels.workload_plane }}: {{ if eq $labels.failure "dispatch" }}' +
                  'GitHub refused the dispatch{{ else }}the smoke-test run failed{{ end }}',
                description:
                  '{{ if eq $labels.failure "dispatch" }}Dispatching the smoke-test workflow for ' +
                  '{{ $labels.workload_plane }} failed (GitHub errors or rate limits): check the credentials and ' +
                  "planecheck's log.{{ else }}The smoke-test run for {{ $labels.workload_plane }} failed or never " +
                  'finished: read the run.{{ end }} Missing users and models are not being repaired. The run ' +
                  `links and errors: ${base}/api/v1/status (selfHeal of {{ $labels.workload_plane }}). ` +
                  'Resolves once the plane is HEALTHY.',
                runbook_url: runbook('self-heal-failing'),
              },
            },
            {
              alert: 'PlanecheckSelfHealHeld',
              expr: `sum without (${R}, workload_plane, reason, outcome) (increase(planecheck_self_heal_dispatches_total${selector(job, 'outcome="held"')}[15m])) > 0`,
              labels: { severity: 'critical' },
              annotations: {
                summary: 'Self-heal is holding repairs for a human',
                description:
                  'More planes needed a repair at once than selfHeal.maxPlanesAtOnce allows, which looks like ' +
                  `one incident rather than many: planecheck dispatched nothing for them. ${base}/api/v1/status`,
                runbook_url: runbook('self-heal-held'),
              },
            },
          ],
        },
        {
          name: 'planecheck-action',
          rules: [
            {
              alert: 'PlanecheckActionPlaneUnhealthy',
              // Only results pushed within actionStaleAfter count: a stale push is PlanecheckActionStale's.
              expr:
                `planecheck_status${selector(action, 'status=~"FAILED|NO_USER|NO_ORACLE"')} == 1\n` +
                `and on (job, instance, plane_set)\n` +
                `(time() - push_time_seconds${selector(action)} < ${durationSeconds(config.actionStaleAfter)})`,
              labels: { severity: 'warning' },
              annotations: {
                summary: 'The planecheck Action found {{ $labels.workload_plane }} {{ $labels.status }}',
                description:
                  'The last scheduled planecheck run of {{ $labels.instance }} found {{ $labels.workload_plane }} ' +
                  'in {{ $labels.status }}. The job summary of that workflow run has the reason and steps.',
                runbook_url: runbook('action-results'),
              },
            },
            {
              alert: 'PlanecheckActionStale',
              expr: `time() - push_time_seconds${selector(action)} > ${durationSeconds(config.actionStaleAfter)}`,
              labels: { severity: 'warning' },
              annotations: {
                summary:
                  'No planecheck Action results from {{ $labels.instance }} for {{ $value | humanizeDuration }}',
                description:
                  'The planecheck Action of {{ $labels.instance }} (plane set {{ $labels.plane_set }}) last pushed ' +
                  `{{ $value | humanizeDuration }} ago, longer than ${config.actionStaleAfter}: its workflow no longer ` +
                  'runs on schedule. If that job was retired, delete its group from the Pushgateway.',
                runbook_url: runbook('action-results'),
              },
            },
          ],
        },
      ],
    }),
  );
}

/** Seconds in a Prometheus duration such as `90s`, `2h`, `14d` or `1h30m`. */
export function durationSeconds(duration) {
  const units = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  const parts = [...String(duration).matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== String(duration))
    throw new Error(`not a Prometheus duration: "${duration}"`);
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit], 0);
}
