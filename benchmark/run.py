#!/usr/bin/env python3
"""KetaFHIR benchmark: ingest with every check on and with them off (stock HAPI JPA), summaries, start-up, heap.

    python3 benchmark/run.py                      # defaults: 30 patients per ingest run, clients 1, 2 and 4
    python3 benchmark/run.py --patients 100 --cohort 1000 --cohort 10000

Runs on this machine only: builds the jar if it is missing, writes the demo clinic's bundles with the jar's `demo --out`
mode, starts the server on a fresh H2 database in a temporary folder (once with KetaFHIR's checks on, once with them
off), posts the same bundles to both, and writes benchmark/results/<date>-<host>.md and .json. Standard library only.
Not part of `mvn verify`.
"""
import argparse
import datetime
import glob
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
JAR = os.path.join(ROOT, 'target', 'ketafhir-server-0.1.0-SNAPSHOT.jar')
# KetaFHIR's additions off: stock HAPI JPA with the guide installed but not enforced. Unknown keys are harmless.
STOCK = ['--ketafhir.ig.enforce=false', '--ketafhir.scoring.enabled=false', '--ketafhir.dosing.enabled=false',
         '--ketafhir.outcomes.enabled=false', '--ketafhir.security.audit=false',
         '--ketafhir.server.skip-unsubscribed-changes=false']
# --ablation: each addition by itself on top of stock, and everything but the guide check; says what each one costs.
ADDITIONS = {'guide check': 'ketafhir.ig.enforce', 'scoring': 'ketafhir.scoring.enabled',
             'dosing rules': 'ketafhir.dosing.enabled', 'outcome index': 'ketafhir.outcomes.enabled',
             'audit': 'ketafhir.security.audit',
             'unsubscribed changes skipped': 'ketafhir.server.skip-unsubscribed-changes'}


def ablation_configurations():
    only = [(f'only {name}', [f if not f.startswith(f'--{key}=') else f'--{key}=true' for f in STOCK])
            for name, key in ADDITIONS.items()]
    return only + [('all but the guide check', ['--ketafhir.ig.enforce=false'])]


def log(message):
    print(f'[{datetime.datetime.now():%H:%M:%S}] {message}', flush=True)


def machine():
    mem_kb = next(int(line.split()[1]) for line in open('/proc/meminfo') if line.startswith('MemTotal'))
    java = subprocess.run(['java', '-version'], capture_output=True, text=True).stderr.strip().splitlines()
    cpu = next((line.split(':', 1)[1].strip() for line in open('/proc/cpuinfo') if line.startswith('model name')), '?')
    return {'host': socket.gethostname(), 'nproc': os.cpu_count(), 'cpu': cpu, 'ram_gb': round(mem_kb / 1024 / 1024, 1),
            'java': java[0] if java else '?', 'os': platform.platform(), 'load_average_at_start': os.getloadavg()}


def generate(jar, folder, seed, patients, heavy=False):
    """The demo clinic's bundles for one seed, written by the jar's demo mode; returns the files, clinic first."""
    os.makedirs(folder, exist_ok=True)
    command = ['java', '-jar', jar, 'demo', '--out', folder, '--seed', str(seed), '--patients', str(patients)]
    if heavy:
        command.append('--heavy')
    subprocess.run(command, check=True, capture_output=True)
    return sorted(glob.glob(os.path.join(folder, '*.json')))


