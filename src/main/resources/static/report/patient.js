/*
 * The patient report: /report/patient/{id}[?course=CarePlan-id][&instrument=...&start=...&end=...].
 * Reads Patient/{id}/$outcome-summary (or CarePlan/{course}/$outcome-summary) with series=true and draws,
 * per instrument, the scores over time with the dosing and psychotherapy sessions on the same time axis.
 */
(function () {
    'use strict';

    var R = window.KetaReport;
    var el = R.el;
    var DAY = 24 * 3600 * 1000;
    var RESPONSE_COLOR = '#047857';
    var REMISSION_COLOR = '#0e7490';
    var SCORE_COLOR = '#1f2937';
    var BASELINE_COLOR = '#d97706';
    var PSYCHOTHERAPY_COLOR = '#16a34a';
    var EVENT_KINDS = {
        'adverse-event': 'Adverse event',
        'safety-signal': 'Safety signal',
        'stopped-early': 'Session stopped early'
    };

    function start() {
        var root = document.getElementById('report');
        var match = /^\/report\/patient\/([A-Za-z0-9\-.]{1,64})$/.exec(window.location.pathname);
        if (!match) {
            R.clear(root);
            root.appendChild(el('p', {className: 'empty'}, 'No patient in the address: open /report/patient/{id}.'));
            document.body.setAttribute('data-state', 'idle');
            return;
        }
        var id = match[1];
        var query = new URLSearchParams(window.location.search);
        var operation = query.get('course')
            ? '/CarePlan/' + encodeURIComponent(query.get('course')) + '/$outcome-summary'
            : '/Patient/' + encodeURIComponent(id) + '/$outcome-summary';
        var params = new URLSearchParams();
        params.set('series', 'true');
        ['instrument', 'start', 'end'].forEach(function (name) {
            query.getAll(name).forEach(function (v) {
                params.append(name, v);
            });
        });
        Promise.all([
            R.fhirGet(operation + '?' + params.toString()),
            // the name in the header is a courtesy: the report stands without it
            R.fhirGet('/Patient/' + encodeURIComponent(id)).catch(function () {
                return null;
            })
        ]).then(function (results) {
            render(root, results[0], results[1]);
        }).catch(function (error) {
            R.showError(root, error);
        });
    }

    /** Draws the summary (a Parameters resource) into root; patient (a Patient resource) may be null. */
    function render(root, summary, patient) {
        if (!summary || summary.resourceType !== 'Parameters') {
            throw new R.ReportError('The server did not answer with an outcome summary.', []);
        }
        R.clear(root);
        renderSubject(summary, patient);

        var exposure = R.part(summary, 'exposure');
        var sessions = R.parts(exposure, 'session').map(session);
        var psychotherapy = R.parts(summary, 'psychotherapySession').map(function (p) {
            return R.valueOf(p);
        }).filter(Boolean);
        var instruments = R.parts(summary, 'instrument');

        root.appendChild(el('h2', {}, 'Treatment'));
        root.appendChild(exposureFigures(summary, exposure));
        if (sessions.length) {
            root.appendChild(sessionList(sessions));
        }

        var range = timeRange(instruments, sessions, psychotherapy);
        var charts = [];
        if (!instruments.length) {
            root.appendChild(el('h2', {}, 'Outcomes'));
            root.appendChild(el('p', {className: 'empty'}, 'No outcome scores in this period.'));
        }
        instruments.forEach(function (instrument, index) {
            var section = instrumentSection(instrument, index);
            root.appendChild(section.node);
            charts.push(function () {
                drawInstrumentChart(section.chart, instrument, sessions, psychotherapy, range);
            });
        });

        root.appendChild(suicidalIdeation(R.part(summary, 'suicidalIdeation')));
        root.appendChild(safety(R.part(summary, 'safety')));
        var rules = rulesNote(R.part(summary, 'rules'));
        if (rules) {
            root.appendChild(rules);
        }
        // charts are drawn once their containers are in the page, so they get their width
        charts.forEach(function (draw) {
            draw();
        });
        document.body.setAttribute('data-state', 'ready');
    }

    function renderSubject(summary, patient) {
        var line = document.getElementById('subject');
        if (!line) {
            return;
        }
        R.clear(line);
        var bits = [];
        var name = patientName(patient);
        if (name) {
            bits.push(el('strong', {className: 'patient-name'}, name));
        }
        if (patient && patient.birthDate) {
            bits.push('born ' + patient.birthDate);
        }
        var subject = R.value(summary, 'subject');
        if (subject && subject.reference) {
            bits.push(subject.reference);
        }
        var course = R.value(summary, 'course');
        if (course && course.reference) {
            bits.push('course ' + course.reference);
        }
        var period = R.value(summary, 'period');
        if (period && (period.start || period.end)) {
            bits.push('period ' + (R.day(period.start) || '…') + ' to ' + (R.day(period.end) || '…'));
        }
        bits.forEach(function (bit, i) {
            if (i > 0) {
                line.appendChild(document.createTextNode(' · '));
            }
            line.appendChild(typeof bit === 'string' ? document.createTextNode(bit) : bit);
        });
    }

    function patientName(patient) {
        var name = patient && patient.name && patient.name[0];
        if (!name) {
            return '';
        }
        if (name.text) {
            return name.text;
        }
        return [].concat(name.given || [], name.family ? [name.family] : []).join(' ');
    }

    function session(p) {
        var dose = R.value(p, 'dose');
        var routeCoding = R.value(p, 'route');
        return {
            date: R.value(p, 'date'),
            route: R.route(routeCoding),
            routeKey: routeCoding ? (routeCoding.system || '') + '|' + (routeCoding.code || '') : 'none',
            dose: dose,
            status: R.value(p, 'status')
        };
    }

    // ---- treatment figures

    function exposureFigures(summary, exposure) {
        var routes = R.parts(exposure, 'route').map(function (r) {
            return R.route(R.value(r, 'code')).label + ' ' + R.number(R.value(r, 'sessions'));
        }).join(' · ');
        var first = R.value(exposure, 'firstSession');
        var last = R.value(exposure, 'lastSession');
        var induction = R.value(exposure, 'inductionCompleted');
        return el('div', {className: 'figures', 'data-figures': 'exposure'}, [
            R.figure('Dosing sessions', R.number(R.value(exposure, 'sessions')), routes),
            R.figure('Cumulative dose', R.quantity(R.value(exposure, 'cumulativeDose'), 1),
                'mean ' + R.quantity(R.value(exposure, 'meanDosePerKg'), 2)),
            R.figure('Induction completed', R.yesNo(induction), null, induction === true ? 'yes' : 'no'),
            R.figure('Sessions', first ? R.day(first) : '–', last ? 'to ' + R.day(last) : null),
            R.figure('Psychotherapy sessions', R.number(R.value(summary, 'psychotherapySessions')))
        ]);
    }

    function sessionList(sessions) {
        var rows = sessions.slice().sort(byDate).map(function (s) {
            return [R.day(s.date), s.route.label, R.quantity(s.dose, 1), s.status || ''];
        });
        return el('details', {className: 'sessions'}, [
            el('summary', {}, 'Dosing sessions (' + sessions.length + ')'),
            R.table(['Date', 'Route', 'Dose', 'Status'], rows, [2])
        ]);
    }

    // ---- instruments

    function instrumentSection(instrument, index) {
        var name = instrumentName(instrument);
        var questionnaire = R.value(instrument, 'questionnaire');
        var chart = el('div', {className: 'chart', id: 'chart-' + index, 'data-instrument': name, 'data-questionnaire': questionnaire,
            role: 'img', 'aria-label': 'Scores of ' + name + ' over time with sessions and thresholds'});
        var node = el('section', {className: 'instrument', 'data-instrument': name, 'data-questionnaire': questionnaire}, [
            el('h2', {}, name),
            instrumentFigures(instrument),
            R.value(instrument, 'evaluable') === false
                ? el('p', {className: 'note'}, 'Not evaluable: response and remission need a baseline score and a later one.')
                : null,
            chart
        ]);
        return {node: node, chart: chart};
    }

    function instrumentName(instrument) {
        return R.value(instrument, 'name') || R.codingLabel(R.value(instrument, 'code'))
            || R.value(instrument, 'questionnaire') || 'Instrument';
    }

    function instrumentFigures(i) {
        var baseline = R.value(i, 'baseline');
        var latest = R.value(i, 'latest');
        var change = R.value(i, 'absoluteChange');
        var percent = R.value(i, 'percentChange');
        var changeText = change === undefined ? '–'
            : change > 0 ? change + ' better' : change < 0 ? -change + ' worse' : 'no change';
        var changeDetail = percent === undefined ? null : R.number(Math.abs(percent), 1) + ' % '
            + (percent >= 0 ? 'improvement' : 'worsening');
        var worsening = R.value(i, 'worsening');
        var lost = R.value(i, 'lossOfResponse');
        var held = [4, 8, 12].map(function (week) {
            return week + ' wk ' + R.yesNo(R.value(i, 'responseHeldWeek' + week));
        }).join(' · ');
        return el('div', {className: 'figures', 'data-figures': 'instrument'}, [
            R.figure('Baseline', baseline === undefined ? '–' : String(baseline), bandAndDate(i, 'baseline')),
            R.figure('Latest', latest === undefined ? '–' : String(latest), bandAndDate(i, 'latest')),
            R.figure('Change', changeText, changeDetail,
                worsening === true ? 'alert' : change > 0 ? 'yes' : null),
            R.figure('Response', R.yesNo(R.value(i, 'response')), firstReached(i, 'Response'),
                R.value(i, 'response') === true ? 'yes' : 'no'),
            R.figure('Remission', R.yesNo(R.value(i, 'remission')), firstReached(i, 'Remission'),
                R.value(i, 'remission') === true ? 'yes' : 'no'),
            R.figure('Response held', lost === true ? 'lost' : held.indexOf('yes') >= 0 ? 'held' : '–',
                lost === true ? 'lost on ' + R.day(R.value(i, 'lossOfResponseDate')) : held,
                lost === true ? 'alert' : null),
            R.figure('Meaningful change', R.yesNo(R.value(i, 'meaningfulChange')),
                worsening === true ? 'worsening' : null, worsening === true ? 'alert' : null),
            R.figure('Assessments', R.number(R.value(i, 'assessments')))
        ]);
    }

    function bandAndDate(i, which) {
        var band = R.codingLabel(R.value(i, which + 'Band'));
        var date = R.day(R.value(i, which + 'Date'));
        return [band, date].filter(Boolean).join(' · ') || null;
    }

    function firstReached(i, what) {
        var sessions = R.value(i, 'sessionsTo' + 'First' + what);
        var days = R.value(i, 'daysToFirst' + what);
        if (sessions === undefined && days === undefined) {
            return null;
        }
        var bits = [];
        if (sessions !== undefined) {
            bits.push(sessions + (sessions === 1 ? ' session' : ' sessions'));
        }
        if (days !== undefined) {
            bits.push(days + (days === 1 ? ' day' : ' days'));
        }
        return 'first after ' + bits.join(', ');
    }

    function points(instrument) {
        return R.parts(instrument, 'point').map(function (p) {
            var date = R.value(p, 'date');
            return {date: date, t: R.time(date), value: R.value(p, 'value'), band: R.codingLabel(R.value(p, 'band'))};
        }).filter(function (p) {
            return isFinite(p.t) && typeof p.value === 'number';
        }).sort(function (a, b) {
            return a.t - b.t;
        });
    }

    function timeRange(instruments, sessions, psychotherapy) {
        var times = [];
        instruments.forEach(function (i) {
            points(i).forEach(function (p) {
                times.push(p.t);
            });
        });
        sessions.forEach(function (s) {
            times.push(R.time(s.date));
        });
        psychotherapy.forEach(function (d) {
            times.push(R.time(d));
        });
        times = times.filter(isFinite);
        if (!times.length) {
            return null;
        }
        var min = Math.min.apply(null, times);
        var max = Math.max.apply(null, times);
        var pad = Math.max(2 * DAY, (max - min) * 0.03);
        return {min: min - pad, max: max + pad};
    }

    function drawInstrumentChart(container, instrument, sessions, psychotherapy, range) {
        var name = R.chartText(instrumentName(instrument));
        var scores = points(instrument);
        var baselineValue = R.value(instrument, 'baseline');
        var baselineDate = R.value(instrument, 'baselineDate');
        var responseThreshold = R.value(instrument, 'responseThreshold');
        var remissionThreshold = R.value(instrument, 'remissionThreshold');

        var thresholds = [];
        if (typeof responseThreshold === 'number') {
            thresholds.push(thresholdLine('response', 'Response ≤ ' + R.number(responseThreshold, 1),
                responseThreshold, RESPONSE_COLOR));
        }
        if (typeof remissionThreshold === 'number') {
            thresholds.push(thresholdLine('remission', 'Remission ≤ ' + remissionThreshold,
                remissionThreshold, REMISSION_COLOR));
        }

        var series = [{
            id: 'score',
            name: name,
            type: 'line',
            xAxisIndex: 0,
            yAxisIndex: 0,
            data: scores.map(function (p) {
                return {value: [p.t, p.value], tip: [name + ': ' + p.value, R.day(p.date), p.band]};
            }),
            color: SCORE_COLOR,
            symbol: 'circle',
            symbolSize: 7,
            lineStyle: {width: 2},
            markLine: {silent: true, symbol: 'none', data: thresholds}
        }];
        if (typeof baselineValue === 'number' && baselineDate) {
            series.push({
                id: 'baseline',
                name: 'Baseline',
                type: 'scatter',
                xAxisIndex: 0,
                yAxisIndex: 0,
                z: 3,
                color: BASELINE_COLOR,
                symbolSize: 16,
                itemStyle: {color: 'rgba(217,119,6,0.25)', borderColor: BASELINE_COLOR, borderWidth: 2},
                label: {show: true, position: 'top', formatter: 'Baseline', color: BASELINE_COLOR},
                data: [{value: [R.time(baselineDate), baselineValue],
                    tip: ['Baseline: ' + baselineValue, R.day(baselineDate)]}]
            });
        }

        // one series per route, so the legend names the routes in their colours
        var byRoute = {};
        var routeOrder = [];
        sessions.forEach(function (s) {
            if (!isFinite(R.time(s.date))) {
                return;
            }
            if (!byRoute[s.routeKey]) {
                byRoute[s.routeKey] = {route: s.route, sessions: []};
                routeOrder.push(s.routeKey);
            }
            byRoute[s.routeKey].sessions.push(s);
        });
        routeOrder.forEach(function (key, index) {
            var group = byRoute[key];
            var label = R.chartText('Dosing: ' + group.route.label);
            series.push({
                id: 'dosing-' + index,
                name: label,
                type: 'scatter',
                xAxisIndex: 1,
                yAxisIndex: 1,
                color: group.route.color,
                symbol: 'triangle',
                symbolSize: 12,
                data: group.sessions.map(function (s) {
                    var stopped = s.status && s.status !== 'completed';
                    return {
                        value: [R.time(s.date), 'Dosing'],
                        itemStyle: stopped ? {color: '#ffffff', borderColor: group.route.color, borderWidth: 2} : undefined,
                        tip: [label, R.day(s.date), R.quantity(s.dose, 1), s.status || '']
                    };
                })
            });
        });
        var therapy = psychotherapy.filter(function (d) {
            return isFinite(R.time(d));
        });
        if (therapy.length) {
            series.push({
                id: 'psychotherapy',
                name: 'Psychotherapy',
                type: 'scatter',
                xAxisIndex: 1,
                yAxisIndex: 1,
                color: PSYCHOTHERAPY_COLOR,
                symbol: 'diamond',
                symbolSize: 12,
                data: therapy.map(function (d) {
                    return {value: [R.time(d), 'Psychotherapy'], tip: ['Psychotherapy session', R.day(d)]};
                })
            });
        }

        var maxScore = Math.max.apply(null, scores.map(function (p) {
            return p.value;
        }).concat([baselineValue || 0, responseThreshold || 0, remissionThreshold || 0, 1]));
        var xAxis = {type: 'time', min: range && range.min, max: range && range.max, splitLine: {show: false}};
        var chart = window.echarts.init(container, null, {renderer: 'canvas'});
        chart.setOption({
            animation: false,
            color: [SCORE_COLOR],
            legend: {top: 0, type: 'scroll'},
            tooltip: {trigger: 'item', renderMode: 'richText', formatter: tooltip},
            axisPointer: {link: [{xAxisIndex: 'all'}]},
            grid: [
                {left: 100, right: 110, top: 36, bottom: 112},
                {left: 100, right: 110, height: 48, bottom: 28}
            ],
            xAxis: [
                Object.assign({gridIndex: 0, axisLabel: {show: false}}, xAxis),
                Object.assign({gridIndex: 1}, xAxis)
            ],
            yAxis: [
                {type: 'value', gridIndex: 0, min: 0, max: Math.ceil(maxScore * 1.1 / 5) * 5, name: 'Score', nameTextStyle: {align: 'left'}},
                {type: 'category', gridIndex: 1, data: ['Psychotherapy', 'Dosing'], axisTick: {show: false},
                    splitLine: {show: true}}
            ],
            series: series
        });
        R.keepResized(chart);
        describeChart(container, chart);
    }

    function thresholdLine(id, label, y, color) {
        return {
            name: id,
            yAxis: y,
            lineStyle: {color: color, type: 'dashed', width: 1.5},
            label: {formatter: label, position: 'end', color: color}
        };
    }

    /** Tooltips are drawn on the canvas (richText), from text the page prepared: nothing is parsed as HTML. */
    function tooltip(params) {
        var tip = params.data && params.data.tip;
        if (!tip) {
            return R.chartText(params.seriesName);
        }
        return tip.filter(function (line) {
            return line !== undefined && line !== null && line !== '';
        }).map(R.chartText).join('\n');
    }

    /** What the chart holds, as attributes of its container (read from echarts itself): for tests and tools. */
    function describeChart(container, chart) {
        var option = chart.getOption();
        var count = function (predicate) {
            return option.series.filter(predicate).reduce(function (n, s) {
                return n + (s.data ? s.data.length : 0);
            }, 0);
        };
        var score = option.series.filter(function (s) {
            return s.id === 'score';
        })[0];
        var lines = score && score.markLine && score.markLine.data || [];
        container.setAttribute('data-point-count', count(function (s) {
            return s.id === 'score';
        }));
        container.setAttribute('data-baseline-count', count(function (s) {
            return s.id === 'baseline';
        }));
        container.setAttribute('data-session-count', count(function (s) {
            return String(s.id).indexOf('dosing-') === 0;
        }));
        container.setAttribute('data-psychotherapy-count', count(function (s) {
            return s.id === 'psychotherapy';
        }));
        container.setAttribute('data-threshold-lines', lines.map(function (l) {
            return l.name + '=' + l.yAxis;
        }).join(' '));
    }

    // ---- suicidal ideation and safety

    function suicidalIdeation(si) {
        var section = el('section', {className: 'suicidal-ideation'}, el('h2', {}, 'Suicidal ideation (PHQ-9 item 9)'));
        if (!si) {
            section.appendChild(el('p', {className: 'empty'}, 'No item-9 answers in this period.'));
            return section;
        }
        var latest = R.value(si, 'latestPositive');
        section.appendChild(el('div', {className: 'figures'}, [
            R.figure('At baseline', positive(R.value(si, 'baselinePositive')), null,
                R.value(si, 'baselinePositive') === true ? 'alert' : null),
            R.figure('Latest', positive(latest), null, latest === true ? 'alert' : latest === false ? 'yes' : null),
            R.figure('Resolved', R.yesNo(R.value(si, 'resolved'))),
            R.figure('Positive screens', R.number(R.value(si, 'positiveScreens')))
        ]));
        var screens = R.parts(si, 'screen').map(function (p) {
            return {date: R.value(p, 'date'), value: R.value(p, 'value')};
        }).sort(byDate);
        if (screens.length) {
            section.appendChild(R.table(['Date', 'Item 9', ''], screens.map(function (s) {
                return [R.day(s.date), R.number(s.value), s.value >= 1 ? 'positive' : ''];
            }), [1]));
        }
        return section;
    }

    function positive(b) {
        return b === true ? 'positive' : b === false ? 'negative' : '–';
    }

    function safety(s) {
        var section = el('section', {className: 'safety'}, el('h2', {}, 'Safety'));
        if (!s) {
            section.appendChild(el('p', {className: 'empty'}, 'No safety data in this period.'));
            return section;
        }
        var systolic = R.value(s, 'peakSystolic');
        var diastolic = R.value(s, 'peakDiastolic');
        var rise = R.value(s, 'peakSystolicRise');
        var bp = systolic || diastolic
            ? R.number(systolic && systolic.value) + '/' + R.number(diastolic && diastolic.value) + ' mmHg' : '–';
        section.appendChild(el('div', {className: 'figures'}, [
            R.figure('Peak blood pressure', bp, rise ? 'systolic rise ' + R.quantity(rise, 0).replace('mm[Hg]', 'mmHg') : null),
            R.figure('Peak CADSS', R.number(R.value(s, 'peakCadss'))),
            R.figure('Lowest MOAA/S', R.number(R.value(s, 'lowestMoaas'))),
            R.figure('Adverse events', R.number(R.value(s, 'adverseEvents')), null,
                R.value(s, 'adverseEvents') > 0 ? 'alert' : null),
            R.figure('Safety signals', R.number(R.value(s, 'safetySignals')), null,
                R.value(s, 'safetySignals') > 0 ? 'alert' : null),
            R.figure('Stopped early', R.number(R.value(s, 'sessionsStoppedEarly')))
        ]));
        var events = R.parts(s, 'event').map(function (p) {
            return {date: R.value(p, 'date'), kind: R.value(p, 'kind'), text: R.value(p, 'text')};
        }).sort(byDate);
        if (!events.length) {
            section.appendChild(el('p', {className: 'empty'}, 'No safety events recorded.'));
            return section;
        }
        var list = el('table', {className: 'events'}, [
            el('thead', {}, el('tr', {}, [el('th', {}, 'Date'), el('th', {}, 'Kind'), el('th', {}, 'What happened')])),
            el('tbody', {}, events.map(function (e) {
                return el('tr', {'data-kind': e.kind}, [
                    el('td', {}, R.day(e.date)),
                    el('td', {}, el('span', {className: 'kind kind-' + safeClass(e.kind)}, EVENT_KINDS[e.kind] || e.kind || '')),
                    el('td', {className: 'event-text'}, e.text || '')
                ]);
            }))
        ]);
        section.appendChild(list);
        return section;
    }

    function safeClass(s) {
        return String(s || '').replace(/[^a-z-]/g, '');
    }

    function rulesNote(rules) {
        if (!rules) {
            return null;
        }
        var bits = [];
        var baseline = R.value(rules, 'baselineWindowDays');
        if (baseline !== undefined) {
            bits.push('Baseline: the last score within ' + baseline + ' days before the first dosing session.');
        }
        var sessions = R.value(rules, 'inductionSessions');
        var days = R.value(rules, 'inductionDays');
        if (sessions !== undefined && days !== undefined) {
            bits.push('Induction: ' + sessions + ' sessions within ' + days + ' days.');
        }
        var loss = R.value(rules, 'lossOfResponseConsecutive');
        if (loss !== undefined) {
            bits.push('Loss of response: criteria missed on ' + loss + ' consecutive assessments.');
        }
        var tolerance = R.value(rules, 'timepointToleranceDays');
        if (tolerance !== undefined) {
            bits.push('Time points (4, 8, 12 weeks) within ' + tolerance + ' days.');
        }
        return bits.length ? el('p', {className: 'note rules'}, bits.join(' ')) : null;
    }

    function byDate(a, b) {
        return String(a.date || '').localeCompare(String(b.date || ''));
    }

    R.patient = {render: render};
    start();
}());
