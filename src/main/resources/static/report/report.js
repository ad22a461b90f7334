/*
 * Shared code of the report pages: access token, FHIR requests, error display, DOM building and
 * reading Parameters. Every value taken from a resource goes into the page as text (textContent,
 * attribute values, canvas labels), never as markup.
 */
(function () {
    'use strict';

    var TOKEN_KEY = 'ketafhir.token';
    var FHIR_BASE = '/fhir';

    /** A token handed over in the URL fragment (#access_token=...) moves to sessionStorage and leaves the URL. */
    function takeTokenFromFragment() {
        var hash = window.location.hash;
        if (!hash || hash.indexOf('access_token=') < 0) {
            return;
        }
        var token = new URLSearchParams(hash.substring(1)).get('access_token');
        if (token) {
            try {
                window.sessionStorage.setItem(TOKEN_KEY, token);
            } catch (e) {
                // storage disabled: the token is still not left in the URL
            }
        }
        window.history.replaceState(null, '', window.location.pathname + window.location.search);
    }

    function token() {
        try {
            return window.sessionStorage.getItem(TOKEN_KEY);
        } catch (e) {
            return null;
        }
    }

    /** An error the page shows: a heading and the issues of the server's OperationOutcome, if any. */
    function ReportError(title, issues) {
        this.title = title;
        this.issues = issues || [];
    }

    /** GET a FHIR JSON resource; rejects with a ReportError that says what went wrong. */
    function fhirGet(path) {
        var headers = {'Accept': 'application/fhir+json'};
        var bearer = token();
        if (bearer) {
            headers['Authorization'] = 'Bearer ' + bearer;
        }
        return window.fetch(FHIR_BASE + path, {headers: headers, credentials: 'same-origin'})
            .then(function (response) {
                return response.text().then(function (text) {
                    var body = null;
                    try {
                        body = text ? JSON.parse(text) : null;
                    } catch (e) {
                        body = null;
                    }
                    if (response.ok && body) {
                        return body;
                    }
                    throw new ReportError(errorTitle(response.status), outcomeIssues(body));
                });
            }, function () {
                throw new ReportError('The server could not be reached.', []);
            });
    }

    function errorTitle(status) {
        if (status === 401) {
            return 'Sign-in required (401): open this page from your clinical system so that it can pass on your access.';
        }
        if (status === 403) {
            return 'Not allowed (403): your access does not cover this record.';
        }
        if (status === 404) {
            return 'Not found (404).';
        }
        if (status >= 500) {
            return 'The server failed to answer (' + status + ').';
        }
        return 'The server refused the request (' + status + ').';
    }

    /** The issues of an OperationOutcome as plain strings. */
    function outcomeIssues(body) {
        if (!body || body.resourceType !== 'OperationOutcome' || !Array.isArray(body.issue)) {
            return [];
        }
        return body.issue.map(function (issue) {
            var text = issue.diagnostics || (issue.details && (issue.details.text
                || (issue.details.coding && issue.details.coding[0] && issue.details.coding[0].display))) || issue.code || '';
            return (issue.severity ? issue.severity + ': ' : '') + text;
        });
    }

    function showError(root, error) {
        var title = error instanceof ReportError ? error.title : 'The page failed to show the report.';
        var issues = error instanceof ReportError ? error.issues : [String(error && error.message || error)];
        clear(root);
        var box = el('section', {className: 'error', role: 'alert'}, [el('h2', {}, title)]);
        if (issues.length) {
            box.appendChild(el('ul', {}, issues.map(function (issue) {
                return el('li', {}, issue);
            })));
        }
        root.appendChild(box);
        document.body.setAttribute('data-state', 'error');
    }

    /**
     * A DOM element. attrs: className, role, or any attribute name (set with setAttribute, so values stay text);
     * children: strings (added as text), nodes, arrays of either, null (skipped).
     */
    function el(tag, attrs, children) {
        var node = document.createElement(tag);
        Object.keys(attrs || {}).forEach(function (key) {
            var value = attrs[key];
            if (value === undefined || value === null) {
                return;
            }
            if (key === 'className') {
                node.className = value;
            } else {
                node.setAttribute(key, String(value));
            }
        });
        append(node, children);
        return node;
    }

    function append(node, children) {
        if (children === undefined || children === null) {
            return;
        }
        if (Array.isArray(children)) {
            children.forEach(function (child) {
                append(node, child);
            });
        } else if (typeof children === 'object' && children.nodeType) {
            node.appendChild(children);
        } else {
            node.appendChild(document.createTextNode(String(children)));
        }
    }

    function clear(node) {
        while (node.firstChild) {
            node.removeChild(node.firstChild);
        }
    }

    // ---- Parameters

    /** All parts (or top-level parameters) of that name. */
    function parts(holder, name) {
        var list = holder && (holder.part || holder.parameter) || [];
        return list.filter(function (p) {
            return p.name === name;
        });
    }

    function part(holder, name) {
        return parts(holder, name)[0];
    }

    /** The value[x] of a parameter, whatever its type. */
    function valueOf(parameter) {
        if (!parameter) {
            return undefined;
        }
        for (var key in parameter) {
            if (Object.prototype.hasOwnProperty.call(parameter, key) && key.indexOf('value') === 0) {
                return parameter[key];
            }
        }
        return undefined;
    }

    function value(holder, name) {
        return valueOf(part(holder, name));
    }

    // ---- formatting

    /** The day of a FHIR date or dateTime as written (no time-zone shift). */
    function day(dateTime) {
        return dateTime ? String(dateTime).substring(0, 10) : '';
    }

    /** Milliseconds for the chart's time axis; a date alone counts as midnight UTC. */
    function time(dateTime) {
        return Date.parse(dateTime);
    }

    function number(n, digits) {
        if (n === undefined || n === null || n === '') {
            return '–';
        }
        var x = Number(n);
        if (!isFinite(x)) {
            return String(n);
        }
        return digits === undefined ? String(x) : String(Math.round(x * Math.pow(10, digits)) / Math.pow(10, digits));
    }

    function quantity(q, digits) {
        if (!q || q.value === undefined) {
            return '–';
        }
        return number(q.value, digits) + (q.unit || q.code ? ' ' + (q.unit || q.code) : '');
    }

    function percent(share) {
        return share === undefined || share === null ? '–' : number(share * 100, 1) + ' %';
    }

    function yesNo(b) {
        return b === true ? 'yes' : b === false ? 'no' : '–';
    }

    function codingLabel(coding) {
        if (!coding) {
            return '';
        }
        return coding.display || coding.code || '';
    }

    function conceptLabel(concept) {
        if (!concept) {
            return '';
        }
        return concept.text || (concept.coding && concept.coding[0] && codingLabel(concept.coding[0])) || '';
    }

    /** Chart labels are drawn on canvas as text; braces would start echarts rich-text markup. */
    function chartText(s) {
        return String(s === undefined || s === null ? '' : s).replace(/[{}|]/g, ' ');
    }

    /** A key figure: label, big value, small detail. */
    function figure(label, big, detail, valueClass) {
        return el('div', {className: 'figure'}, [
            el('div', {className: 'label'}, label),
            el('div', {className: 'value' + (valueClass ? ' ' + valueClass : '')}, big),
            detail ? el('div', {className: 'detail'}, detail) : null
        ]);
    }

    function table(headers, rows, numericColumns) {
        numericColumns = numericColumns || [];
        return el('table', {}, [
            el('thead', {}, el('tr', {}, headers.map(function (h, i) {
                return el('th', {className: numericColumns.indexOf(i) >= 0 ? 'num' : null, scope: 'col'}, h);
            }))),
            el('tbody', {}, rows.map(function (row) {
                return el('tr', {}, row.map(function (cell, i) {
                    return el('td', {className: numericColumns.indexOf(i) >= 0 ? 'num' : null}, cell);
                }));
            }))
        ]);
    }

    /** Route codes (SNOMED CT) of the guide's ketafhir-routes: short label and chart colour. */
    var ROUTES = {
        '47625008': {label: 'IV', color: '#2563eb'},
        '78421000': {label: 'IM', color: '#0891b2'},
        '46713006': {label: 'Nasal', color: '#7c3aed'},
        '26643006': {label: 'Oral', color: '#ca8a04'},
        '37839007': {label: 'Sublingual', color: '#db2777'},
        '34206005': {label: 'Subcutaneous', color: '#059669'}
    };
    var OTHER_ROUTE = {label: 'Other route', color: '#6b7280'};

    function route(coding) {
        var known = coding && ROUTES[coding.code];
        if (known) {
            return known;
        }
        return {label: coding ? codingLabel(coding) || OTHER_ROUTE.label : OTHER_ROUTE.label, color: OTHER_ROUTE.color};
    }

    /** Resizes every chart with the window. */
    function keepResized(chart) {
        window.addEventListener('resize', function () {
            chart.resize();
        });
    }

    takeTokenFromFragment();
    // a token handed over while the page is open (same page, new fragment: no reload)
    window.addEventListener('hashchange', takeTokenFromFragment);

    window.KetaReport = {
        fhirGet: fhirGet,
        ReportError: ReportError,
        showError: showError,
        el: el,
        clear: clear,
        parts: parts,
        part: part,
        value: value,
        valueOf: valueOf,
        day: day,
        time: time,
        number: number,
        quantity: quantity,
        percent: percent,
        yesNo: yesNo,
        codingLabel: codingLabel,
        conceptLabel: conceptLabel,
        chartText: chartText,
        figure: figure,
        table: table,
        route: route,
        keepResized: keepResized
    };
}());