class Server:
    """The packaged server on a fresh H2 database, started in the project folder (it reads config/)."""

    def __init__(self, jar, port, xmx, extra, workdir, jfr=None):
        self.base = f'http://127.0.0.1:{port}'
        env = dict(os.environ, SERVER_PORT=str(port),
                   SPRING_DATASOURCE_URL=f'jdbc:h2:file:{workdir}/db/ketafhir;WRITE_DELAY=0;LOCK_TIMEOUT=10000;'
                                         'DB_CLOSE_ON_EXIT=FALSE')
        command = ['java', f'-Xmx{xmx}']
        if jfr:
            command.append(f'-XX:StartFlightRecording=filename={jfr},settings=profile,dumponexit=true')
        command += ['-jar', jar] + extra
        self.log = open(os.path.join(workdir, 'server.log'), 'w')
        self.started = time.monotonic()
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.peak_heap_mb = 0.0
        self._sampler = None

    def wait_ready(self, timeout=900):
        while time.monotonic() - self.started < timeout:
            if self.process.poll() is not None:
                raise SystemExit(f'server exited with {self.process.returncode}; see {self.log.name}')
            try:
                with urllib.request.urlopen(self.base + '/actuator/health/readiness', timeout=5) as r:
                    if r.status == 200 and b'UP' in r.read():
                        return time.monotonic() - self.started
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        raise SystemExit('server not ready in time')

    def sample_heap(self):
        """Heap used (young + old, MB), once a second from jstat, kept as the peak."""
        def run():
            jstat = subprocess.Popen(['jstat', '-gc', str(self.process.pid), '1000'], stdout=subprocess.PIPE, text=True)
            header = None
            for line in jstat.stdout:
                fields = line.split()
                if not fields:
                    continue
                if fields[0] == 'S0C':
                    header = fields
                    continue
                if header and len(fields) == len(header):
                    values = dict(zip(header, fields))
                    try:
                        # columns in KB; some others print '-' (e.g. concurrent GC counters), not read here
                        used = sum(float(values[k]) for k in ('S0U', 'S1U', 'EU', 'OU')) / 1024
                    except (KeyError, ValueError):
                        continue
                    self.peak_heap_mb = max(self.peak_heap_mb, used)
                if self.process.poll() is not None:
                    break
            jstat.terminate()
        self._sampler = threading.Thread(target=run, daemon=True)
        self._sampler.start()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def post(url, path, token=None):
    body = open(path, 'rb').read()
    headers = {'Content-Type': 'application/fhir+json', 'Prefer': 'return=minimal'}
    if token:
        headers['Authorization'] = 'Bearer ' + token
    request = urllib.request.Request(url, data=body, method='POST', headers=headers)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=900) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as e:
        status = e.code
        print(f'  {os.path.basename(path)}: HTTP {e.code} {e.read()[:600]!r}', file=sys.stderr)
    return status, time.perf_counter() - started


def entries(path):
    return len(json.load(open(path))['entry'])


def audit_events(fhir, token=None):
    """AuditEvents of transaction entries stored so far (the server records one per resource a transaction writes)."""
    # no-cache: HAPI would otherwise answer a repeated search from its cache for a minute
    request = urllib.request.Request(f'{fhir}/AuditEvent?subtype=transaction&_summary=count',
                                     headers={'Cache-Control': 'no-cache',
                                              **({'Authorization': 'Bearer ' + token} if token else {})})
    with urllib.request.urlopen(request, timeout=300) as r:
        return json.load(r).get('total') or 0


def ingest(fhir, files, clients, token=None, audited=False):
    """Posts the clinic bundle, then the patient bundles with `clients` at a time; resources/s over the patients.

    With audit on, the clock stops only when every resource posted has its AuditEvent stored. Since the audit log is
    written in the request's own transaction that is at the last answer (the count taken after it finds every event,
    and its own time is not counted); builds before it stored them in the background, and a backlog left after the
    last answer is counted until the count finds every event.
    """
    before = audit_events(fhir, token) if audited else 0
    post(fhir, files[0], token)
    patients = files[1:]
    resources = sum(entries(p) for p in patients)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(lambda p: post(fhir, p, token), patients))
    answered = time.perf_counter() - started
    failures = sum(1 for status, _ in results if status != 200)
    elapsed = answered
    if audited and not failures:
        expected = before + entries(files[0]) + resources
        # Complete at the first look: stored with the writes (this build commits each audit event with its write),
        # so the clock stops at the last answer; otherwise it runs until the last event is stored.
        if audit_events(fhir, token) < expected:
            deadline = time.monotonic() + 900
            while audit_events(fhir, token) < expected and time.monotonic() < deadline:
                time.sleep(0.25)
            elapsed = time.perf_counter() - started
    latencies = sorted(s for _, s in results)
    # a refused or failed bundle stored nothing: only the resources of bundles answered 200 count
    stored = sum(entries(p) for p, (status, _) in zip(patients, results) if status == 200)
    return {'clients': clients, 'bundles': len(patients), 'resources': resources, 'seconds': round(elapsed, 1),
            'failures': failures, 'resources_stored': stored, 'resources_per_second': round(stored / elapsed, 1),
            'audit_backlog_s': round(elapsed - answered, 1),
            'bundle_p50_s': round(latencies[len(latencies) // 2], 2),
            'bundle_max_s': round(latencies[-1], 2)}


def percentile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(round(p / 100 * (len(sorted_values) - 1))))]


