// Evolution runs: start one for a personality, follow its generations, and plot best and mean
// fitness per generation (an SVG drawn here; no chart library).
import {$, h, fill, announce, showError, rows, when} from './dom.js';
import {session, go} from './console.js';

const SVG = 'http://www.w3.org/2000/svg';
let following = 0;

export async function show() {
  const body = await session.api.get('/v1/personalities');
  const select = $('#evolution-personality');
  const chosen = select.value;
  fill(select, body.personalities.map((p) => h('option', {value: p.id}, `${p.name} (${p.id})`)));
  if (chosen) select.value = chosen;
  await showRuns();
  await showExperiments();
}

$('#evolution-personality').addEventListener('change', () => showExperiments().catch(showError));

/** The chosen personality's A/B experiments (admins only), each with its arms' posterior densities. */
async function showExperiments() {
  if (!session.can('admin') || !$('#evolution-personality').value) return;
  const id = $('#evolution-personality').value;
  const body = await session.api.get(`/v1/personalities/${encodeURIComponent(id)}/experiments`);
  fill($('#experiments-list'), body.experiments.length ? body.experiments.map(experimentCard)
    : h('p', {class: 'muted'}, `No experiments on ${id} yet (POST /v1/personalities/${id}/experiments starts one).`));
}

function experimentCard(e) {
  const arm = (a, label) => `${label} v${a.version}: ${a.successes} of ${a.feedback} satisfied, mean ${a.posteriorMean.toFixed(3)}`;
  return h('article', {class: 'experiment', dataset: {experiment: e.id}},
    h('h4', {}, `Version ${e.treatment.version} against version ${e.control.version} · `,
      h('span', {class: `state state-${e.state}`}, e.verdict ? `${e.state}: ${e.verdict}` : e.state)),
    h('p', {class: 'small'}, `P(treatment better) = ${e.probabilityTreatmentBetter.toFixed(3)}; a verdict needs `
      + `${e.minFeedback} rated replies per version and ${e.threshold}. ${e.treatmentPercent}% of users get the treatment.`),
    densityPlot(e),
    h('div', {class: 'legend'}, h('span', {class: 'treatment'}, arm(e.treatment, 'treatment')),
      h('span', {class: 'control'}, arm(e.control, 'control'))),
    e.proposal ? h('p', {}, 'A rollback proposal was filed: ', session.can('approver')
      ? h('button', {type: 'button', class: 'link', onclick: () => go('proposals')}, 'review it under Approvals') : e.proposal) : null);
}

/**
 * Each arm's Beta(1 + successes, 1 + failures) posterior density of its satisfaction rate over [0, 1],
 * normalised on the grid it is drawn on (the same counts draw the same curves as the server's numbers).
 */
function densityPlot(e) {
  const width = 560, height = 200, left = 12, right = 12, top = 12, bottom = 28, steps = 200;
  const curve = (a) => {
    const alpha = 1 + a.successes, beta = 1 + a.failures;
    const logs = [];
    for (let i = 0; i <= steps; i++) {
      const x = Math.min(1 - 1e-9, Math.max(1e-9, i / steps));
      logs.push((alpha - 1) * Math.log(x) + (beta - 1) * Math.log(1 - x));
    }
    const peak = Math.max(...logs);
    const raw = logs.map((l) => Math.exp(l - peak));
    const area = raw.reduce((sum, v) => sum + v, 0) / steps;
    return raw.map((v) => v / area);
  };
  const treatment = curve(e.treatment), control = curve(e.control);
  const high = Math.max(...treatment, ...control);
  const x = (i) => left + (i / steps) * (width - left - right);
  const y = (v) => top + (1 - v / high) * (height - top - bottom);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'plot');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `Satisfaction rate: treatment version ${e.treatment.version} mean `
    + `${e.treatment.posteriorMean.toFixed(3)}, control version ${e.control.version} mean ${e.control.posteriorMean.toFixed(3)}; `
    + `probability the treatment is better ${e.probabilityTreatmentBetter.toFixed(3)}`);
  const add = (tag, attrs, text) => {
    const el = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    if (text !== undefined) el.textContent = text;
    svg.append(el);
  };
  add('line', {class: 'axis', x1: left, y1: height - bottom, x2: width - right, y2: height - bottom});
  add('text', {x: left, y: height - 8}, '0% satisfied');
  add('text', {x: width / 2 - 20, y: height - 8}, '50%');
  add('text', {x: width - right - 40, y: height - 8}, '100%');
  add('polyline', {class: 'control', points: control.map((v, i) => `${x(i)},${y(v)}`).join(' ')});
  add('polyline', {class: 'treatment', points: treatment.map((v, i) => `${x(i)},${y(v)}`).join(' ')});
  return svg;
}

