/*
 * The Stability ops console. Plain JavaScript, no library, no build step. Every value from the
 * endpoint is written with textContent (never as HTML); tokens live in this closure only (never
 * in storage or cookies) and go out as bearer headers; the Content-Security-Policy the endpoint
 * sends forbids inline script, so all behaviour is here.
 */
(function () {
  'use strict';

  var tokens = { a: null, b: null };
  var operators = { a: null, b: null };
  var history = {};
  var HISTORY = 60;
  var SVG = 'http://www.w3.org/2000/svg';

  function $(id) {
    return document.getElementById(id);
  }

  function show(node, value) {
    node.textContent = value === null || value === undefined ? '' : String(value);
    return node;
  }

  function make(tag, className, value) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (value !== undefined) {
      show(node, value);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  function row(table, cells, header) {
    var tr = document.createElement('tr');
    for (var i = 0; i < cells.length; i++) {
      var cell = cells[i];
      var td = make(header ? 'th' : 'td');
      if (cell !== null && typeof cell === 'object' && cell.nodeType) {
        td.appendChild(cell);
      } else {
        show(td, cell);
      }
      tr.appendChild(td);
    }
    table.appendChild(tr);
    return tr;
  }

  function stateCell(value) {
    return make('span', 'status ' + String(value), value);
  }

  function message(text, ok) {
    var node = $('message');
    show(node, text);
    node.className = 'message ' + (ok ? 'ok' : 'error');
  }

  /** A token for reads: needed only beyond loopback; either operator's will do. */
  function readToken() {
    return tokens.a || tokens.b;
  }

  function call(method, path, token, form, done) {
    var xhr = new XMLHttpRequest();
    xhr.open(method, path, true);
    if (token) {
      xhr.setRequestHeader('Authorization', 'Bearer ' + token);
    }
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) {
        return;
      }
      var body;
      try {
        body = JSON.parse(xhr.responseText);
      } catch (e) {
        body = { message: xhr.responseText };
      }
      done(xhr.status, body || {});
    };
    if (form) {
      xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
      xhr.send(form);
    } else {
      xhr.send(null);
    }
  }

  function get(path, done) {
    call('GET', path, readToken(), null, done);
  }

  function encode(params) {
    var parts = [];
    for (var key in params) {
      if (Object.prototype.hasOwnProperty.call(params, key)) {
        parts.push(encodeURIComponent(key) + '=' + encodeURIComponent(params[key]));
      }
    }
    return parts.join('&');
  }

  function who(slot) {
    return operators[slot] ? operators[slot] : 'operator ' + slot.toUpperCase();
  }

  /** A change as one operator; the answer is shown, and the page refreshed. */
  function change(slot, path, params, done) {
    if (!tokens[slot]) {
      message('Operator ' + slot.toUpperCase() + ' has no token: type it in first.', false);
      return;
    }
    call('POST', path, tokens[slot], encode(params || {}), function (status, body) {
      if (status >= 200 && status < 300) {
        if (done) {
          done(status, body);
        }
      } else {
        message(who(slot) + ': ' + status + ' ' + (body.error || '') + ': ' + (body.message || ''), false);
      }
      refresh();
      verify();
    });
  }

  // ---------------------------------------------------------------- operators

  function signIn(slot) {
    var input = $('token-' + slot);
    var token = input.value.trim();
    input.value = '';
    if (!token) {
      return;
    }
    call('GET', '/whoami', token, null, function (status, body) {
      if (status === 200) {
        tokens[slot] = token;
        operators[slot] = body.operator;
        show($('who-' + slot), 'signed in as ' + body.operator);
        message('Operator ' + slot.toUpperCase() + ' is ' + body.operator + '.', true);
        refresh();
      } else {
        show($('who-' + slot), 'not signed in');
        message('Operator ' + slot.toUpperCase() + ': ' + status + ' ' + (body.message || ''), false);
      }
    });
  }

  function forget(slot) {
    tokens[slot] = null;
    operators[slot] = null;
    show($('who-' + slot), 'not signed in');
  }

  // ---------------------------------------------------------------- panels

  function renderStatus(status, body) {
    if (status !== 200) {
      show($('identity'), 'status: ' + status + ' ' + (body.message || ''));
      return;
    }
    show(
      $('identity'),
      body.system + ' / ' + body.subsystem + ' / ' + body.instance + '  role ' + body.role +
        '  epoch ' + (body.epoch === null ? 'n/a' : body.epoch) + '  site ' + body.site +
        '  grade ' + body.grade
    );
    show(
      $('mode'),
      (body.tls ? 'HTTPS' : 'HTTP') + '; ' +
        (body.reads_need_token ? 'reads need a token' : 'read-only view without a token (loopback)')
    );
  }

  function renderHealth(id, status, body) {
    var table = $(id);
    clear(table);
    var state = $(id + '-status');
    if (!body.checks) {
      show(state, status + ' ' + (body.message || ''));
      return;
    }
    show(state, body.status + (body.scope === 'trading-readiness' ? (body.passed ? ' (passed)' : ' (not passed)') : ''));
    state.className = 'status ' + body.status;
    row(table, ['check', 'status', 'grade', 'reason'], true);
    for (var i = 0; i < body.checks.length; i++) {
      var c = body.checks[i];
      row(table, [c.name, stateCell(c.status), c.grade, c.reason]);
    }
  }

  function guardButton(label, id, action, name) {
    var button = make('button', null, label);
    button.type = 'button';
    button.id = id;
    button.addEventListener('click', function () {
      var slot = $('guard-operator').value;
      var reason = $('guard-reason').value;
      change(slot, '/guards/' + encodeURIComponent(name) + '/' + action, { reason: reason }, function (s, body) {
        message(who(slot) + ': ' + action + ' ' + name + ' -> ' + body.result.circuit_state, true);
      });
    });
    return button;
  }

  function renderGuards(status, body) {
    var table = $('guards');
    clear(table);
    if (!body.guards) {
      return;
    }
    row(table, ['guard', 'state', 'inflight', 'limit', 'shedding', 'latency p50 / p99 / p99.9 (last minute)', ''], true);
    for (var i = 0; i < body.guards.length; i++) {
      var g = body.guards[i];
      var actions = make('span');
      actions.appendChild(guardButton('Force open', 'force-open-' + g.name, 'force-open', g.name));
      actions.appendChild(guardButton('Reset', 'reset-' + g.name, 'reset', g.name));
      var tr = row(table, [g.name, stateCell(g.circuit_state), g.inflight, g.concurrency_limit, g.shedding, latencyCell(g.latency_ms), actions]);
      tr.id = 'guard-' + g.name;
    }
  }

  // A guard's last-minute latency quantiles, or why there are none.
  function latencyCell(latency) {
    if (!latency) {
      return 'not measured (latency-percentiles off)';
    }
    if (latency['0.5'] === null || latency['0.5'] === undefined) {
      return 'no calls';
    }
    return number(latency['0.5'], 2) + ' / ' + number(latency['0.99'], 2) + ' / ' +
      number(latency['0.999'], 2) + ' ms';
  }

  function number(value, digits) {
    if (value === null || value === undefined) {
      return 'n/a';
    }
    return Number(value).toFixed(digits);
  }

  function renderCapacity(status, body) {
    var table = $('capacity');
    clear(table);
    if (!body.indicators) {
      return;
    }
    show($('capacity-required'), 'required headroom ' + number(body.required_headroom, 1)
      + 'x the historical peak unless an indicator has its own; peak window ' + (body.peak_window || '')
      + ', trading day ' + (body.trading_day || ''));
    row(table, ['indicator', 'rate/s', 'peak today', 'historical peak', 'capacity', 'headroom', 'required'], true);
    var charts = $('capacity-charts');
    clear(charts);
    for (var i = 0; i < body.indicators.length; i++) {
      var c = body.indicators[i];
      var required = c.required === undefined ? body.required_headroom : c.required;
      var low = c.headroom === null || c.headroom < required;
      var capacity = c.capacity === undefined ? c.tested : c.capacity;
      row(table, [c.name, number(c.rate, 0), number(c.peak_today, 0), number(c.historical_peak, 0),
        number(capacity, 0) + (c.basis ? ' (' + c.basis + ')' : ''),
        make('span', low ? 'bad' : 'ok', c.headroom === null ? 'n/a' : number(c.headroom, 2) + 'x'),
        number(required, 1) + 'x']);
      var points = history[c.name] || (history[c.name] = []);
      points.push(c.rate);
      if (points.length > HISTORY) {
        points.shift();
      }
      charts.appendChild(chart(c, points, required));
    }
  }

  /** Rate over the last two minutes, with the historical peak and the most the multiple allows. */
  function chart(indicator, points, required) {
    var width = 300;
    var height = 90;
    var capacity = indicator.capacity === undefined ? indicator.tested : indicator.capacity;
    var limit = capacity > 0 ? capacity / required : 0;
    var top = Math.max(1, indicator.historical_peak, limit);
    for (var i = 0; i < points.length; i++) {
      top = Math.max(top, points[i]);
    }
    top = top * 1.1;
    function y(value) {
      return (height - 14 - (value / top) * (height - 20)).toFixed(1);
    }
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'rate of ' + indicator.name);
    var coordinates = [];
    for (var j = 0; j < points.length; j++) {
      coordinates.push(((j * (width - 10)) / (HISTORY - 1) + 5).toFixed(1) + ',' + y(points[j]));
    }
    var line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('class', 'chart-rate');
    line.setAttribute('points', coordinates.join(' '));
    svg.appendChild(line);
    svg.appendChild(rule('chart-peak', y(indicator.historical_peak), width));
    if (limit > 0) {
      svg.appendChild(rule('chart-limit', y(limit), width));
    }
    var label = document.createElementNS(SVG, 'text');
    label.setAttribute('class', 'chart-label');
    label.setAttribute('x', '5');
    label.setAttribute('y', String(height - 3));
    label.textContent = indicator.name + ': rate (blue), historical peak (dashed), tested / ' + required + ' (red)';
    svg.appendChild(label);
    return svg;
  }

  function rule(className, y, width) {
    var line = document.createElementNS(SVG, 'line');
    line.setAttribute('class', className);
    line.setAttribute('x1', '5');
    line.setAttribute('x2', String(width - 5));
    line.setAttribute('y1', y);
    line.setAttribute('y2', y);
    return line;
  }

  function renderConsistency(status, body) {
    var table = $('consistency');
    clear(table);
    if (status !== 200) {
      return;
    }
    row(table, ['last matched checkpoint', body.last_matched_sequence === null ? 'none yet' : body.last_matched_sequence]);
    row(table, ['diverging since', body.first_mismatch_sequence === null ? 'no divergence' : body.first_mismatch_sequence]);
    row(table, ['comparisons / mismatches', body.checks + ' / ' + body.mismatches]);
    show($('consistency-diff'), body.last_diff ? 'last localised diff: ' + JSON.stringify(body.last_diff, null, 1) : 'no localised diff');
  }

  function renderGates(status, body) {
    var table = $('gates');
    clear(table);
    var state = $('gates-status');
    if (!body.configured) {
      show(state, 'no switch controller given to the endpoint');
      return;
    }
    show(state, body.ready ? 'ready' : 'not ready');
    state.className = 'status ' + (body.ready ? 'passed' : 'failed');
    row(table, ['gate', '', 'reason'], true);
    for (var i = 0; i < body.gates.length; i++) {
      var gate = body.gates[i];
      row(table, [gate.name, make('span', gate.passed ? 'passed' : 'failed', gate.passed ? 'passed' : 'failed'), gate.reason]);
    }
  }

  function requestButton(label, id, slot, path, onDone) {
    var button = make('button', null, label);
    button.type = 'button';
    button.id = id;
    button.addEventListener('click', function () {
      change(slot, path, {}, onDone(slot));
    });
    return button;
  }

  function approved(slot) {
    return function (status, body) {
      message(who(slot) + ' approved ' + body.id + '; perform before ' + body.perform_by, true);
    };
  }

  function performed(slot) {
    return function (status, body) {
      var r = body.result || {};
      var text = body.action + ' done by ' + who(slot) + ', approved by ' + body.approved_by;
      if (r.takeover_ms !== undefined) {
        text += ': takeover ' + number(r.takeover_ms, 1) + ' ms, from sequence ' + r.switch_sequence +
          ', new epoch ' + r.epoch + ', digests equal ' + r.digests_equal +
          (r.possibly_lost > 0 ? ', possibly lost ' + r.lost_from + '..' + r.lost_to : '');
      }
      show($('switch-outcome'), text);
      message(text, true);
    };
  }

  function renderRequests(status, body) {
    var table = $('requests');
    clear(table);
    if (!body.requests) {
      return;
    }
    if (body.requests.length === 0) {
      row(table, ['none']);
      return;
    }
    row(table, ['id', 'action', 'target', 'requested by', 'reason', 'approved by', 'due', ''], true);
    for (var i = 0; i < body.requests.length; i++) {
      var r = body.requests[i];
      var base = '/operations/requests/' + encodeURIComponent(r.id) + '/';
      var actions = make('span');
      if (r.approved_by === null) {
        actions.appendChild(requestButton('Approve as A', 'approve-a-' + r.id, 'a', base + 'approve', approved));
        actions.appendChild(requestButton('Approve as B', 'approve-b-' + r.id, 'b', base + 'approve', approved));
      } else {
        actions.appendChild(requestButton('Perform as A', 'perform-a-' + r.id, 'a', base + 'perform', performed));
        actions.appendChild(requestButton('Perform as B', 'perform-b-' + r.id, 'b', base + 'perform', performed));
      }
      var tr = row(table, [r.id, r.action, r.target, r.operator, r.reason, r.approved_by === null ? '-' : r.approved_by, r.due, actions]);
      tr.id = 'request-' + r.id;
    }
  }

  function requestSwitchover() {
    var params = { target: $('switch-target').value, reason: $('switch-reason').value };
    change('a', '/operations/switchover', params, function (status, body) {
      show($('switch-outcome'), '');
      message(who('a') + ' requested ' + body.action + ' ' + body.id + ': ' + body.status, true);
    });
  }

  function renderLog(status, body) {
    var table = $('oplog');
    clear(table);
    if (!body.records) {
      return;
    }
    row(table, ['time', 'code', 'operator', 'reviewer', 'action', 'target', 'reason', 'outcome', 'op_seq'], true);
    for (var i = body.records.length - 1; i >= 0; i--) {
      var r = body.records[i];
      var a = r.attrs || {};
      row(table, [r.ts, r.code, r.operator, r.reviewer, a.action, a.target, a.reason, r.outcome || a.outcome, a.op_seq]);
    }
  }

  function verify() {
    get('/operations/verify', function (status, body) {
      var node = $('verify');
      if (status !== 200) {
        show(node, status + ' ' + (body.message || ''));
        return;
      }
      if (body.intact) {
        show(node, 'chain intact: ' + body.records + ' records in ' + body.files + ' files');
        node.className = 'status passed';
      } else {
        var p = body.problem || {};
        show(node, 'chain broken at op_seq ' + p.op_seq + ' (' + p.file + ' line ' + p.line + '): ' + p.description);
        node.className = 'status failed';
      }
    });
  }

  function runTrading() {
    get('/health/trading-readiness', function (status, body) {
      renderHealth('trading', status, body);
    });
  }

  function refresh() {
    get('/status', renderStatus);
    get('/health/liveness', function (s, b) { renderHealth('liveness', s, b); });
    get('/health/readiness', function (s, b) { renderHealth('readiness', s, b); });
    get('/guards', renderGuards);
    get('/capacity', renderCapacity);
    get('/consistency', renderConsistency);
    get('/switchover/readiness', renderGates);
    get('/operations/requests', renderRequests);
    get('/operations?limit=20', renderLog);
    show($('updated'), 'Last refresh ' + new Date().toISOString());
  }

  function start() {
    $('use-a').addEventListener('click', function () { signIn('a'); });
    $('use-b').addEventListener('click', function () { signIn('b'); });
    $('forget-a').addEventListener('click', function () { forget('a'); });
    $('forget-b').addEventListener('click', function () { forget('b'); });
    $('run-trading').addEventListener('click', runTrading);
    $('switch-request').addEventListener('click', requestSwitchover);
    $('verify-button').addEventListener('click', verify);
    refresh();
    verify();
    window.setInterval(refresh, 2000);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