def timed_get(url, token=None):
    request = urllib.request.Request(url, headers={'Accept': 'application/fhir+json',
                                                   **({'Authorization': 'Bearer ' + token} if token else {})})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=1800) as response:
            response.read()
            return response.status, time.perf_counter() - started
    except urllib.error.HTTPError as e:
        return e.code, time.perf_counter() - started


def patient_summary(fhir, patient, calls, token=None):
    status, _ = timed_get(f'{fhir}/Patient/{patient}/$outcome-summary', token)
    if status != 200:
        return {'available': False, 'status': status}
    times = sorted(timed_get(f'{fhir}/Patient/{patient}/$outcome-summary', token)[1] * 1000 for _ in range(calls))
    return {'available': True, 'calls': calls, 'p50_ms': round(percentile(times, 50), 1),
            'p95_ms': round(percentile(times, 95), 1), 'p99_ms': round(percentile(times, 99), 1)}


def cohort_summary(fhir, token=None):
    status, _ = timed_get(f'{fhir}/$outcome-summary', token)
    if status != 200:
        return {'available': False, 'status': status}
    times = [timed_get(f'{fhir}/$outcome-summary', token)[1] for _ in range(3)]
    return {'available': True, 'seconds_median_of_3': round(statistics.median(times), 2)}


def count(fhir, resource_type):
    with urllib.request.urlopen(f'{fhir}/{resource_type}?_summary=count', timeout=300) as r:
        return json.load(r).get('total')


def folder_name(configuration):
    return re.sub(r'[^a-z0-9]+', '-', configuration.lower()).strip('-')


def run_configuration(name, extra, args, workdir, sets, heavy, warmup):
    """One server start: start-up time, ingest per client count, summaries (checks on only), peak heap."""
    folder = os.path.join(workdir, folder_name(name))
    os.makedirs(folder)
    jfr = os.path.join(args.results, f'{folder_name(name)}.jfr') if args.jfr else None
    server = Server(args.jar, args.port, args.xmx, extra, folder, jfr)
    server.sample_heap()
    result = {'configuration': name, 'properties': extra}
    try:
        result['startup_to_ready_s'] = round(server.wait_ready(), 1)
        log(f'{name}: ready after {result["startup_to_ready_s"]} s')
        fhir = server.base + '/fhir'
        audited = '--ketafhir.security.audit=false' not in extra
        warm = ingest(fhir, warmup, 2, args.token, audited)
        log(f'{name}: warm-up {warm["resources"]} resources, {warm["resources_per_second"]}/s')
        result['ingest'] = []
        for clients, files in sets:
            run = ingest(fhir, files, clients, args.token, audited)
            log(f'{name}: {clients} client(s): {run["resources_per_second"]} resources/s, {run["failures"]} failures, '
                f'audit backlog stored {run["audit_backlog_s"]} s after the last answer')
            result['ingest'].append(run)
        if name == 'checks-on' and args.summary_calls > 0:
            post(fhir, heavy[0], args.token)
            status, seconds = post(fhir, heavy[1], args.token)
            log(f'{name}: heavy patient loaded ({status}, {seconds:.1f} s)')
            result['patient_summary'] = patient_summary(fhir, heavy_id(args), args.summary_calls, args.token)
        result['resources_stored'] = count(fhir, 'Observation')
    finally:
        server.stop()
        time.sleep(1.5)
        result['peak_heap_used_mb'] = round(server.peak_heap_mb)
    return result


