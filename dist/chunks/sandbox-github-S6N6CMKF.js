import {
  parseJson,
  readBody
} from "./chunk-3XGJQAAQ.js";

// src/sandbox/sandbox-github.ts
import { createPublicKey, createVerify, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { Ajv } from "ajv";

// src/sandbox/github-openapi.json
var github_openapi_default = {
  source: "@octokit/openapi@23.0.2 generated/api.github.com.deref.json",
  operations: {
    "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches": {
      operationId: "actions/create-workflow-dispatch",
      parameters: [
        {
          name: "owner",
          in: "path",
          required: true,
          schema: {
            type: "string"
          }
        },
        {
          name: "repo",
          in: "path",
          required: true,
          schema: {
            type: "string"
          }
        },
        {
          name: "workflow_id",
          in: "path",
          required: true,
          schema: {
            oneOf: [
              {
                type: "integer"
              },
              {
                type: "string"
              }
            ]
          }
        }
      ],
      requestBody: {
        type: "object",
        properties: {
          ref: {
            type: "string",
            description: "The git reference for the workflow. The reference can be a branch or tag name."
          },
          inputs: {
            type: "object",
            description: "Input keys and values configured in the workflow file. The maximum number of properties is 25. Any default properties configured in the workflow file will be used when `inputs` are omitted.",
            additionalProperties: true,
            maxProperties: 25
          },
          return_run_details: {
            type: "boolean",
            description: "Whether the response should include the workflow run ID and URLs."
          }
        },
        required: ["ref"]
      },
      requestBodyRequired: true
    },
    "GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs": {
      operationId: "actions/list-workflow-runs",
      parameters: [
        {
          name: "owner",
          in: "path",
          required: true,
          schema: {
            type: "string"
          }
        },
        {
          name: "repo",
          in: "path",
          required: true,
          schema: {
            type: "string"
          }
        },
        {
          name: "workflow_id",
          in: "path",
          required: true,
          schema: {
            oneOf: [
              {
                type: "integer"
              },
              {
                type: "string"
              }
            ]
          }
        },
        {
          name: "actor",
          in: "query",
          required: false,
          schema: {
            type: "string"
          }
        },
        {
          name: "branch",
          in: "query",
          required: false,
          schema: {
            type: "string"
          }
        },
        {
          name: "event",
          in: "query",
          required: false,
          schema: {
            type: "string"
          }
        },
        {
          name: "status",
          in: "query",
          required: false,
          schema: {
            type: "string",
            enum: [
              "completed",
              "action_required",
              "cancelled",
              "failure",
              "neutral",
              "skipped",
              "stale",
              "success",
              "timed_out",
              "in_progress",
              "queued",
              "requested",
              "waiting",
              "pending"
            ]
          }
        },
        {
          name: "per_page",
          in: "query",
          required: false,
          schema: {
            type: "integer",
            default: 30
          }
        },
        {
          name: "page",
          in: "query",
          required: false,
          schema: {
            type: "integer",
            default: 1
          }
        },
        {
          name: "created",
          in: "query",
          required: false,
          schema: {
            type: "string",
            format: "date-time"
          }
        },
        {
          name: "exclude_pull_requests",
          in: "query",
          required: false,
          schema: {
            type: "boolean",
            default: false
          }
        },
        {
          name: "check_suite_id",
          in: "query",
          required: false,
          schema: {
            type: "integer",
            format: "int64"
          }
        },
        {
          name: "head_sha",
          in: "query",
          required: false,
          schema: {
            type: "string"
          }
        }
      ],
      requestBody: null,
      requestBodyRequired: false
    },
    "GET /repos/{owner}/{repo}/actions/runs/{run_id}": {
      operationId: "actions/get-workflow-run",
      parameters: [
        {
          name: "owner",
          in: "path",
          required: true,
          schema: {
            type: "string"
          }
        },
        {
          name: "repo",
          in: "path",
          required: true,
          schema: {
            type: "string"
          }
        },
        {
          name: "run_id",
          in: "path",
          required: true,
          schema: {
            type: "integer"
          }
        },
        {
          name: "exclude_pull_requests",
          in: "query",
          required: false,
          schema: {
            type: "boolean",
            default: false
          }
        }
      ],
      requestBody: null,
      requestBodyRequired: false
    },
    "POST /app/installations/{installation_id}/access_tokens": {
      operationId: "apps/create-installation-access-token",
      parameters: [
        {
          name: "installation_id",
          in: "path",
          required: true,
          schema: {
            type: "integer"
          }
        }
      ],
      requestBody: {
        type: "object",
        properties: {
          repositories: {
            description: "List of repository names that the token should have access to",
            type: "array",
            items: {
              type: "string",
              example: "rails"
            }
          },
          repository_ids: {
            description: "List of repository IDs that the token should have access to",
            example: [1],
            type: "array",
            items: {
              type: "integer"
            }
          },
          permissions: {
            title: "App Permissions",
            type: "object",
            description: "The permissions granted to the fine-grained access token.",
            properties: {
              actions: {
                type: "string",
                description: "The level of permission to grant the access token for GitHub Actions workflows, workflow runs, and artifacts.",
                enum: ["read", "write"]
              },
              administration: {
                type: "string",
                description: "The level of permission to grant the access token for repository creation, deletion, settings, teams, and collaborators creation.",
                enum: ["read", "write"]
              },
              artifact_metadata: {
                type: "string",
                description: "The level of permission to grant the access token to create and retrieve build artifact metadata records.",
                enum: ["read", "write"]
              },
              attestations: {
                type: "string",
                description: "The level of permission to create and retrieve the access token for repository attestations.",
                enum: ["read", "write"]
              },
              checks: {
                type: "string",
                description: "The level of permission to grant the access token for checks on code.",
                enum: ["read", "write"]
              },
              code_quality: {
                type: "string",
                description: "The level of permission to grant the access token to view and manage code quality data.",
                enum: ["read", "write"]
              },
              codespaces: {
                type: "string",
                description: "The level of permission to grant the access token to create, edit, delete, and list Codespaces.",
                enum: ["read", "write"]
              },
              contents: {
                type: "string",
                description: "The level of permission to grant the access token for repository contents, commits, branches, downloads, releases, and merges.",
                enum: ["read", "write"]
              },
              dependabot_secrets: {
                type: "string",
                description: "The level of permission to grant the access token to manage Dependabot secrets.",
                enum: ["read", "write"]
              },
              deployments: {
                type: "string",
                description: "The level of permission to grant the access token for deployments and deployment statuses.",
                enum: ["read", "write"]
              },
              discussions: {
                type: "string",
                description: "The level of permission to grant the access token for discussions and related comments and labels.",
                enum: ["read", "write"]
              },
              environments: {
                type: "string",
                description: "The level of permission to grant the access token for managing repository environments.",
                enum: ["read", "write"]
              },
              issues: {
                type: "string",
                description: "The level of permission to grant the access token for issues and related comments, assignees, labels, and milestones.",
                enum: ["read", "write"]
              },
              merge_queues: {
                type: "string",
                description: "The level of permission to grant the access token to manage the merge queues for a repository.",
                enum: ["read", "write"]
              },
              metadata: {
                type: "string",
                description: "The level of permission to grant the access token to search repositories, list collaborators, and access repository metadata.",
                enum: ["read", "write"]
              },
              packages: {
                type: "string",
                description: "The level of permission to grant the access token for packages published to GitHub Packages.",
                enum: ["read", "write"]
              },
              pages: {
                type: "string",
                description: "The level of permission to grant the access token to retrieve Pages statuses, configuration, and builds, as well as create new builds.",
                enum: ["read", "write"]
              },
              pull_requests: {
                type: "string",
                description: "The level of permission to grant the access token for pull requests and related comments, assignees, labels, milestones, and merges.",
                enum: ["read", "write"]
              },
              repository_custom_properties: {
                type: "string",
                description: "The level of permission to grant the access token to view and edit custom properties for a repository, when allowed by the property.",
                enum: ["read", "write"]
              },
              repository_hooks: {
                type: "string",
                description: "The level of permission to grant the access token to manage the post-receive hooks for a repository.",
                enum: ["read", "write"]
              },
              repository_projects: {
                type: "string",
                description: "The level of permission to grant the access token to manage repository projects, columns, and cards.",
                enum: ["read", "write", "admin"]
              },
              secret_scanning_alerts: {
                type: "string",
                description: "The level of permission to grant the access token to view and manage secret scanning alerts.",
                enum: ["read", "write"]
              },
              secrets: {
                type: "string",
                description: "The level of permission to grant the access token to manage repository secrets.",
                enum: ["read", "write"]
              },
              security_events: {
                type: "string",
                description: "The level of permission to grant the access token to view and manage security events like code scanning alerts.",
                enum: ["read", "write"]
              },
              single_file: {
                type: "string",
                description: "The level of permission to grant the access token to manage just a single file.",
                enum: ["read", "write"]
              },
              statuses: {
                type: "string",
                description: "The level of permission to grant the access token for commit statuses.",
                enum: ["read", "write"]
              },
              vulnerability_alerts: {
                type: "string",
                description: "The level of permission to grant the access token to manage Dependabot alerts.",
                enum: ["read", "write"]
              },
              workflows: {
                type: "string",
                description: "The level of permission to grant the access token to update GitHub Actions workflow files.",
                enum: ["write"]
              },
              custom_properties_for_organizations: {
                type: "string",
                description: "The level of permission to grant the access token to view and edit custom properties for an organization, when allowed by the property.",
                enum: ["read", "write"]
              },
              members: {
                type: "string",
                description: "The level of permission to grant the access token for organization teams and members.",
                enum: ["read", "write"]
              },
              organization_administration: {
                type: "string",
                description: "The level of permission to grant the access token to manage access to an organization.",
                enum: ["read", "write"]
              },
              organization_custom_roles: {
                type: "string",
                description: "The level of permission to grant the access token for custom repository roles management.",
                enum: ["read", "write"]
              },
              organization_custom_org_roles: {
                type: "string",
                description: "The level of permission to grant the access token for custom organization roles management.",
                enum: ["read", "write"]
              },
              organization_custom_properties: {
                type: "string",
                description: "The level of permission to grant the access token for repository custom properties management at the organization level.",
                enum: ["read", "write", "admin"]
              },
              organization_copilot_seat_management: {
                type: "string",
                description: "The level of permission to grant the access token for managing access to GitHub Copilot for members of an organization with a Copilot Business subscription. This property is in public preview and is subject to change.",
                enum: ["read", "write"]
              },
              organization_copilot_agent_settings: {
                type: "string",
                description: "The level of permission to grant the access token to view and manage Copilot cloud agent settings for an organization.",
                enum: ["read", "write"]
              },
              organization_announcement_banners: {
                type: "string",
                description: "The level of permission to grant the access token to view and manage announcement banners for an organization.",
                enum: ["read", "write"]
              },
              organization_events: {
                type: "string",
                description: "The level of permission to grant the access token to view events triggered by an activity in an organization.",
                enum: ["read"]
              },
              organization_hooks: {
                type: "string",
                description: "The level of permission to grant the access token to manage the post-receive hooks for an organization.",
                enum: ["read", "write"]
              },
              organization_personal_access_tokens: {
                type: "string",
                description: "The level of permission to grant the access token for viewing and managing fine-grained personal access token requests to an organization.",
                enum: ["read", "write"]
              },
              organization_personal_access_token_requests: {
                type: "string",
                description: "The level of permission to grant the access token for viewing and managing fine-grained personal access tokens that have been approved by an organization.",
                enum: ["read", "write"]
              },
              organization_plan: {
                type: "string",
                description: "The level of permission to grant the access token for viewing an organization's plan.",
                enum: ["read"]
              },
              organization_projects: {
                type: "string",
                description: "The level of permission to grant the access token to manage organization projects and projects public preview (where available).",
                enum: ["read", "write", "admin"]
              },
              organization_packages: {
                type: "string",
                description: "The level of permission to grant the access token for organization packages published to GitHub Packages.",
                enum: ["read", "write"]
              },
              organization_secrets: {
                type: "string",
                description: "The level of permission to grant the access token to manage organization secrets.",
                enum: ["read", "write"]
              },
              organization_self_hosted_runners: {
                type: "string",
                description: "The level of permission to grant the access token to view and manage GitHub Actions self-hosted runners available to an organization.",
                enum: ["read", "write"]
              },
              organization_user_blocking: {
                type: "string",
                description: "The level of permission to grant the access token to view and manage users blocked by the organization.",
                enum: ["read", "write"]
              },
              email_addresses: {
                type: "string",
                description: "The level of permission to grant the access token to manage the email addresses belonging to a user.",
                enum: ["read", "write"]
              },
              followers: {
                type: "string",
                description: "The level of permission to grant the access token to manage the followers belonging to a user.",
                enum: ["read", "write"]
              },
              git_ssh_keys: {
                type: "string",
                description: "The level of permission to grant the access token to manage git SSH keys.",
                enum: ["read", "write"]
              },
              gpg_keys: {
                type: "string",
                description: "The level of permission to grant the access token to view and manage GPG keys belonging to a user.",
                enum: ["read", "write"]
              },
              interaction_limits: {
                type: "string",
                description: "The level of permission to grant the access token to view and manage interaction limits on a repository.",
                enum: ["read", "write"]
              },
              profile: {
                type: "string",
                description: "The level of permission to grant the access token to manage the profile settings belonging to a user.",
                enum: ["write"]
              },
              starring: {
                type: "string",
                description: "The level of permission to grant the access token to list and manage repositories a user is starring.",
                enum: ["read", "write"]
              },
              enterprise_custom_properties_for_organizations: {
                type: "string",
                description: "The level of permission to grant the access token for organization custom properties management at the enterprise level.",
                enum: ["read", "write", "admin"]
              }
            },
            example: {
              contents: "read",
              issues: "read",
              deployments: "write",
              single_file: "read"
            }
          }
        }
      },
      requestBodyRequired: false
    }
  }
};

// src/sandbox/sandbox-github.ts
var DEFAULT_RUN_NAME = (inputs) => `Production smoke test plane=${inputs.workload_plane ?? ""} [${inputs.correlation_id ?? ""}]`;
var SandboxGithub = class {
  #options;
  #server;
  #runs = /* @__PURE__ */ new Map();
  #requests = [];
  #installationTokens = /* @__PURE__ */ new Map();
  #faults = [];
  #validateDispatch;
  #publicKey;
  /** Awaited before each API request is handled (admin calls excluded): a test can watch or hold requests. */
  onRequest;
  #nextRunId = 1e3;
  #url = "";
  tokensMinted = 0;
  constructor(options) {
    this.#options = { ...options };
    const ajv = new Ajv({ strict: false, allErrors: true });
    const dispatch = github_openapi_default.operations["POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches"];
    this.#validateDispatch = ajv.compile(dispatch.requestBody ?? {});
    this.#publicKey = options.app ? createPublicKey(options.app.publicKey) : void 0;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch(() => {
        if (!res.headersSent) send(res, 500, { message: "sandbox error" });
      });
    });
  }
  async start(port = 0, host = "127.0.0.1") {
    await new Promise((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(port, host, () => resolve());
    });
    this.#url = `http://${host}:${this.#server.address().port}`;
    return this.#url;
  }
  get url() {
    return this.#url;
  }
  /** Every API request so far (admin calls excluded). */
  get requests() {
    return this.#requests;
  }
  get runs() {
    return [...this.#runs.values()].map((run) => ({
      id: run.id,
      title: run.title,
      status: run.status,
      inputs: run.inputs
    }));
  }
  injectFault(fault) {
    this.#faults.push({ ...fault });
  }
  configure(patch) {
    Object.assign(this.#options, patch);
  }
  async close() {
    for (const run of this.#runs.values()) run.timers.forEach(clearTimeout);
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(() => resolve()));
  }
  async #handle(req, res) {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const raw = await readBody(req);
    if (parts[0] === "admin") return this.#admin(req, res, parts.slice(1), raw);
    await this.onRequest?.({
      method: req.method ?? "",
      path: url.pathname + url.search,
      remotePort: req.socket.remotePort
    });
    const record = {
      method: req.method ?? "",
      path: url.pathname + url.search,
      at: Date.now(),
      auth: "none",
      status: 0
    };
    this.#requests.push(record);
    const reply = (status, body, headers = {}) => {
      record.status = status;
      send(res, status, body, headers);
    };
    const fault = this.#faults[0];
    if (fault) {
      if (--fault.count <= 0) this.#faults.shift();
      const headers = {};
      if (fault.primaryRateLimit) {
        headers["x-ratelimit-remaining"] = "0";
        headers["x-ratelimit-reset"] = String(Math.ceil(Date.now() / 1e3) + (fault.retryAfter ?? 1));
      } else if (fault.retryAfter !== void 0) headers["retry-after"] = String(fault.retryAfter);
      const message = fault.secondaryRateLimit ? "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." : fault.primaryRateLimit ? "API rate limit exceeded for installation." : fault.status >= 500 ? "Server Error" : fault.status === 429 ? "Too Many Requests" : "Forbidden";
      return reply(fault.status, { message }, headers);
    }
    if (req.method === "POST" && parts[0] === "app" && parts[1] === "installations" && parts[3] === "access_tokens") {
      record.auth = "jwt";
      const app = this.#options.app;
      if (!app || Number(parts[2]) !== app.installationId) return reply(404, { message: "Not Found" });
      const jwtError = this.#verifyJwt(bearer(req.headers.authorization));
      if (jwtError) return reply(401, { message: `A JSON web token could not be decoded: ${jwtError}` });
      const token = `ghs_${randomBytes(18).toString("hex")}`;
      const expiresAt = Date.now() + (app.tokenLifetimeMs ?? 36e5);
      this.#installationTokens.set(token, expiresAt);
      this.tokensMinted++;
      return reply(201, {
        token,
        expires_at: new Date(expiresAt).toISOString(),
        permissions: { actions: "write", metadata: "read" },
        repository_selection: "selected"
      });
    }
    const auth = this.#authenticate(req.headers.authorization);
    record.auth = auth;
    if (auth === "none") return reply(401, { message: "Bad credentials" });
    if (parts[0] !== "repos" || parts[3] !== "actions" || !parts[1] || !parts[2])
      return reply(404, { message: "Not Found" });
    const [owner, repo] = [parts[1], parts[2]];
    if (req.method === "POST" && parts[4] === "workflows" && parts[6] === "dispatches" && parts[5]) {
      const body = parseJson(raw);
      record.body = body;
      if (!this.#validateDispatch(body)) {
        return reply(422, {
          message: "Invalid request.",
          errors: this.#validateDispatch.errors?.map((e) => e.message)
        });
      }
      const dispatch = body;
      if (dispatch.return_run_details !== void 0 && this.#options.runDetails === "reject") {
        return reply(422, { message: 'Invalid request.\n\n"return_run_details" is not a permitted key.' });
      }
      const inputs = Object.fromEntries(
        Object.entries(dispatch.inputs ?? {}).map(([k, v]) => [k, String(v)])
      );
      const declared = this.#options.workflowInputs;
      const unexpected = declared ? Object.keys(inputs).filter((name) => !declared.includes(name)) : [];
      if (unexpected.length > 0)
        return reply(422, { message: `Unexpected inputs provided: ${JSON.stringify(unexpected)}` });
      const run = this.#startRun(owner, repo, parts[5], dispatch.ref, inputs);
      if (dispatch.return_run_details && this.#options.runDetails !== "no_content") {
        return reply(200, {
          workflow_run_id: run.id,
          run_url: this.#apiRunUrl(run),
          html_url: this.#htmlRunUrl(run)
        });
      }
      return reply(204);
    }
    if (req.method === "GET" && parts[4] === "workflows" && parts[6] === "runs" && parts[5]) {
      const workflow = parts[5];
      const created = url.searchParams.get("created");
      const since = created?.startsWith(">=") ? Date.parse(created.slice(2)) : 0;
      if (created && !Number.isFinite(since)) return reply(422, { message: "Invalid created filter" });
      const event = url.searchParams.get("event");
      const runs = [...this.#runs.values()].filter((run) => run.owner === owner && run.repo === repo && run.workflow === workflow).filter(
        (run) => (event === null || event === "workflow_dispatch") && run.createdAt >= Math.floor(since / 1e3) * 1e3
      ).sort((a, b) => b.createdAt - a.createdAt).slice(0, Number(url.searchParams.get("per_page") ?? 30));
      return reply(200, { total_count: runs.length, workflow_runs: runs.map((run) => this.#runJson(run)) });
    }
    if (req.method === "GET" && parts[4] === "runs" && parts[5] && parts.length === 6) {
      const run = this.#runs.get(Number(parts[5]));
      if (!run || run.owner !== owner || run.repo !== repo) return reply(404, { message: "Not Found" });
      return reply(200, this.#runJson(run));
    }
    return reply(404, { message: "Not Found" });
  }
  #startRun(owner, repo, workflow, ref, inputs) {
    const queuedMs = this.#options.queuedMs ?? 500;
    const runMs = this.#options.runMs ?? 1e3;
    const run = {
      id: this.#nextRunId++,
      owner,
      repo,
      workflow,
      ref,
      inputs,
      title: (this.#options.runName ?? DEFAULT_RUN_NAME)(inputs),
      createdAt: Date.now(),
      conclusion: this.#options.conclusion ?? "success",
      timers: [],
      status: "queued"
    };
    run.timers.push(
      setTimeout(() => run.status = "in_progress", queuedMs),
      setTimeout(() => {
        if (run.conclusion === "success") this.#options.onRunSucceeded?.(inputs);
        run.status = "completed";
      }, queuedMs + runMs)
    );
    this.#runs.set(run.id, run);
    return run;
  }
  #runJson(run) {
    return {
      id: run.id,
      name: "Production smoke test",
      display_title: run.title,
      event: "workflow_dispatch",
      status: run.status,
      conclusion: run.status === "completed" ? run.conclusion : null,
      head_branch: run.ref,
      path: `.github/workflows/${run.workflow}`,
      created_at: new Date(run.createdAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
      url: this.#apiRunUrl(run),
      html_url: this.#htmlRunUrl(run)
    };
  }
  #apiRunUrl(run) {
    return `${this.#url}/repos/${run.owner}/${run.repo}/actions/runs/${run.id}`;
  }
  #htmlRunUrl(run) {
    return `${this.#url}/${run.owner}/${run.repo}/actions/runs/${run.id}`;
  }
  #authenticate(header) {
    const credential = bearer(header);
    if (credential === void 0) return "none";
    if (this.#options.token !== void 0 && credential === this.#options.token) return "token";
    const expiresAt = this.#installationTokens.get(credential);
    if (expiresAt !== void 0 && expiresAt > Date.now()) return "installation-token";
    return "none";
  }
  /** Checks an RS256 JWT as GitHub does for apps: signature, issuer and times. Returns what is wrong. */
  #verifyJwt(jwt) {
    const app = this.#options.app;
    if (!jwt || !app || !this.#publicKey) return "missing";
    const [header, payload, signature] = jwt.split(".");
    if (!header || !payload || !signature) return "malformed";
    const verifier = createVerify("RSA-SHA256");
    verifier.update(`${header}.${payload}`);
    if (!verifier.verify(this.#publicKey, Buffer.from(signature, "base64url"))) return "bad signature";
    const claims = parseJson(Buffer.from(payload, "base64url").toString("utf8"));
    const now = Date.now() / 1e3;
    if (String(claims?.iss) !== String(app.appId)) return "wrong issuer";
    if (typeof claims?.exp !== "number" || claims.exp < now) return "expired";
    if (typeof claims.iat !== "number" || claims.iat > now + 60) return "issued in the future";
    return void 0;
  }
  #admin(req, res, parts, raw) {
    if (req.method === "GET" && parts[0] === "requests") return send(res, 200, this.#requests);
    if (req.method === "GET" && parts[0] === "runs") return send(res, 200, this.runs);
    if (req.method === "POST" && parts[0] === "faults") {
      const fault = parseJson(raw);
      if (!fault || ![403, 429, 500, 502, 503].includes(fault.status) || !(fault.count > 0)) {
        return send(res, 400, {
          message: 'expected {"status": 403|429|500|502|503, "count": N, "retryAfter"?, "secondaryRateLimit"?, "primaryRateLimit"?}'
        });
      }
      this.injectFault(fault);
      return send(res, 200, { queued: this.#faults.length });
    }
    if (req.method === "PUT" && parts[0] === "config") {
      const patch = parseJson(raw);
      if (!patch) return send(res, 400, { message: "expected JSON" });
      this.configure(patch);
      return send(res, 200, { ok: true });
    }
    return send(res, 404, { message: "Not Found" });
  }
};
function bearer(header) {
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header ?? "");
  return match?.[1];
}
function send(res, status, body, headers = {}) {
  const text = body === void 0 ? "" : JSON.stringify(body);
  res.writeHead(status, {
    ...body === void 0 ? {} : { "content-type": "application/json; charset=utf-8" },
    "content-length": Buffer.byteLength(text),
    ...headers
  });
  res.end(text);
}
export {
  SandboxGithub
};
