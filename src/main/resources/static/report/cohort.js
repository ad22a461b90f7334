/*
 * The cohort report: /report/cohort?instrument=&condition=&route=&psychotherapy=&baseline-severity=&start=&end=.
 * Reads [base]/$outcome-summary (a MeasureReport) with the same filters and shows the response and remission
 * rates per time point, their breakdowns by stratifier, change statistics and adverse-event rates.
 */
(function () {
    'use strict';

    var R = window.KetaReport;
    var el = R.el;
    var FILTERS = ['instrument', 'condition', 'route', 'psychotherapy', 'baseline-severity', 'start', 'end'];
    var TIMEPOINTS = [
        {key: 'latest', label: 'Latest'},
        {key: 'end-of-induction', label: 'End of induction'},
        {key: '3-months', label: '3 months'},
        {key: '6-months', label: '6 months'},
        {key: '12-months', label: '12 months'}
    ];
    var STRATIFIERS = [
        {key: 'condition', label: 'By condition',
            note: 'A patient with more than one of these conditions is counted under each.'},
        {key: 'route', label: 'By route'},
        {key: 'baseline-severity', label: 'By baseline severity'},
        {key: 'psychotherapy', label: 'By psychotherapy'}
    ];
    var RESPONSE_COLOR = '#047857';
    var REMISSION_COLOR = '#0e7490';

    function start() {
        var root = document.getElementById('report');
        var query = new URLSearchParams(window.location.search);
        prepareForm(query);
        if (window.location.pathname !== '/report/cohort') {
            // the bare shell (cohort.html): nothing is fetched
            R.clear(root);
            root.appendChild(el('p', {className: 'empty'}, 'Open /report/cohort to see the cohort summary.'));
            document.body.setAttribute('data-state', 'idle');
            return;
        }
        var params = new URLSearchParams();
        FILTERS.forEach(function (name) {
            query.getAll(name).forEach(function (v) {
                if (v) {
                    params.append(name, v);
                }
            });
        });
        var search = params.toString();
        R.fhirGet('/$outcome-summary' + (search ? '?' + search : ''))
            .then(function (report) {
                render(root, report);
            })
            .catch(function (error) {
                R.showError(root, error);
            });
    }

    /** The filter form shows the filters in force; empty fields are left out of the address. */
    function prepareForm(query) {
        var form = document.getElementById('filters');
        if (!form) {
            return;
        }
        FILTERS.forEach(function (name) {
            var field = form.elements.namedItem(name);
            if (field && query.get(name)) {
                field.value = query.get(name);
            }
        });
        form.addEventListener('submit', function () {
            Array.prototype.forEach.call(form.elements, function (field) {
                if (field.name && !field.value) {
                    field.disabled = true;
                }
            });
            // re-enable if the page is kept (back button)
            window.setTimeout(function () {
                Array.prototype.forEach.call(form.elements, function (field) {
                    field.disabled = false;
                });
            }, 0);
        });
    }

    /** Draws the MeasureReport into root. */
    function render(root, report) {
        if (!report || report.resourceType !== 'MeasureReport') {
            throw new R.ReportError('The server did not answer with a cohort summary.', []);
        }
        R.clear(root);
        var groups = {};
        (report.group || []).forEach(function (g) {
            var code = groupCode(g);
            if (code) {
                groups[code] = g;
            }
        });

        var latest = groups['response-latest'];
        root.appendChild(el('p', {className: 'subject'}, periodText(report)));
        root.appendChild(el('div', {className: 'figures', 'data-figures': 'cohort'}, [
            R.figure('Patients treated', R.number(population(latest, 'initial-population'))),
            R.figure('Evaluable', R.number(population(latest, 'denominator')),
                'baseline and a later score'),
            R.figure('Response (latest)', rateText(groups['response-latest']), fraction(groups['response-latest']), 'yes'),
            R.figure('Remission (latest)', rateText(groups['remission-latest']), fraction(groups['remission-latest']), 'yes'),
            R.figure('Mean change', R.number(score(groups['change-mean']), 1), 'points, positive = better'),
            R.figure('Median change', R.number(score(groups['change-median']), 1), 'points'),
            R.figure('Effect size', R.number(score(groups['effect-size']), 2), 'mean change / SD at baseline'),
            R.figure('Adverse events', R.number(score(groups['adverse-events-per-session']), 2),
                'per session · ' + R.number(score(groups['adverse-events-per-patient']), 2) + ' per patient')
        ]));

        root.appendChild(el('h2', {}, 'Response and remission'));
        var rows = TIMEPOINTS.map(function (tp) {
            var response = groups['response-' + tp.key];
            var remission = groups['remission-' + tp.key];
            return [tp.label, rateText(response), fraction(response), rateText(remission), fraction(remission)];
        });
        var rates = R.table(['Time point', 'Response', 'n/N', 'Remission', 'n/N'], rows, [1, 2, 3, 4]);
        rates.className = 'rates';
        root.appendChild(rates);

        root.appendChild(el('h2', {}, 'Breakdowns'));
        var select = el('select', {id: 'timepoint', 'aria-label': 'Time point of the breakdowns'},
            TIMEPOINTS.map(function (tp) {
                return el('option', {value: tp.key}, tp.label);
            }));
        root.appendChild(el('p', {}, el('label', {}, ['Time point ', select])));
        var grid = el('div', {className: 'breakdowns'});
        root.appendChild(grid);
        var panels = STRATIFIERS.map(function (s) {
            var chart = el('div', {className: 'chart small', 'data-stratifier': s.key, role: 'img',
                'aria-label': 'Response and remission rates ' + s.label.toLowerCase()});
            var tableHolder = el('div', {});
            grid.appendChild(el('section', {className: 'breakdown', 'data-stratifier': s.key},
                [el('h3', {}, s.label)].concat(s.note ? [el('p', {className: 'note'}, s.note)] : [],
                    [chart, tableHolder])));
            return {stratifier: s, chart: chart, table: tableHolder, instance: null};
        });
        var draw = function () {
            panels.forEach(function (panel) {
                drawBreakdown(panel, groups, select.value);
            });
        };
        select.addEventListener('change', draw);
        draw();
        document.body.setAttribute('data-state', 'ready');
    }

    function groupCode(group) {
        var coding = group.code && group.code.coding || [];
        return coding.length ? coding[0].code : null;
    }

    function periodText(report) {
        var p = report.period;
        var text = 'Measure ' + (report.measure || '');
        if (p && (p.start || p.end)) {
            text += ' · period ' + (R.day(p.start) || '…') + ' to ' + (R.day(p.end) || '…');
        }
        return text;
    }

    function population(holder, code) {
        var found = (holder && holder.population || []).filter(function (p) {
            return p.code && p.code.coding && p.code.coding.some(function (c) {
                return c.code === code;
            });
        })[0];
        return found ? found.count : undefined;
    }

    function score(holder) {
        var q = holder && holder.measureScore;
        return q ? q.value : undefined;
    }

    function rateText(holder) {
        return R.percent(score(holder));
    }

    function fraction(holder) {
        var n = population(holder, 'numerator');
        var d = population(holder, 'denominator');
        return n === undefined && d === undefined ? '–' : R.number(n) + '/' + R.number(d);
    }

    function stratumLabel(stratum, stratifierKey) {
        var label = R.conceptLabel(stratum.value);
        if (stratifierKey === 'psychotherapy') {
            var code = stratum.value && stratum.value.coding && stratum.value.coding[0] && stratum.value.coding[0].code;
            if (code === 'true' || label === 'true') {
                return 'with psychotherapy';
            }
            if (code === 'false' || label === 'false') {
                return 'without psychotherapy';
            }
        }
        return label || '(not recorded)';
    }

    function strata(group, key) {
        var stratifier = (group && group.stratifier || []).filter(function (s) {
            return (s.code || []).some(function (c) {
                return c.text === key || (c.coding || []).some(function (coding) {
                    return coding.code === key;
                });
            });
        })[0];
        return stratifier && stratifier.stratum || [];
    }

    function drawBreakdown(panel, groups, timepoint) {
        var key = panel.stratifier.key;
        var response = strata(groups['response-' + timepoint], key);
        var remission = strata(groups['remission-' + timepoint], key);
        var labels = [];
        var rows = {};
        var add = function (list, which) {
            list.forEach(function (stratum) {
                var label = stratumLabel(stratum, key);
                if (!rows[label]) {
                    rows[label] = {};
                    labels.push(label);
                }
                rows[label][which] = stratum;
            });
        };
        add(response, 'response');
        add(remission, 'remission');

        R.clear(panel.table);
        if (panel.instance) {
            panel.instance.dispose();
            panel.instance = null;
        }
        panel.chart.setAttribute('data-stratum-count', labels.length);
        if (!labels.length) {
            panel.chart.hidden = true;
            panel.table.appendChild(el('p', {className: 'empty'}, 'No breakdown at this time point.'));
            return;
        }
        panel.chart.hidden = false;
        var bar = function (which, name, color) {
            return {
                id: which,
                name: name,
                type: 'bar',
                color: color,
                data: labels.map(function (label) {
                    var s = rows[label][which];
                    var value = s && s.measureScore ? Math.round(s.measureScore.value * 1000) / 10 : null;
                    return {value: value, tip: [R.chartText(label), name + ': ' + R.percent(score(s)) + ' (' + fraction(s) + ')']};
                })
            };
        };
        var chart = window.echarts.init(panel.chart, null, {renderer: 'canvas'});
        var crowded = labels.length > 4;
        chart.setOption({
            animation: false,
            legend: {top: 0},
            tooltip: {trigger: 'item', renderMode: 'richText', formatter: function (params) {
                return params.data && params.data.tip ? params.data.tip.join('\n') : R.chartText(params.name);
            }},
            // More than four categories: slanted labels that do not overlap, the grid grown to hold them; a long one
            // ends in an ellipsis (the full label is in the tooltip and the table below).
            grid: {left: 44, right: 12, top: 36, bottom: crowded ? 92 : 56, containLabel: crowded},
            xAxis: {type: 'category', data: labels.map(R.chartText), axisLabel: crowded
                ? {interval: 0, rotate: 35, width: 120, overflow: 'truncate'}
                : {interval: 0, width: 110, overflow: 'truncate'}},
            yAxis: {type: 'value', min: 0, max: 100, axisLabel: {formatter: '{value} %'}},
            series: [bar('response', 'Response', RESPONSE_COLOR), bar('remission', 'Remission', REMISSION_COLOR)]
        });
        R.keepResized(chart);
        panel.instance = chart;
        panel.chart.setAttribute('data-bar-count', chart.getOption().series.reduce(function (n, s) {
            return n + s.data.filter(function (d) {
                return d && d.value !== null && d.value !== undefined;
            }).length;
        }, 0));
        panel.table.appendChild(R.table(['', 'Response', 'n/N', 'Remission', 'n/N'], labels.map(function (label) {
            var r = rows[label].response;
            var m = rows[label].remission;
            return [label, R.percent(score(r)), fraction(r), R.percent(score(m)), fraction(m)];
        }), [1, 2, 3, 4]));
    }

    R.cohort = {render: render};
    start();
}());