# The cohort server: KetaFHIR's outcome index and summaries on, the other checks off so that 10,000 patients load in
# minutes (the summary reads only the index, which holds the same rows whichever checks ran on the way in).
COHORT = ['--ketafhir.ig.enforce=false', '--ketafhir.scoring.enabled=false', '--ketafhir.dosing.enabled=false',
          '--ketafhir.security.audit=false']
SNOMED = 'http://snomed.info/sct'
CONDITIONS = ['36474008', '191627008', '47505003', '191736004', '21897009']
ROUTES = ['47625008', '78421000', '46713006', '26643006']


def cohort_bundle(n):
    """A light plain-R4 course: Patient, Condition, 6 ketamine sessions, 6 PHQ-9 totals, psychotherapy for half."""
    import random
    rnd = random.Random(n)
    pid = f'cohort-{n}'
    start = datetime.datetime(2025, 1, 6, 9, tzinfo=datetime.timezone.utc) + datetime.timedelta(days=rnd.randint(0, 300))
    at = lambda days, hours=0: (start + datetime.timedelta(days=days, hours=hours)).isoformat()
    ref = {'reference': f'Patient/{pid}'}
    resources = [{'resourceType': 'Patient', 'id': pid, 'name': [{'family': 'Cohort'}]},
                 {'resourceType': 'Condition', 'id': f'{pid}-c', 'subject': ref,
                  'code': {'coding': [{'system': SNOMED, 'code': CONDITIONS[n % 5]}]}}]
    route = ROUTES[n % 4]
    for i, day in enumerate([0, 3, 7, 10, 14, 17]):
        resources.append({'resourceType': 'MedicationAdministration', 'id': f'{pid}-s{i}', 'status': 'completed',
                          'medicationCodeableConcept': {'coding': [{'system': 'http://www.nlm.nih.gov/research/umls/rxnorm',
                                                                    'code': '6130'}]},
                          'subject': ref, 'effectiveDateTime': at(day),
                          'dosage': {'route': {'coding': [{'system': SNOMED, 'code': route}]},
                                     'dose': {'value': 50, 'unit': 'mg', 'system': 'http://unitsofmeasure.org', 'code': 'mg'}}})
    baseline = rnd.randint(10, 27)
    for i, day in enumerate([-2, 7, 18, 45, 90, 180]):
        value = baseline if day < 0 else max(0, min(27, round(baseline * (1 - rnd.random() * 0.9))))
        resources.append({'resourceType': 'Observation', 'id': f'{pid}-o{i}', 'status': 'final',
                          'code': {'coding': [{'system': 'http://loinc.org', 'code': '44261-6'}]},
                          'subject': ref, 'effectiveDateTime': at(day, 5), 'valueInteger': value})
    if n % 2 == 0:
        resources.append({'resourceType': 'Procedure', 'id': f'{pid}-p', 'status': 'completed', 'subject': ref,
                          'code': {'coding': [{'system': SNOMED, 'code': '75516001'}]}, 'performedDateTime': at(1, 6)})
    return {'resourceType': 'Bundle', 'type': 'transaction',
            'entry': [{'resource': r, 'request': {'method': 'PUT', 'url': f'{r["resourceType"]}/{r["id"]}'}} for r in resources]}


def post_json(fhir, bundle, token=None):
    headers = {'Content-Type': 'application/fhir+json', 'Prefer': 'return=minimal',
               **({'Authorization': 'Bearer ' + token} if token else {})}
    request = urllib.request.Request(fhir, data=json.dumps(bundle).encode(), method='POST', headers=headers)
    with urllib.request.urlopen(request, timeout=900) as response:
        response.read()
        return response.status