/** The newest runs of every personality; Show plots one of them. */
async function showRuns() {
  const body = await session.api.get('/v1/evolution/runs', {limit: 20});
  rows($('#evolution-runs tbody'), body.runs, (run) => h('tr', {dataset: {run: run.id}},
    h('td', {}, when(run.createdAt)), h('td', {}, run.personality),
    h('td', {}, h('span', {class: `state state-${run.state}`}, run.state)), h('td', {}, String(run.seed)),
    h('td', {}, `${run.trigger}${run.requestedBy ? ' · ' + run.requestedBy : ''}`),
    h('td', {}, h('button', {type: 'button', class: 'secondary', 'aria-label': `Show run ${run.id}`,
      onclick: () => follow(run.id)}, 'Show'))),
  'No runs yet.', 6);
}

$('#evolution-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  showError(null);
  const request = {personality: $('#evolution-personality').value};
  if ($('#evolution-seed').value !== '') request.seed = Number($('#evolution-seed').value);
  try {
    const run = await session.api.post('/v1/evolution/runs', request);
    announce(`Run ${run.id} started.`);
    follow(run.id);
  } catch (error) {
    showError(error);
  }
});

async function follow(id) {
  const mine = ++following;
  for (;;) {
    let run;
    try {
      run = await session.api.get(`/v1/evolution/runs/${encodeURIComponent(id)}`);
    } catch (error) {
      showError(error);
      return;
    }
    if (mine !== following) return;
    render(run);
    if (run.state === 'succeeded' || run.state === 'failed') {
      announce(`Run ${run.state}.`);
      await showRuns().catch(showError);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

function render(run) {
  const outcome = run.outcome || {};
  fill($('#evolution-run'),
    h('h3', {}, `Run on ${run.personality}: `, h('span', {class: `state state-${run.state}`}, run.state)),
    h('dl', {class: 'facts'},
      h('dt', {}, 'Seed'), h('dd', {}, String(run.seed)),
      h('dt', {}, 'Generations × population'), h('dd', {}, `${run.generations} × ${run.population}`),
      h('dt', {}, 'Feedback used'), h('dd', {}, String(run.feedbackCount)),
      run.error ? [h('dt', {}, 'Error'), h('dd', {class: 'error-text'}, run.error)] : null),
    run.progress && run.progress.length ? [plot(run.progress),
      h('div', {class: 'legend'}, h('span', {class: 'best'}, 'best fitness'), h('span', {class: 'mean'}, 'mean fitness'))] : null,
    run.proposal ? h('p', {}, 'It found better traits and filed a proposal. ',
      session.can('approver') ? h('button', {type: 'button', class: 'link', onclick: () => go('proposals')}, 'Review it under Approvals')
        : 'An approver reviews it.') : null,
    Object.keys(outcome).length ? h('details', {}, h('summary', {}, 'Outcome'), h('pre', {}, JSON.stringify(outcome, null, 2))) : null);
}

/** Best and mean fitness per generation as two polylines, with the value range on the y axis. */
function plot(progress) {
  const width = 560, height = 220, left = 44, right = 12, top = 12, bottom = 28;
  const values = progress.flatMap((g) => [g.best, g.mean]);
  let low = Math.min(...values), high = Math.max(...values);
  if (high - low < 1e-9) { low -= 0.5; high += 0.5; }
  const last = Math.max(1, progress.length - 1);
  const x = (i) => left + (i / last) * (width - left - right);
  const y = (v) => top + (1 - (v - low) / (high - low)) * (height - top - bottom);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'plot');
  svg.setAttribute('role', 'img');
  const first = progress[0], end = progress[progress.length - 1];
  svg.setAttribute('aria-label', `Fitness over ${progress.length} generations: best from ${first.best.toFixed(3)} to `
    + `${end.best.toFixed(3)}, mean from ${first.mean.toFixed(3)} to ${end.mean.toFixed(3)}`);
  const add = (tag, attrs, text) => {
    const el = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    if (text !== undefined) el.textContent = text;
    svg.append(el);
  };
  add('line', {class: 'axis', x1: left, y1: top, x2: left, y2: height - bottom});
  add('line', {class: 'axis', x1: left, y1: height - bottom, x2: width - right, y2: height - bottom});
  add('text', {x: 4, y: top + 10}, high.toFixed(2));
  add('text', {x: 4, y: height - bottom}, low.toFixed(2));
  add('text', {x: left, y: height - 8}, 'generation 1');
  add('text', {x: width - right - 70, y: height - 8}, `generation ${progress.length}`);
  add('polyline', {class: 'mean', points: progress.map((g, i) => `${x(i)},${y(g.mean)}`).join(' ')});
  add('polyline', {class: 'best', points: progress.map((g, i) => `${x(i)},${y(g.best)}`).join(' ')});
  return svg;
}
