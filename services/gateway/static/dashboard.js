// The supervisor dashboard: signs in with the account SID and token (kept in sessionStorage, for
// this tab only), then reads the public API: the live statistics stream for the queues, the
// queue statistics for p90 wait and service level, the workers and live tasks for the workers.
"use strict";

const SERVICE_LEVEL_SECONDS = 20;
const CHART_SECONDS = 300;
const CUMULATIVE_REFRESH_MS = 15000;
const WORKERS_REFRESH_MS = 1000;

const state = {
  credentials: null, workspaceSid: "", activities: [], queues: [], history: new Map(),
  cumulative: new Map(), stream: null, workersDue: 0, workersTimer: 0, cumulativeTimer: 0,
};

const byId = (id) => document.getElementById(id);

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

async function api(method, path, body) {
  const { accountSid, authToken } = state.credentials;
  const response = await fetch(path, {
    method, credentials: "omit",  // no browser sign-in prompt on a 401: the page shows the error
    headers: { Authorization: "Basic " + btoa(`${accountSid}:${authToken}`), "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(payload.message || `HTTP ${response.status}`);
  return payload.data;
}

function seconds(value) {
  if (!Number.isFinite(value) || value <= 0) return "0s";
  if (value < 10) return `${value.toFixed(1)}s`;
  if (value < 60) return `${Math.round(value)}s`;
  const minutes = Math.floor(value / 60);
  return minutes < 60 ? `${minutes}m ${Math.round(value % 60)}s` : `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

function waiting(realtime) {
  return realtime.tasksByStatus.pending + realtime.tasksByStatus.reserved;
}

// --- signing in ------------------------------------------------------------------------------

async function signIn(credentials) {
  state.credentials = credentials;
  const workspaces = (await api("GET", "/taskrouter/workspaces/search?pageSize=1000")).result;
  sessionStorage.setItem("taskrouter.credentials", JSON.stringify(credentials));
  byId("sign-in").hidden = true;
  byId("sign-out").hidden = false;
  const select = byId("workspace");
  select.replaceChildren(...workspaces.map((ws) => element("option", { value: ws.sid, text: ws.name })));
  byId("pick").hidden = workspaces.length === 0;
  const wanted = new URLSearchParams(location.search).get("workspaceSid")
    || sessionStorage.getItem("taskrouter.workspace");
  if (workspaces.some((ws) => ws.sid === wanted)) select.value = wanted;
  if (workspaces.length) await openWorkspace(select.value);
  else byId("connection").textContent = "no workspace yet";
}

function signOut() {
  sessionStorage.clear();
  closeWorkspace();
  state.credentials = null;
  location.reload();
}

// --- the board -------------------------------------------------------------------------------

async function openWorkspace(workspaceSid) {
  closeWorkspace();
  state.workspaceSid = workspaceSid;
  sessionStorage.setItem("taskrouter.workspace", workspaceSid);
  state.activities = (await api("GET", `/taskrouter/activities/search?workspaceSid=${workspaceSid}&pageSize=1000`))
    .result;
  byId("board").hidden = false;
  listen(workspaceSid);
  refreshCumulative();
  state.cumulativeTimer = setInterval(refreshCumulative, CUMULATIVE_REFRESH_MS);
  refreshWorkers();
}

function closeWorkspace() {
  if (state.stream) state.stream.abort();
  state.stream = null;
  clearInterval(state.cumulativeTimer);
  clearTimeout(state.workersTimer);
  state.history.clear();
  state.cumulative.clear();
}

// The statistics stream is Server-Sent Events; fetch reads it so the Authorization header goes along.
async function listen(workspaceSid) {
  const controller = new AbortController();
  state.stream = controller;
  const { accountSid, authToken } = state.credentials;
  while (!controller.signal.aborted) {
    try {
      const response = await fetch(`/taskrouter/statistics/stream?workspaceSid=${workspaceSid}`, {
        headers: { Authorization: "Basic " + btoa(`${accountSid}:${authToken}`) }, credentials: "omit",
        signal: controller.signal,
      });
      if (!response.ok) throw new Error((await response.json()).message);
      byId("connection").textContent = "live";
      byId("connection").classList.add("live");
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          received(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (error) {
      if (controller.signal.aborted) return;
      byId("board-error").textContent = `Stream: ${error.message}`;
    }
    byId("connection").textContent = "reconnecting";
    byId("connection").classList.remove("live");
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function received(block) {
  let kind = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("event: ")) kind = line.slice(7);
    else if (line.startsWith("data: ")) data.push(line.slice(6));
  }
  if (!data.length) return;  // a comment: connected, heartbeat
  const payload = JSON.parse(data.join("\n"));
  if (kind === "error") {
    byId("board-error").textContent = payload.message;
    return;
  }
  byId("board-error").textContent = "";
  render(payload);
}

function render(update) {
  const live = update.realtime;
  byId("total-waiting").textContent = waiting(live);
  byId("total-longest").textContent = seconds(live.longestTaskWaitingAge);
  byId("total-assigned").textContent = live.tasksByStatus.assigned + live.tasksByStatus.wrapping;
  byId("total-available").textContent = live.totalAvailableWorkers;
  const now = Date.now() / 1000;
  const known = new Set(state.queues.map((q) => q.taskQueueSid));
  state.queues = update.taskQueues;
  const rows = update.taskQueues.map((queue) => {
    const history = state.history.get(queue.taskQueueSid) || [];
    history.push([now, queue.realtime.longestTaskWaitingAge]);
    while (history.length && history[0][0] < now - CHART_SECONDS) history.shift();
    state.history.set(queue.taskQueueSid, history);
    return queueRow(queue, history, now);
  });
  byId("queues").tBodies[0].replaceChildren(...rows);
  if (update.taskQueues.some((q) => !known.has(q.taskQueueSid))) refreshCumulative();
  scheduleWorkers();
}

function queueRow(queue, history, now) {
  const live = queue.realtime;
  const count = waiting(live);
  const cumulative = state.cumulative.get(queue.taskQueueSid);
  const level = cumulative ? serviceLevel(cumulative) : null;
  return element("tr", { "data-queue": queue.taskQueueSid },
    element("td", { class: "name", text: queue.taskQueueName }),
    element("td", { class: count ? "waiting busy" : "waiting", text: String(count) }),
    element("td", { class: "longest", text: seconds(live.longestTaskWaitingAge) }),
    element("td", { class: "workers", text: `${live.totalAvailableWorkers} / ${live.totalEligibleWorkers ?? 0}` }),
    element("td", { class: "p90", text: cumulative ? seconds(cumulative.waitDurationUntilAccepted.p90) : "…" }),
    element("td", { class: level === null ? "sla" : level >= 0.8 ? "sla good" : "sla poor",
      text: level === null ? "—" : `${Math.round(level * 100)}%` }),
    element("td", { class: "chart" }, chart(history, now)));
}

// Accepted within the threshold, of all the tasks that ended waiting (accepted or canceled).
function serviceLevel(cumulative) {
  const split = cumulative.splitByWaitTime[String(SERVICE_LEVEL_SECONDS)];
  const total = split.below.tasksAccepted + split.below.tasksCanceled + split.above.tasksAccepted
    + split.above.tasksCanceled;
  return total ? split.below.tasksAccepted / total : null;
}

function chart(history, now) {
  const ns = "http://www.w3.org/2000/svg";
  const width = 160, height = 28;
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("class", "chart");
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const base = document.createElementNS(ns, "line");
  for (const [name, value] of [["x1", 0], ["y1", height - 1], ["x2", width], ["y2", height - 1]]) {
    base.setAttribute(name, value);
  }
  svg.append(base);
  const top = Math.max(10, ...history.map(([, wait]) => wait));
  const points = history.map(([at, wait]) =>
    `${(width * (1 - (now - at) / CHART_SECONDS)).toFixed(1)},${(height - 2 - (height - 4) * wait / top).toFixed(1)}`);
  const line = document.createElementNS(ns, "polyline");
  line.setAttribute("points", points.join(" "));
  svg.append(line);
  const title = document.createElementNS(ns, "title");
  title.textContent = `longest wait, last ${CHART_SECONDS / 60} minutes (top: ${seconds(top)})`;
  svg.append(title);
  return svg;
}

async function refreshCumulative() {
  const workspaceSid = state.workspaceSid;
  try {
    await Promise.all(state.queues.map(async (queue) => {
      const stats = await api("GET", `/taskrouter/statistics/taskqueues/${queue.taskQueueSid}`
        + `?minutes=15&splitByWaitTime=${SERVICE_LEVEL_SECONDS}`);
      if (workspaceSid === state.workspaceSid) state.cumulative.set(queue.taskQueueSid, stats.cumulative);
    }));
  } catch (error) {
    byId("board-error").textContent = `Statistics: ${error.message}`;
  }
}

// --- workers ---------------------------------------------------------------------------------

function scheduleWorkers() {
  if (state.workersTimer) return;
  const wait = Math.max(0, state.workersDue - Date.now());
  state.workersTimer = setTimeout(() => { state.workersTimer = 0; refreshWorkers(); }, wait);
}

async function refreshWorkers() {
  state.workersDue = Date.now() + WORKERS_REFRESH_MS;
  const workspaceSid = state.workspaceSid;
  try {
    const [workers, tasks] = await Promise.all([
      api("GET", `/taskrouter/workers/search?workspaceSid=${workspaceSid}&pageSize=1000`),
      api("GET", `/taskrouter/tasks/search?workspaceSid=${workspaceSid}&isLiveSession=true&pageSize=1000`),
    ]);
    if (workspaceSid === state.workspaceSid) renderWorkers(workers.result, tasks.result);
  } catch (error) {
    byId("board-error").textContent = `Workers: ${error.message}`;
  }
}

function renderWorkers(workers, tasks) {
  const channels = new Map();  // worker SID → channel → assigned tasks
  for (const task of tasks) {
    if (!task.workerSid) continue;
    const mine = channels.get(task.workerSid) || new Map();
    mine.set(task.taskChannel, (mine.get(task.taskChannel) || 0) + 1);
    channels.set(task.workerSid, mine);
  }
  const focused = document.activeElement && document.activeElement.closest("[data-worker]");
  if (focused) return;  // a supervisor is choosing an activity: leave the list as it is
  const cards = state.activities.map((activity) => {
    const here = workers.filter((w) => w.activitySid === activity.sid);
    return element("div", { class: "activity", "data-activity": activity.sid },
      element("h3", {}, element("span", { text: `${activity.name} (${here.length})` }),
        element("span", { class: "available", text: activity.available ? "available" : "" })),
      ...here.map((worker) => workerRow(worker, channels.get(worker.sid) || new Map())));
  });
  byId("workers").replaceChildren(...cards);
}

function workerRow(worker, channels) {
  const select = element("select", { "aria-label": `Activity of ${worker.name}` },
    ...state.activities.map((a) => element("option", { value: a.sid, text: a.name })));
  select.value = worker.activitySid;
  select.addEventListener("change", async () => {
    try {
      await api("PUT", `/taskrouter/workers/${worker.sid}`, { activitySid: select.value });
      select.blur();
      refreshWorkers();
    } catch (error) {
      byId("board-error").textContent = `${worker.name}: ${error.message}`;
    }
  });
  const badges = [...channels].map(([channel, count]) => element("span", { class: "badge", text: `${channel} ${count}` }));
  return element("div", { class: "worker", "data-worker": worker.sid },
    element("span", { class: "name", text: worker.name }),
    select,
    element("span", { class: "channels" }, ...(badges.length ? badges : ["no tasks"])));
}

// --- start -----------------------------------------------------------------------------------

byId("sign-in-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  byId("sign-in-error").textContent = "";
  try {
    await signIn({ accountSid: byId("account-sid").value.trim(), authToken: byId("auth-token").value.trim() });
  } catch (error) {
    state.credentials = null;
    byId("sign-in-error").textContent = `Sign-in failed: ${error.message}`;
  }
});
byId("workspace").addEventListener("change", (event) => openWorkspace(event.target.value));
byId("sign-out").addEventListener("click", signOut);

const saved = sessionStorage.getItem("taskrouter.credentials");
if (saved) signIn(JSON.parse(saved)).catch(() => sessionStorage.clear());