def run_cohort(args, workdir):
    """Loads light courses up to each target and times the cohort summary (median of 3) at each."""
    folder = os.path.join(workdir, 'cohort')
    os.makedirs(folder)
    server = Server(args.jar, args.port, args.xmx, COHORT, folder)
    result = {'configuration': 'cohort', 'properties': COHORT, 'points': []}
    try:
        server.wait_ready()
        fhir = server.base + '/fhir'
        loaded = 0
        for target in sorted(args.cohort):
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=4) as pool:
                list(pool.map(lambda n: post_json(fhir, cohort_bundle(n), args.token), range(loaded, target)))
            log(f'cohort: {target} patients loaded ({time.perf_counter() - started:.0f} s)')
            loaded = target
            result['points'].append({'patients': target, 'load_seconds': round(time.perf_counter() - started),
                                     **cohort_summary(fhir, args.token)})
            log(f'cohort: summary at {target} patients: {result["points"][-1]}')
    finally:
        server.stop()
        time.sleep(1.5)
    return result


def heavy_id(args):
    return f'demo-{args.seed}-heavy'


def markdown(report):
    m = report['machine']
    lines = [f'# KetaFHIR benchmark, {report["date"]}', '',
             f'Machine: {m["host"]}, {m["nproc"]} CPU ({m["cpu"]}), {m["ram_gb"]} GB RAM, {m["java"]}, {m["os"]}; '
             f'load average at start {", ".join(f"{x:.1f}" for x in m["load_average_at_start"])} '
             '(the machine is shared: figures are rough).', '',
             f'Command: `{report["command"]}`', '',
             f'Workload: the demo clinic (`demo --out`), {report["patients_per_run"]} patients per ingest run, one '
             'transaction Bundle of PUTs per patient (about 135 resources each), a different seed for every client '
             'count, the same bundles in both configurations, each on a fresh H2 database after a warm-up of '
             f'{report["warmup_patients"]} patients. With audit on, a run ends when the AuditEvent of every resource '
             'posted is stored (at the last answer since the audit log; builds before it stored them in the background).', '',
             '| | checks on | stock (checks off) | ratio on / stock |', '|---|---|---|---|']
    on, stock = report['checks-on'], report.get('stock')
    lines.append(f'| start-up to ready | {on["startup_to_ready_s"]} s | '
                 f'{stock["startup_to_ready_s"] if stock else "n/a"} s | |')
    for i, run in enumerate(on['ingest']):
        other = stock['ingest'][i] if stock else None
        ratio = f'{run["resources_per_second"] / other["resources_per_second"]:.2f}' if other else 'n/a'
        backlog = f', last AuditEvent stored {run["audit_backlog_s"]} s after the last answer' \
            if run.get('audit_backlog_s') else ''
        lines.append(f'| ingest, {run["clients"]} client(s) | {run["resources_per_second"]} resources/s '
                     f'({run["failures"]} failed{backlog}) | {other["resources_per_second"] if other else "n/a"} resources/s | '
                     f'{ratio} |')
    lines.append(f'| peak heap used | {on["peak_heap_used_mb"]} MB | {stock["peak_heap_used_mb"] if stock else "n/a"} MB | |')
    ps = on.get('patient_summary', {})
    lines += ['', '| Summaries (checks on) | |', '|---|---|']
    if ps.get('available'):
        lines.append(f'| patient summary, 40 sessions / 200 scored responses, {ps["calls"]} calls | '
                     f'p50 {ps["p50_ms"]} ms, p95 {ps["p95_ms"]} ms, p99 {ps["p99_ms"]} ms |')
    elif ps:
        lines.append(f'| patient summary | n/a (operation answered HTTP {ps.get("status")}) |')
    for c in report.get('cohort', {}).get('points', []):
        if c.get('available'):
            lines.append(f'| cohort summary at {c["patients"]} patients (light plain-R4 courses, see run_cohort) | '
                         f'{c["seconds_median_of_3"]} s (median of 3); loading took {c["load_seconds"]} s |')
        else:
            lines.append(f'| cohort summary at {c["patients"]} patients | n/a (HTTP {c.get("status")}) |')
    if report.get('ablation'):
        lines += ['', '## What each addition costs (`--ablation`)', '',
                  'Each row is its own server start on a fresh database with the same bundles. Cost per resource is '
                  'wall time per resource stored (1 / rate); "over stock" is that minus the stock figure.', '',
                  '| configuration | clients | resources/s | ratio to stock | ms per resource | over stock |',
                  '|---|---|---|---|---|---|']
        rows = [('stock', stock)] + [(r['configuration'], r) for r in report['ablation']] + [('everything on', on)]
        for label, result in rows:
            for i, run in enumerate(result['ingest']):
                base = stock['ingest'][i]['resources_per_second'] if stock else None
                rate = run['resources_per_second']
                lines.append(f'| {label} | {run["clients"]} | {rate} | {rate / base:.2f} | {1000 / rate:.1f} | '
                             f'{1000 / rate - 1000 / base:+.1f} |' if base else f'| {label} | {run["clients"]} | '
                             f'{rate} | n/a | {1000 / rate:.1f} | n/a |')
    return '\n'.join(lines) + '\n'


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--jar', default=JAR)
    parser.add_argument('--patients', type=int, default=30, help='patients per ingest run (one run per client count)')
    parser.add_argument('--clients', default='1,2,4')
    parser.add_argument('--warmup', type=int, default=5, help='patients posted before measuring')
    parser.add_argument('--seed', type=int, default=999, help='seed of the heavy patient')
    parser.add_argument('--summary-calls', type=int, default=200)
    parser.add_argument('--cohort', type=int, action='append', default=[],
                        help='also time the cohort summary at this many patients (repeatable): a separate server, '
                             'loaded with light plain-R4 courses, index and summaries on, other checks off')
    parser.add_argument('--port', type=int, default=18180)
    parser.add_argument('--xmx', default='2g')
    parser.add_argument('--skip-stock', action='store_true')
    parser.add_argument('--ablation', action='store_true',
                        help='also run each addition by itself on top of stock, and everything but the guide check')
    parser.add_argument('--name', help='results file name without extension (default <date>-<host>)')
    parser.add_argument('--jfr', action='store_true', help='record a JFR profile of each configuration')
    parser.add_argument('--token', help='bearer token, when the server requires one')
    parser.add_argument('--results', default=os.path.join(ROOT, 'benchmark', 'results'))
    args = parser.parse_args()

    if not os.path.exists(args.jar):
        log('building the jar (mvn package -DskipTests)')
        subprocess.run(['mvn', '-B', '-ntp', '-q', 'package', '-DskipTests'], cwd=ROOT, check=True)
    os.makedirs(args.results, exist_ok=True)
    report = {'date': datetime.datetime.now().astimezone().isoformat(timespec='seconds'), 'machine': machine(),
              'command': ' '.join(['python3', 'benchmark/run.py'] + sys.argv[1:]),
              'patients_per_run': args.patients, 'warmup_patients': args.warmup}
    workdir = tempfile.mkdtemp(prefix='ketafhir-bench-')
    try:
        log(f'generating bundles in {workdir}')
        clients = [int(c) for c in args.clients.split(',')]
        sets = [(c, generate(args.jar, os.path.join(workdir, f'set-{c}'), 1000 + c, args.patients)) for c in clients]
        warmup = generate(args.jar, os.path.join(workdir, 'warmup'), 1000, args.warmup)
        heavy = generate(args.jar, os.path.join(workdir, 'heavy'), args.seed, 0, heavy=True)
        report['checks-on'] = run_configuration('checks-on', [], args, workdir, sets, heavy, warmup)
        if not args.skip_stock:
            report['stock'] = run_configuration('stock', STOCK, args, workdir, sets, heavy, warmup)
        if args.ablation:
            report['ablation'] = [run_configuration(name, extra, args, workdir, sets, heavy, warmup)
                                  for name, extra in ablation_configurations()]
        if args.cohort:
            report['cohort'] = run_cohort(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    name = args.name or f'{datetime.date.today().isoformat()}-{socket.gethostname()}'
    with open(os.path.join(args.results, name + '.json'), 'w') as f:
        json.dump(report, f, indent=2)
    text = markdown(report)
    with open(os.path.join(args.results, name + '.md'), 'w') as f:
        f.write(text)
    print(text)
    log(f'wrote {os.path.join(args.results, name)}.md and .json')


if __name__ == '__main__':
    main()
